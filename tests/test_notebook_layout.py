"""The course's pictures fit a 1,000-pixel page: nothing cut off, nothing to scroll sideways.

Each committed notebook is exported with nbconvert's "lab" template, which draws outputs as
JupyterLab 4 does (same CSS; an SVG output becomes an `<img>` of its natural size, a PNG an
`<img>` capped at the output's width) and opened in headless Chromium 1,000 px wide. Then:
no sideways page scroll; every picture loaded and lies inside its output area; a picture
drawn wider than the area was scaled down to fit, and not so far that its text turns tiny;
no output area needs a sideways scrollbar. The last test feeds the check an old-style
fixed-width graph to show it can fail. Uses the system Chromium
through Playwright, as test_viz_render.py does; never skipped.
"""

import base64
import struct
import zlib
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_notebook, new_output
from test_viz_render import SIDEWAYS_SCROLL, chromium

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
PAGE_WIDTH = 1000
PICTURE_TYPES = {"image/png", "image/svg+xml"}
# A graph shrunk below this fraction of its drawn size has text under ~10 px: draw it smaller
# (rankdir="TB", fewer nodes) instead of relying on the scaling.
MIN_SCALE = 0.7

# For every output area: its pictures (not the <svg> parts nested inside other pictures) and
# whether its content is wider than the area itself, i.e. the area scrolls or clips sideways.
MEASURE = """() => [...document.querySelectorAll('.jp-OutputArea-output')].map((area, index) => {
    const box = area.getBoundingClientRect();
    const pictures = [...area.querySelectorAll('img, svg')].filter(e => !e.parentElement.closest('svg'))
        .map(e => {
            const r = e.getBoundingClientRect();
            // drawn width in CSS px: an image's own; an inline SVG's width attribute (graphviz writes pt)
            const natural = e.tagName === 'IMG' ? e.naturalWidth
                : e.hasAttribute('width') ? e.width.baseVal.value : (e.viewBox.baseVal || {}).width || r.width;
            return {tag: e.tagName, loaded: e.tagName !== 'IMG' || (e.complete && e.naturalWidth > 0),
                    left: r.left, right: r.right, width: r.width, natural: natural};
        });
    return {index: index, left: box.left, right: box.right, width: area.clientWidth,
            scroll: area.scrollWidth, pictures: pictures,
            code: ((area.closest('.jp-Cell') || area).querySelector('.jp-InputArea-editor') || {innerText: ''})
                .innerText.trim().split('\\n').pop().slice(0, 60)};
})"""


def layout_problems(page) -> list[str]:
    """What a learner reading this page at its width would find cut off, overflowing or tiny."""
    problems = []
    if page.evaluate(SIDEWAYS_SCROLL):
        problems.append("the page scrolls sideways")
    for area in page.evaluate(MEASURE):
        where = f"output {area['index']} (of `{area['code']}`)"
        if area["scroll"] > area["width"] + 1:
            problems.append(f"{where} is {area['scroll']} px wide in a {area['width']} px area: sideways scroll")
        for picture in area["pictures"]:
            what = f"{where}: {picture['tag']} drawn {picture['natural']:.0f} px wide"
            if not picture["loaded"]:
                problems.append(f"{what} did not load")
            elif picture["left"] < area["left"] - 1 or picture["right"] > area["right"] + 1:
                problems.append(
                    f"{what} spans x {picture['left']:.0f}..{picture['right']:.0f}, "
                    f"outside its area {area['left']:.0f}..{area['right']:.0f}: cut off"
                )
            elif picture["natural"] and picture["width"] / picture["natural"] < MIN_SCALE:
                problems.append(f"{what} shown {picture['width']:.0f} px wide: scaled below {MIN_SCALE:.0%}")
    return problems


def picture_count(nb: nbformat.NotebookNode) -> int:
    return sum(
        1 for cell in nb.cells for output in cell.get("outputs", []) if PICTURE_TYPES & set(output.get("data", {}))
    )


