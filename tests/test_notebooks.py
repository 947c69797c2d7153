"""The course notebooks run top to bottom in a fresh kernel, as shipped, each in under 60 s.

Each notebook is executed with nbclient from the notebooks/ folder (where Jupyter starts a
learner's kernel), with its exercises untouched: every cell must run without error and every
check cell must then say "not attempted yet". The committed copies must carry their outputs
(so the pictures show on GitHub without running anything) and stay small.
"""

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
TIME_LIMIT_SECONDS = 60.0
SIZE_LIMIT_BYTES = 2_000_000


def _tagged(nb: nbformat.NotebookNode, tag: str) -> list:
    return [cell for cell in nb.cells if tag in cell.get("metadata", {}).get("tags", [])]


def _text(cell: nbformat.NotebookNode) -> str:
    return "".join(
        output.get("text", "") for output in cell.get("outputs", []) if output.get("output_type") == "stream"
    )


def test_the_course_has_seven_lessons_in_order():
    assert [path.name[:2] for path in LESSONS] == ["01", "02", "03", "04", "05", "06", "07"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_committed_notebook_carries_its_outputs_and_stays_small(path):
    nb = nbformat.read(path, as_version=4)
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code_cells), "rebuild: notebooks/source/make.py"
    assert not [o for cell in code_cells for o in cell.outputs if o.output_type == "error"]
    pictures = [
        o for cell in code_cells for o in cell.outputs if {"image/png", "image/svg+xml"} & set(o.get("data", {}))
    ]
    assert pictures, f"{path.name} shows no picture"
    assert path.stat().st_size < SIZE_LIMIT_BYTES


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_committed_check_cells_say_not_attempted_yet(path):
    checks = _tagged(nbformat.read(path, as_version=4), "check")
    assert 2 <= len(checks) <= 4
    for cell in checks:
        assert "not attempted yet" in _text(cell), cell.source


@pytest.mark.notebook
@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_notebook_runs_top_to_bottom_in_a_fresh_kernel_in_under_60_seconds(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=int(TIME_LIMIT_SECONDS) * 2, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError, with the cell and its traceback, if any cell fails
    seconds = time.perf_counter() - start
    print(f"{path.name}: {seconds:.1f} s")
    assert seconds < TIME_LIMIT_SECONDS, f"{path.name} took {seconds:.1f} s"
    assert not [o for cell in nb.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    for cell in _tagged(nb, "check"):
        assert "not attempted yet" in _text(cell), cell.source
