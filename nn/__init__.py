"""chaingrad.nn: neural networks on top of autograd (being built)."""
