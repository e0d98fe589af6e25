"""Utilities, as in ``torch.utils`` (submodules load on use: ``from ember.utils.dlpack import to_dlpack``), and where the C++ headers and CMake package of this install live."""
import os


def _package_dir():
    # The compiled parts (and lib/, include/) sit beside the extension module,
    # which also holds for editable installs whose .py files live elsewhere.
    from .. import _C
    return os.path.dirname(os.path.abspath(_C.__file__))


def cmake_prefix_path():
    """Pass to CMake as CMAKE_PREFIX_PATH to `find_package(ember)`."""
    return os.path.join(_package_dir(), "lib", "cmake")


def include_dir():
    return os.path.join(_package_dir(), "include")


def library_dir():
    return os.path.join(_package_dir(), "lib")


def __getattr__(name):
    # ember.utils.data / ember.utils.dlpack as attributes, as torch.utils.data
    # is after a bare `import torch`; loaded on first use.
    if name in ("data", "dlpack"):
        import importlib
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
