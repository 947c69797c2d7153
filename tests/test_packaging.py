"""The engine is pure Python: importing it pulls in no third-party package."""

from __future__ import annotations

import subprocess
import sys

THIRD_PARTY = ["numpy", "torch", "graphviz", "matplotlib", "tqdm", "ipywidgets"]


def test_importing_the_engine_and_nn_imports_no_third_party_package() -> None:
    code = (
        "import sys, autograd, autograd.viz, nn, nn.losses, nn.optim, nn.data, nn.train; "
        f"print([m for m in {THIRD_PARTY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_public_api_names_exist() -> None:
    import autograd

    for name in ["Value", "no_grad", "enable_grad", "is_grad_enabled", "grad", "gradcheck", "detect_anomaly"]:
        assert callable(getattr(autograd, name))
    for name in ["sum", "mean", "dot", "draw_dot", "explain"]:
        assert callable(getattr(autograd, name))
