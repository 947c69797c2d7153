"""The course keeps one notation: the card at the top of lesson 3 holds in every lesson.

Reads the markdown of every lesson notebook (what a learner reads) and fails on a symbol used
against the card: `z` as a weighted input (the course's weighted input is `s`, `z` is a unit's
output), `L` or `C` or `ℓ` as the loss (the cost is `E`; `L` is the last layer, `ℓ` a layer
index), logits written `z_k` (they are `s_k`), and the other texts' layer activation `a^(ℓ)`.
Other texts' symbols may appear only in the card's last column ("other texts write"), which is
removed before checking. The planted-violation tests below show that each rule can fail.
"""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
CARD_LESSON = "03_chain_rule.ipynb"
CARD_ANCHOR = '<a id="notation-card"></a>'
# the card's own anchor, or the one Jupyter makes from its heading "The notation card"
CARD_LINK = re.compile(r"03_chain_rule\.ipynb#(?:notation-card|The-notation-card)\)")

# A subscript or superscript after a letter, in LaTeX: z_j, z_{k}, z^{(L)}, z^{(\ell-1)}, z_j^{(2)} ...
_SCRIPT = r"(?:[_^](?:\{[^{}$]*(?:\{[^{}$]*\}[^{}$]*)*\}|\\?[A-Za-z0-9]+))*"
_ACTIVATION = r"(?:\\sigma|\\tanh|\\operatorname\{relu\}|\\text\{relu\}|\\mathrm\{relu\}|\bf)"

RULES: list[tuple[str, str, str]] = [
    # (name, pattern, what the card says instead)
    (
        "z as a weighted input",
        rf"(?<![\\A-Za-z/])(?<!\\partial )z{_SCRIPT}\s*=\s*(?:\\sum|W\b|W{_SCRIPT}|w\b|w{_SCRIPT}|\\mathbf\{{W\}})",
        "a weighted input is s (s_j = sum_i w_i->j z_i + b_j); z is a unit's output",
    ),
    (
        "z as a weighted input",
        rf"{_ACTIVATION}'?\s*\(\s*z(?![A-Za-z])",
        "the activation is applied to the weighted input s: z = f(s), f'(s)",
    ),
    (
        "z as a weighted input",
        rf"\\partial\s*z{_SCRIPT}\s*\}}?\s*(?:/|\}}?\{{)\s*\\partial\s*[wb](?![A-Za-z])",
        "a weight changes s directly (ds/dw = z_i), and z only through s",
    ),
    (
        "z as a weighted input",
        r"weighted inputs?\s+(?:of [^$,;.]{0,20})?\$z(?![A-Za-z])",
        "the weighted input is s",
    ),
    ("L as a loss", r"\\partial\s*L(?![A-Za-z_^])", "the cost is E; L is the last layer"),
    ("L as a loss", r"(?<![A-Za-z])dL\s*/\s*d|∂L\s*/", "the cost is E; L is the last layer"),
    ("L as a loss", r"\$L\s*=\s*(?![0-9\s]*\$)", "the cost is E; L is the number of the last layer"),
    ("L as a loss", r"(?:loss|cost)\s+\$L\$", "the cost is E; L is the last layer"),
    ("C as the cost", r"\\partial\s*C(?![A-Za-z])|∂C\s*/|\$C\s*=", "the cost is E (C only in the card's last column)"),
    ("ℓ as a loss", r"\\ell\s*=\s*-|\\partial\s*\\ell(?![A-Za-z])", "the cost is E; ℓ indexes layers"),
    (
        "logits as z_k",
        r"e\^\{\s*z|softmax\}?\s*\(\s*z(?![A-Za-z])|(?:logits?|scores?)\s+\$z",
        "logits are s_k, p_k = e^{s_k} / sum_m e^{s_m}",
    ),
    (
        "a^(l) as an activation",
        r"(?<![A-Za-z\\])a\^\{?\(",
        "a unit's output is z^(l) (a^(l) only in the card's last column)",
    ),
]
_COMPILED = [(name, re.compile(pattern), instead) for name, pattern, instead in RULES]


def without_translation_column(text: str) -> str:
    """The card's markdown with its last column ("other texts write") removed from every table row."""
    lines = []
    for line in text.splitlines():
        row = line.strip()
        if row.startswith("|") and row.endswith("|") and row.count("|") >= 3:
            line = row[:-1].rsplit("|", 1)[0] + "|"
        lines.append(line)
    return "\n".join(lines)


def prose(path: Path) -> list[str]:
    """The markdown cells of a notebook, the card's translation column removed."""
    nb = nbformat.read(path, as_version=4)
    cells = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    return [without_translation_column(text) if CARD_ANCHOR in text else text for text in cells]


def violations(text: str) -> list[str]:
    """Every use of a symbol against the card in `text`, as 'rule: ...context... (card: ...)'."""
    found = []
    for name, pattern, instead in _COMPILED:
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 30), min(len(text), match.end() + 30)
            context = text[start:end].replace("\n", " ")
            found.append(f"{name}: ...{context}... (card: {instead})")
    return found


def outputs(path: Path) -> str:
    """Everything a notebook prints (stream and text/plain outputs), joined."""
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


# -- the rules can fail: planted violations are caught, card-conform text is not ---------------

