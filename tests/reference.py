"""Helpers that compare chaingrad numbers with PyTorch float64 ones."""

from __future__ import annotations

import math

import torch

from autograd import ops


def same_float(ours: float, theirs: float, rel: float = 1e-10, abs_tol: float = 1e-12) -> bool:
    """Equal as PyTorch float64 means it: nan matches nan, infinities match by sign."""
    ours, theirs = float(ours), float(theirs)
    if math.isnan(theirs) or math.isnan(ours):
        return math.isnan(theirs) and math.isnan(ours)
    if math.isinf(theirs) or math.isinf(ours):
        return ours == theirs
    return math.isclose(ours, theirs, rel_tol=rel, abs_tol=abs_tol)


def torch_apply(op: ops.Op, operands: list) -> torch.Tensor:
    """The op computed by torch on float64 scalars (a list of tensors or floats)."""
    fn = getattr(torch, op.torch_name)
    if not op.nary:
        return fn(*operands)
    tensors = [t if isinstance(t, torch.Tensor) else torch.tensor(t, dtype=torch.float64) for t in operands]
    if op.torch_name == "dot":
        n = len(tensors) // 2
        return fn(torch.stack(tensors[:n]), torch.stack(tensors[n:]))
    return fn(torch.stack(tensors))
