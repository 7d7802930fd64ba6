"""Neural-network building blocks with PyTorch's API (``from autograd_course import nn``)."""

from . import functional, init
from .layers import Dropout, Identity, Linear, ReLU, Sequential, Sigmoid, Tanh
from .loss import BCELoss, BCEWithLogitsLoss, L1Loss, MSELoss
from .module import Module
from .parameter import Parameter

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "Dropout",
    "Identity",
    "L1Loss",
    "Linear",
    "MSELoss",
    "Module",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "functional",
    "init",
]
