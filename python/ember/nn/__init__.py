"""``ember.nn``: modules, parameters, layers, losses, initialisation and
gradient utilities, with PyTorch's names and behaviour."""
from .parameter import Parameter  # noqa: F401
from .modules import *  # noqa: F401,F403
from .modules.module import Module  # noqa: F401
from . import functional, init, utils  # noqa: F401