PLANTED = [
    (r"the weighted input $z^{(L)} = w^{(L)} a^{(L-1)} + b^{(L)}$", "z as a weighted input"),
    (r"unit $j$ computes $z_j = \sum_i w_{ij} x_i + b_j$", "z as a weighted input"),
    (r"its output is $\sigma(z)$", "z as a weighted input"),
    (r"the slope $\sigma'(z^{(2)})$", "z as a weighted input"),
    (r"$\frac{\partial z^{(L)}}{\partial w^{(L)}} = a^{(L-1)}$", "z as a weighted input"),
    (r"$\partial z_j / \partial w$", "z as a weighted input"),
    (r"the weighted input $z$ of the unit", "z as a weighted input"),
    (r"the weighted input of each unit $z_j$", "z as a weighted input"),
    (r"$L = (a \cdot b + c) \cdot f$", "L as a loss"),
    (r"$\frac{\partial L}{\partial w}$", "L as a loss"),
    ("print(dL/dd)", "L as a loss"),
    ("the loss $L$ is", "L as a loss"),
    (r"$\partial C / \partial w$", "C as the cost"),
    (r"$\ell = -\log p_c$", "ℓ as a loss"),
    (r"$p_k = e^{z_k} / \sum_j e^{z_j}$", "logits as z_k"),
    ("the logits $z_k$", "logits as z_k"),
    (r"$\text{softmax}(z)$", "logits as z_k"),
    (r"the activation $a^{(L)}$", "a^(l) as an activation"),
]

CONFORM = [
    r"$s_j = \sum_i w_{i\to j} z_i + b_j$, $z_j = f(s_j)$",
    r"$s^{(\ell)} = W^{(\ell)} z^{(\ell-1)} + b^{(\ell)}$, $z^{(\ell)} = \sigma(s^{(\ell)})$",
    r"$\frac{\partial E}{\partial w^{(L)}} = z^{(L-1)} \sigma'(s^{(L)}) (z^{(L)} - y)$",
    r"layers $1, \dots, L$; $L = 2$; the last layer $L$",
    r"$p_k = e^{s_k} / \sum_m e^{s_m}$, $E = -\log p_c$, $\partial E / \partial s_k = p_k - y_k$",
    r"$\partial E/\partial z_i = \sum_k \delta_k w_{i\to k}$ and $z = \tanh(W x + b)$",
    r"$\partial (d \cdot f) / \partial d = f$ and $\partial E / \partial d$",
    r"$\partial s^{(L)}/\partial z^{(L-1)} = w^{(L)}$; $s$ is a weighted input, $z$ a unit's output",
]


@pytest.mark.parametrize(("text", "rule"), PLANTED, ids=[rule + ": " + text for text, rule in PLANTED])
def test_a_planted_violation_is_caught_by_its_rule(text, rule):
    found = violations(text)
    assert any(v.startswith(rule + ":") for v in found), found


@pytest.mark.parametrize("text", CONFORM)
def test_text_in_the_card_notation_passes(text):
    assert violations(text) == []


def test_the_translation_column_is_the_only_place_for_other_texts_symbols():
    card = "\n".join(
        (
            "| meaning | unit | other texts write |",
            "|---|---|---|",
            "| cost | $E$ | $C$, $L$ |",
            "| input | $s_j$ | $z^{(L)} = w^{(L)} a^{(L-1)}$ |",
        )
    )
    assert violations(card)
    assert violations(without_translation_column(card)) == []


# -- the course ------------------------------------------------------------------------------


def test_the_course_has_seven_lessons():
    assert [path.name[:2] for path in LESSONS] == ["01", "02", "03", "04", "05", "06", "07"]


def test_the_card_is_at_the_top_of_lesson_3_with_every_row():
    cells = [c for c in nbformat.read(NOTEBOOKS / CARD_LESSON, as_version=4).cells if c.cell_type == "markdown"]
    (card,) = [c.source for c in cells[:2] if CARD_ANCHOR in c.source]
    for entry in (
        r"w_{i\to j}",
        r"W^{(\ell)}[j, i]",
        "row = receiving unit",
        r"s_j = \sum_i w_{i\to j} z_i + b_j",
        r"z_j = f(s_j)",
        r"\delta_j = \partial E/\partial s_j",
        r"E = \tfrac12 \sum_k (\hat y_k - y_k)^2",
        r"\eta",
        r"p_k = e^{s_k} / \sum_m e^{s_m}",
        "other texts write",
        "$a^{(L)}$",
    ):
        assert entry in card, entry


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_lesson_prose_follows_the_card(path):
    found = [v for text in prose(path) for v in violations(text)]
    assert found == [], f"{path.name}:\n" + "\n".join(found)


@pytest.mark.parametrize("path", [p for p in LESSONS if p.name[:2] >= "04"], ids=lambda path: path.name)
def test_every_later_lesson_links_to_the_card(path):
    assert any(CARD_LINK.search(text) for text in prose(path)), (
        f"{path.name} should link to 03_chain_rule.ipynb#notation-card"
    )


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_printed_outputs_have_no_negative_zero_numpy_reprs_or_loss_named_L(path):
    text = outputs(path)
    assert not re.search(r"-0\.0+(?![0-9])", text), "a printed -0.000: round, then add 0.0"
    assert "np.float64(" not in text, "print floats with float(...) or an f-string, not a NumPy repr"
    assert not re.search(r"(?<![A-Za-z])dL/d|∂L/∂", text), "the cost is E, not L"
