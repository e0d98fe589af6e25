"""The layers of ember.nn, one file per family."""
from .activation_basic import LogSoftmax, Sigmoid, Softmax, Tanh
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .dropout import Dropout
from .flatten import Flatten, Unflatten
from .linear import Bilinear, Identity, Linear
from .loss_basic import (BCELoss, BCEWithLogitsLoss, CosineEmbeddingLoss, HuberLoss, KLDivLoss, L1Loss,
                         MarginRankingLoss, MSELoss, SmoothL1Loss, TripletMarginLoss)
from .module import Module, RemovableHandle
from .pixelshuffle import PixelShuffle, PixelUnshuffle
from .sparse import Embedding

__all__ = [
    "Module", "RemovableHandle", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict",
    "Identity", "Linear", "Bilinear", "Flatten", "Unflatten", "Embedding", "Dropout", "Softmax", "LogSoftmax",
    "Sigmoid", "Tanh", "PixelShuffle", "PixelUnshuffle", "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss",
    "KLDivLoss", "BCELoss", "BCEWithLogitsLoss", "CosineEmbeddingLoss", "MarginRankingLoss", "TripletMarginLoss",
]
