"""Pictures fit their page: the saved player and draw_dot's SVG in headless Chromium.

At 800 and 1,200 px wide, the player of the lecture expression and of a 2-4-1 MLP shows
every node inside the window with no sideways scrollbar; zooming changes the scale (and
the page still does not scroll sideways: the picture pans inside its box). Uses the system
Chromium through Playwright, as test_viz_render.py does; never skipped.
"""

from pathlib import Path

import pytest
from expressions import lecture_expression
from test_viz_render import SIDEWAYS_SCROLL, chromium

from autograd import Value
from autograd.viz import animate_backward, draw_dot


def mlp_2_4_1_loss() -> Value:
    from nn import MLP

    model = MLP(2, [4, 1], seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.label = "loss"
    return loss


EXAMPLES = {"lecture": lambda: lecture_expression()["L"], "mlp-2-4-1": mlp_2_4_1_loss}

OUTSIDE = """() => {
    const width = document.documentElement.clientWidth, height = document.documentElement.clientHeight;
    return [...document.querySelectorAll("svg g.node")].map(g => [g.id, g.getBoundingClientRect()])
        .filter(([, r]) => r.left < 0 || r.top < 0 || r.right > width || r.bottom > height)
        .map(([id, r]) => `${id} at x ${r.left | 0}..${r.right | 0}, y ${r.top | 0}..${r.bottom | 0}`);
}"""
SVG_WIDTH = "document.querySelector('.picture svg').getBoundingClientRect().width"


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def open_player(browser, html_file: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 800})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(html_file.as_uri())
    return page, errors


@pytest.mark.browser
@pytest.mark.parametrize("width", [800, 1200])
@pytest.mark.parametrize("example", EXAMPLES)
def test_saved_player_shows_every_node_without_a_sideways_scrollbar(browser, tmp_path, example, width):
    html_file = animate_backward(EXAMPLES[example]()).save_html(tmp_path / "player.html")
    page, errors = open_player(browser, html_file, width)
    try:
        assert page.locator("svg g.node").count() > 5
        assert not page.evaluate(SIDEWAYS_SCROLL)
        assert page.evaluate(OUTSIDE) == []
        assert not errors
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("example", EXAMPLES)
def test_zoom_changes_the_scale_and_the_picture_pans_inside_its_box(browser, tmp_path, example):
    html_file = animate_backward(EXAMPLES[example]()).save_html(tmp_path / "player.html")
    page, errors = open_player(browser, html_file, 800)
    try:
        fitted, shown_scale = page.evaluate(SVG_WIDTH), page.inner_text(".scale")
        page.locator("button.zoom-in").click()
        page.locator("button.zoom-in").click()
        zoomed = page.evaluate(SVG_WIDTH)
        assert zoomed == pytest.approx(fitted * 1.25**2, rel=1e-3)
        assert page.inner_text(".scale") != shown_scale  # the percentage shown follows
        assert not page.evaluate(SIDEWAYS_SCROLL)  # the box scrolls, not the page

        box = page.locator(".picture").bounding_box()  # drag to pan
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2 - 150, box["y"] + box["height"] / 2, steps=5)
        page.mouse.up()
        assert page.evaluate("document.querySelector('.picture').scrollLeft") > 0

        page.locator("button.zoom-out").click()
        assert page.evaluate(SVG_WIDTH) == pytest.approx(zoomed / 1.25, rel=1e-3)
        page.locator("button.fit").click()
        assert page.evaluate(SVG_WIDTH) == pytest.approx(fitted, rel=1e-3)

        page.keyboard.down("Control")  # ctrl + wheel (a trackpad pinch) zooms too
        page.mouse.move(box["x"] + 50, box["y"] + 20)
        page.mouse.wheel(0, -200)
        page.keyboard.up("Control")
        page.wait_for_function(f"{SVG_WIDTH} > {fitted} * 1.2")
        assert not errors
    finally:
        page.close()


@pytest.mark.browser
def test_draw_dot_svg_shrinks_to_a_narrow_column_and_is_never_clipped(browser, tmp_path):
    svg = draw_dot(mlp_2_4_1_loss())._repr_mimebundle_()["image/svg+xml"]
    html_file = tmp_path / "cell.html"
    html_file.write_text(f'<!DOCTYPE html><div id="cell" style="width:600px">{svg}</div>', encoding="utf-8")
    page = browser.new_page(viewport={"width": 800, "height": 800})
    try:
        page.goto(html_file.as_uri())
        inside = page.evaluate(
            """() => {
                const cell = document.getElementById("cell").getBoundingClientRect();
                const svg = document.querySelector("svg").getBoundingClientRect();
                const nodes = [...document.querySelectorAll("g.node")].map(g => g.getBoundingClientRect());
                return [svg.width, nodes.length, nodes.every(r => r.left >= cell.left && r.right <= cell.right)];
            }"""
        )
        assert inside[0] <= 600 and inside[1] > 5 and inside[2]
    finally:
        page.close()


@pytest.mark.browser
def test_player_in_a_notebook_cell_fits_the_cells_width(browser, tmp_path):
    player = animate_backward(mlp_2_4_1_loss())
    html_file = tmp_path / "cell.html"
    cell = f'<!DOCTYPE html><meta charset="utf-8"><div id="cell" style="width:600px">{player.html_fragment("p")}</div>'
    html_file.write_text(cell, encoding="utf-8")
    page = browser.new_page(viewport={"width": 800, "height": 600})
    try:
        page.goto(html_file.as_uri())
        right_edges = page.evaluate(
            "[...document.querySelectorAll('g.node')].map(g => g.getBoundingClientRect().right)"
        )
        cell_right = page.evaluate("document.getElementById('cell').getBoundingClientRect().right")
        assert len(right_edges) > 5 and max(right_edges) <= cell_right
        assert not page.evaluate(SIDEWAYS_SCROLL)
    finally:
        page.close()