def open_as_html(browser, nb: nbformat.NotebookNode, html_file: Path):
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    html_file.write_text(body, encoding="utf-8")
    page = browser.new_page(viewport={"width": PAGE_WIDTH, "height": 900})
    page.goto(html_file.as_uri())  # waits for "load": every data-URI picture is decoded by then
    return page


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.mark.browser
@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_every_picture_fits_a_1000_pixel_page(browser, tmp_path, path):
    nb = nbformat.read(path, as_version=4)
    page = open_as_html(browser, nb, tmp_path / "lesson.html")
    try:
        shown = sum(len(area["pictures"]) for area in page.evaluate(MEASURE))
        assert shown == picture_count(nb) > 0, "every picture output is drawn once"
        assert layout_problems(page) == []
    finally:
        page.close()


def old_style_graph(width_pt: int) -> str:
    """An SVG as graphviz writes it, fixed at its natural size (before draw_dot scaled its pictures)."""
    width_px = width_pt * 4 // 3
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_pt}pt" height="60pt" viewBox="0 0 {width_px} 80">'
        f'<rect width="{width_px}" height="80" fill="white" stroke="black"/><text x="8" y="40">out</text></svg>'
    )


def blank_png(width: int, height: int) -> str:
    """A white PNG of that size, base64 as in a notebook, written by hand to need no imaging library."""
    rows = b"".join(b"\x00" + b"\xff" * width for _ in range(height))  # filter byte 0, one grey byte a pixel

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return base64.b64encode(png).decode("ascii")


@pytest.mark.browser
def test_the_check_reports_a_graph_drawn_wider_than_the_page_and_a_figure_shrunk_too_far(browser, tmp_path):
    nb = new_notebook()
    pictures = (
        {"image/svg+xml": old_style_graph(300)},
        {"image/svg+xml": old_style_graph(1500)},
        {"image/png": blank_png(900, 100)},
        {"image/png": blank_png(2000, 100)},
    )
    for data in pictures:
        code = "draw_dot(out)" if "image/svg+xml" in data else "plt.show()"
        nb.cells.append(new_code_cell(code, outputs=[new_output("display_data", data=data)]))
    page = open_as_html(browser, nb, tmp_path / "too-wide.html")
    try:
        problems = layout_problems(page)
    finally:
        page.close()
    # The 400 px graph fits and the 900 px figure is shrunk a little (to 890 px, 99%), so neither
    # is reported; the 2,000 px graph scrolls and is cut off; the 2,000 px figure is shrunk to 45%.
    assert len(problems) == 3, problems
    assert problems[0].startswith("output 1 (of `draw_dot(out)`) is 2000 px wide") and "sideways" in problems[0]
    assert "IMG drawn 2000 px wide" in problems[1] and problems[1].endswith("cut off")
    assert problems[2].startswith("output 3") and problems[2].endswith("scaled below 70%")


def wide_graph_output() -> dict:
    """What Jupyter stores for `draw_dot(out)` of a graph drawn about 1,100 px wide: its display formats."""
    from IPython.core.formatters import DisplayFormatter

    from autograd import Value, draw_dot

    terms = [Value(0.5, f"w{i}") * Value(1.5, f"x{i}") for i in range(2)]
    out = (terms[0] + terms[1]).tanh()
    out.label = "out"
    data, metadata = DisplayFormatter().format(draw_dot(out))
    return new_output("display_data", data=data, metadata=metadata)


@pytest.mark.browser
def test_draw_dot_of_a_graph_wider_than_the_cell_is_scaled_down_in_jupyterlab(browser, tmp_path):
    nb = new_notebook()
    nb.cells.append(new_code_cell("draw_dot(out)", outputs=[wide_graph_output()]))
    page = open_as_html(browser, nb, tmp_path / "wide.html")
    try:
        (area,) = page.evaluate(MEASURE)
        assert area["pictures"][0]["natural"] > area["width"], "the graph is drawn wider than the cell"
        assert layout_problems(page) == []
    finally:
        page.close()
