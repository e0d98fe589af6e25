"""``_no_grad()``: ember.no_grad() once the autograd engine provides it, a
no-op context before. nn.init, load_state_dict and the gradient utilities
write parameters in place and must not be recorded by autograd."""
import contextlib

import ember


def _no_grad():
    no_grad = getattr(ember, "no_grad", None)
    return no_grad() if no_grad is not None else contextlib.nullcontext()
