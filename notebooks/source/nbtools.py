"""Cells for the lesson scripts: markdown, code, exercise stubs and their check cells.

A lesson is a Python file in this folder (lesson1.py ... lesson7.py) holding `FILENAME` and a
list `CELLS` made with these helpers; make.py turns each into a notebook and runs it.
Exercise cells carry their id in the cell metadata (`chaingrad.exercise`), which is how the
tests find the untouched stub of every exercise.
"""

from __future__ import annotations

import textwrap

import nbformat
from nbformat.notebooknode import NotebookNode


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def md(text: str) -> NotebookNode:
    """A markdown cell."""
    return nbformat.v4.new_markdown_cell(_clean(text))


def code(text: str) -> NotebookNode:
    """A code cell."""
    return nbformat.v4.new_code_cell(_clean(text))


def exercise(exercise_id: str, text: str) -> NotebookNode:
    """The stub the learner completes: it must define the answer function and nothing else."""
    cell = nbformat.v4.new_code_cell(_clean(text))
    cell.metadata["tags"] = ["exercise"]
    cell.metadata["chaingrad"] = {"exercise": exercise_id}
    return cell


def check(exercise_id: str, answer: str) -> NotebookNode:
    """The cell that checks an exercise: `check("1.1", derivative_agrees)`."""
    cell = nbformat.v4.new_code_cell(f'check("{exercise_id}", {answer})')
    cell.metadata["tags"] = ["check"]
    cell.metadata["chaingrad"] = {"check": exercise_id}
    return cell


def notebook(cells: list[NotebookNode]) -> NotebookNode:
    """A notebook for the course's kernel (python3, the project's .venv)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb
