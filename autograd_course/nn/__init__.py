"""Neural-network building blocks with PyTorch's API (``from autograd_course import nn``)."""

from . import functional, init, utils
from .activation import (
    CELU,
    ELU,
    GELU,
    SELU,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    PReLU,
    ReLU6,
    SiLU,
    Softmax,
    Softmin,
    Softplus,
    Softsign,
    Tanhshrink,
    Threshold,
)
from .containers import ModuleDict, ModuleList, ParameterDict, ParameterList
from .conv import Conv1d, Conv2d, Fold, Unfold
from .dropout import AlphaDropout, Dropout1d, Dropout2d, Dropout3d
from .flatten import Flatten, Unflatten
from .layers import Dropout, Identity, Linear, ReLU, Sequential, Sigmoid, Tanh
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss
from .module import Module
from .normalization import BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm
from .parameter import Parameter
from .pooling import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    MaxPool1d,
    MaxPool2d,
)
from .sparse import Embedding

__all__ = [
    "CELU", "ELU", "GELU", "SELU", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d",
    "AlphaDropout", "AvgPool1d", "AvgPool2d", "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d",
    "BatchNorm2d", "Conv1d", "Conv2d", "CrossEntropyLoss", "Dropout", "Dropout1d", "Dropout2d",
    "Dropout3d", "Embedding", "Flatten", "Fold", "GroupNorm", "Hardsigmoid", "Hardswish",
    "Hardtanh", "Identity", "L1Loss", "LayerNorm", "LeakyReLU", "Linear", "LogSigmoid",
    "LogSoftmax", "MSELoss", "MaxPool1d", "MaxPool2d", "Mish", "Module", "ModuleDict",
    "ModuleList", "NLLLoss", "PReLU", "Parameter", "ParameterDict", "ParameterList", "ReLU",
    "ReLU6", "SiLU", "Sequential", "Sigmoid", "Softmax", "Softmin", "Softplus", "Softsign",
    "Tanh", "Tanhshrink", "Threshold", "Unflatten", "Unfold", "functional", "init", "utils",
]  # fmt: skip
