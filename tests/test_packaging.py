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


def test_the_wheel_ships_the_digits_with_their_licence(tmp_path) -> None:
    import importlib.util
    import shutil
    import zipfile
    from pathlib import Path

    # build from a copy of what the wheel needs: setuptools writes build/ into the source tree
    root, source = Path(__file__).resolve().parents[1], tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for part in ("autograd", "nn"):
        shutil.copytree(root / part, source / part, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, source / name)
    # offline and fast with the venv's own setuptools; Python >= 3.12 venvs have none: let pip fetch it
    isolation = [] if importlib.util.find_spec("setuptools") is None else ["--no-build-isolation"]
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-q", "-w", str(tmp_path)]
    subprocess.run([*build, str(source)], check=True, capture_output=True, cwd=tmp_path)
    (wheel,) = tmp_path.glob("chaingrad-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"nn/datasets/digits.csv.gz", "nn/datasets/LICENSE", "nn/datasets/README.md"} <= names


def test_the_demo_extra_pulls_in_no_torch_playwright_or_notebooks() -> None:
    from pathlib import Path

    import tomllib

    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert extras["demo"] == ["chaingrad[viz,plot,progress]"]
    lean = " ".join(extras["viz"] + extras["plot"] + extras["progress"])
    assert not any(heavy in lean for heavy in ("torch", "playwright", "jupyter", "chaingrad[dev"))
