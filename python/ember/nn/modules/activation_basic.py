"""Softmax, LogSoftmax, Sigmoid and Tanh: modules over existing Ember ops.
(The other activations come with the C++ kernels in ember._C._nn.)"""
import ember

from .. import functional as F
from .module import Module

__all__ = ["Softmax", "LogSoftmax", "Sigmoid", "Tanh"]


class Softmax(Module):
    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Module):
    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.log_softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class Sigmoid(Module):
    def forward(self, input):
        return ember.sigmoid(input)


class Tanh(Module):
    def forward(self, input):
        return ember.tanh(input)
