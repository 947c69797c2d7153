"""Real rendering: Graphviz writes SVG and PNG, and the saved HTML player plays in Chromium.

CI installs Graphviz's `dot` and Debian's `chromium` (scripts/system-deps.sh); these tests use
them and never skip. The browser is driven by Playwright with the system binary: no download.
"""

import base64
import contextlib
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograd import Value
from autograd.viz import animate_backward, animate_forward, draw_dot
from autograd.viz.graph import creation_order

SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIDEWAYS_SCROLL = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


@contextlib.contextmanager
def chromium() -> Iterator:
    """The system Chromium, headless, driven by Playwright (no browser download); closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def small_expression() -> Value:
    a, b, c = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c")
    e = a * b
    e.label = "e"
    L = (e + c).tanh()
    L.label = "L"
    L.backward()
    return L


def mlp_2_2_1_loss() -> Value:
    from nn import MLP

    model = MLP(2, [2, 1], activation="tanh", seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.label = "loss"
    loss.backward()
    return loss


def svg_groups(svg_file: Path, kind: str) -> list[ET.Element]:
    return [g for g in ET.parse(svg_file).iter(f"{SVG}g") if g.get("class", "").split()[0] == kind]


def png_size(png_file: Path) -> tuple[int, int]:
    data = png_file.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_small_expression_renders_to_svg_and_png(tmp_path):
    picture = draw_dot(small_expression(), edge_labels=True)
    svg = Path(picture.render(tmp_path / "small", format="svg"))
    png = Path(picture.render(tmp_path / "small", format="png"))
    assert len(svg_groups(svg, "node")) == 6 + 3  # Values a, b, c, e, e + c, L; ops *, +, tanh
    assert len(svg_groups(svg, "edge")) == 2 + 2 + 1 + 3
    width, height = png_size(png)
    assert width > 200 and height > 50


def test_mlp_2_2_1_renders_to_svg_and_png_with_one_box_per_neuron(tmp_path):
    picture = draw_dot(mlp_2_2_1_loss())
    svg = Path(picture.render(tmp_path / "mlp", format="svg"))
    png = Path(picture.render(tmp_path / "mlp", format="png"))
    boxes = sorted("".join(g.find(f"{SVG}text").itertext()) for g in svg_groups(svg, "cluster"))
    assert boxes == ["layer0.neuron0", "layer0.neuron1", "layer1.neuron0"]
    assert all(png_size(png))


def test_saved_player_is_one_self_contained_file(tmp_path):
    page = animate_backward(small_expression()).save_html(tmp_path / "player.html").read_text()
    assert page.count("<svg") == 1 and "<script>" in page
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)  # nothing fetched
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {  # only XML namespace names
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }


def test_a_label_cannot_break_out_of_the_player_script(tmp_path):
    x = Value(1.0, "</script><script>alert(1)</script>")
    page = animate_forward(x * 2).save_html(tmp_path / "player.html").read_text()
    assert page.count("</script>") == 1


@pytest.mark.browser
def test_saved_player_plays_in_headless_chromium(tmp_path):
    root = small_expression()
    player = animate_backward(root)
    html_file = player.save_html(tmp_path / "backward.html")
    ids = {node: f"n{i}" for i, node in enumerate(creation_order(root))}
    expected = [(ids[frame.current], frame.caption) for frame in player.frames]

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1000, "height": 500})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(html_file.as_uri())
        assert shown(page) == expected[0]
        assert gradients_shown(page) == 1  # only the output's, dL/dL = 1

        page.locator("input[type=range]").fill("3")  # drag the slider
        assert shown(page) == expected[3]
        assert gradients_shown(page) == 4

        page.locator("input[type=range]").fill("0")
        page.get_by_role("button", name="play").click()
        page.wait_for_function("document.querySelector('.caption').textContent !== " + repr(expected[0][1]))
        page.get_by_role("button", name="pause").click()
        assert shown(page) in expected[1:]

        screenshot = page.screenshot()
        assert colours_in(browser, screenshot) > 10  # not blank: text, edges, fills
        assert not errors


def shown(page) -> tuple[str, str]:
    """The Value whose record is painted in the highlight colour, and the caption on screen."""
    highlighted = page.evaluate(
        """() => [...document.querySelectorAll("g.node")]
            .filter(g => /^n\\d+$/.test(g.id))
            .filter(g => getComputedStyle(g.querySelector(":scope > title + *")).fill === "rgb(252, 211, 77)")
            .map(g => g.id)"""
    )
    assert len(highlighted) == 1, highlighted
    return highlighted[0], page.inner_text(".caption")


def gradients_shown(page) -> int:
    """How many records show their grad cell (the third text) at this step."""
    return page.evaluate(
        """() => [...document.querySelectorAll("g.node")]
            .filter(g => /^n\\d+$/.test(g.id))
            .filter(g => getComputedStyle(g.querySelectorAll("text")[2]).visibility === "visible")
            .length"""
    )


def colours_in(browser, png: bytes) -> int:
    """How many distinct colours the PNG has, decoded by Chromium on a blank page."""
    page = browser.new_page()
    return page.evaluate(
        """async (b64) => {
            const image = new Image();
            image.src = "data:image/png;base64," + b64;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = image.width;
            canvas.height = image.height;
            const context = canvas.getContext("2d");
            context.drawImage(image, 0, 0);
            const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
            const colours = new Set();
            for (let i = 0; i < pixels.length; i += 4) {
                colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
            }
            return colours.size;
        }""",
        base64.b64encode(png).decode(),
    )
