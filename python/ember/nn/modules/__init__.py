"""The layers of ember.nn, one file per family."""
from .activation import (CELU, ELU, GELU, SELU, Hardshrink, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU, LogSigmoid,
                         Mish, PReLU, ReLU, ReLU6, SiLU, Softplus, Softshrink, Softsign, Threshold)
from .activation_basic import LogSoftmax, Sigmoid, Softmax, Tanh
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d
from .dropout import Dropout, Dropout2d
from .flatten import Flatten, Unflatten
from .linear import Bilinear, Identity, Linear
from .loss_layers import CrossEntropyLoss, CTCLoss, NLLLoss
from .loss_basic import (BCELoss, BCEWithLogitsLoss, CosineEmbeddingLoss, HuberLoss, KLDivLoss, L1Loss,
                         MarginRankingLoss, MSELoss, SmoothL1Loss, TripletMarginLoss)
from .module import Module, RemovableHandle
from .normalization import BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm, RMSNorm
from .pixelshuffle import PixelShuffle, PixelUnshuffle
from .pooling import (AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AvgPool1d, AvgPool2d,
                      MaxPool1d, MaxPool2d)
from .sparse import Embedding
# sequence, attention, resampling and bag layers (branch nnseq)
from .attention import MultiheadAttention
from .embedding_bag import EmbeddingBag
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase
from .transformer import LayerNorm, TransformerEncoder, TransformerEncoderLayer
from .upsample import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d

__all__ = [
    "Module", "RemovableHandle", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict",
    "Identity", "Linear", "Bilinear", "Flatten", "Unflatten", "Embedding", "Dropout", "Softmax", "LogSoftmax",
    "Sigmoid", "Tanh", "PixelShuffle", "PixelUnshuffle", "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss",
    "KLDivLoss", "BCELoss", "BCEWithLogitsLoss", "CosineEmbeddingLoss", "MarginRankingLoss", "TripletMarginLoss",
    "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "MaxPool1d", "MaxPool2d", "AvgPool1d",
    "AvgPool2d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "BatchNorm1d",
    "BatchNorm2d", "LayerNorm", "GroupNorm", "RMSNorm", "Dropout2d", "Threshold", "ReLU", "ReLU6", "LeakyReLU",
    "PReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Softplus", "Hardtanh", "Hardsigmoid", "Hardswish",
    "Softsign", "Hardshrink", "Softshrink", "LogSigmoid", "CrossEntropyLoss", "NLLLoss", "CTCLoss",
]
__all__ += [  # branch nnseq
    "RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell", "MultiheadAttention",
    "TransformerEncoderLayer", "TransformerEncoder", "LayerNorm", "Upsample", "UpsamplingNearest2d",
    "UpsamplingBilinear2d", "EmbeddingBag",
]
