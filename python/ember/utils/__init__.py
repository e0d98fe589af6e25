"""Utilities, as in ``torch.utils``. Submodules are imported on use
(``from ember.utils.dlpack import to_dlpack``)."""
