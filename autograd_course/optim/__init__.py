"""Optimizers with PyTorch's API and update equations (``from autograd_course import optim``)."""

from .adam import Adam
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adam", "Optimizer"]
