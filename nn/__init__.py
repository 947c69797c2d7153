"""chaingrad's `nn`: neurons, layers and MLPs on top of `autograd`, in PyTorch's idiom.

    >>> from nn import MLP
    >>> from nn.losses import hinge
    >>> model = MLP(2, [16, 16, 1], seed=0)
    >>> loss = hinge([model(x) for x in X], y)
    >>> model.zero_grad(); loss.backward()

Submodules: `losses`, `optim`, `data`, `train` (fit), `plot` (matplotlib), `export` (torch).
Optional dependencies (matplotlib, torch, tqdm) are imported only when used.
"""

from . import data, losses, optim, train
from .layers import MLP, Layer, Neuron
from .module import Module

__all__ = ["Module", "Neuron", "Layer", "MLP", "data", "losses", "optim", "train"]
