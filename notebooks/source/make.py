"""Build the course: write each lesson's notebook from its script, format it, run it, save it with outputs.

    .venv/bin/python notebooks/source/make.py          # every lesson
    .venv/bin/python notebooks/source/make.py 2 5      # lessons 2 and 5
    .venv/bin/python notebooks/source/make.py --no-run # write the notebooks without outputs

From a git worktree that shares another checkout's environment, put the worktree first on the
path so that its packages (and the kernels' imports) win:
    PYTHONPATH=$PWD /path/to/venv/bin/python notebooks/source/make.py 1 2

Notebooks run in a fresh kernel from the notebooks/ folder, exactly as a learner opens them
(exercises untouched), and are saved with their outputs so pictures show on GitHub.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

SOURCE = Path(__file__).resolve().parent
NOTEBOOKS = SOURCE.parent
ROOT = NOTEBOOKS.parent
LESSONS = range(1, 8)

sys.path.insert(0, str(SOURCE))
from nbtools import notebook


def _ruff() -> Path | None:
    """The project's ruff: in .venv, else beside the Python running this script (a shared environment)."""
    for candidate in (ROOT / ".venv" / "bin" / "ruff", Path(sys.executable).parent / "ruff"):
        if candidate.exists():
            return candidate
    return None


def build(lesson: int, run: bool) -> None:
    module = importlib.import_module(f"lesson{lesson}")
    path = NOTEBOOKS / module.FILENAME
    nb = notebook(module.CELLS)
    nbformat.write(nb, path)
    ruff = _ruff()
    if ruff is not None:  # the notebooks are linted with the rest of the code, so they are formatted like it
        subprocess.run([str(ruff), "check", "--quiet", "--fix", "--select", "I", str(path)], check=True)
        subprocess.run([str(ruff), "format", "--quiet", str(path)], check=True)
    if not run:
        print(f"wrote {path.relative_to(ROOT)}")
        return
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    seconds = time.perf_counter() - start
    nbformat.write(nb, path)
    size = path.stat().st_size / 1024
    print(f"ran {path.relative_to(ROOT)} in {seconds:.1f} s ({size:.0f} KiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lessons", nargs="*", type=int, help="lesson numbers (default: all)")
    parser.add_argument("--no-run", action="store_true", help="write the notebooks without running them")
    args = parser.parse_args()
    for lesson in args.lessons or LESSONS:
        build(lesson, run=not args.no_run)


if __name__ == "__main__":
    main()
