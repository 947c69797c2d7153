"""chaingrad's `nn`: neurons, layers and MLPs on top of `autograd`, in PyTorch's idiom.

    >>> from nn import MLP
    >>> from nn.losses import hinge
    >>> model = MLP(2, [16, 16, 1], seed=0)
    >>> loss = hinge([model(x) for x in X], y)
    >>> model.zero_grad(); loss.backward()

Real data, honestly evaluated:

    >>> from nn.data import Standardizer, load_digits, split
    >>> X, y = load_digits()                         # 1,797 8x8 images, shipped with nn
    >>> train, val = split(X, y, val=0.2, seed=0)    # stratified hold-out
    >>> model = MLP(64, [32, 10], seed=0)
    >>> model.scaler = Standardizer().fit(train[0])  # fitted on training data only, saved with the model
    >>> fit(model, *train, val=val, patience=5, ...) # validation loss/accuracy per epoch, best weights kept

Submodules: `losses`, `optim`, `data`, `train` (fit), `plot` (matplotlib), `export` (torch).
Optional dependencies (matplotlib, torch, tqdm) are imported only when used.
"""

from . import data, losses, optim, train
from .layers import MLP, Layer, Neuron
from .module import Module

__all__ = ["Module", "Neuron", "Layer", "MLP", "data", "losses", "optim", "train"]
