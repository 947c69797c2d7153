#!/usr/bin/env python3
"""Draw the README examples' pictures into docs/: `.venv/bin/python scripts/readme-pictures.py` from the repo root.

Needs the dev extra (Playwright) and Chromium at /usr/bin/chromium (`make test` installs both).
"""

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from autograd import Value
from autograd.viz import animate_backward, draw_dot
from nn import MLP

DOCS = Path("docs")


def readme_example():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a.tanh()
    c.label = "c"
    c.backward()
    return c


def lecture():
    a, b, c, f = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c"), Value(-2.0, "f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return L


def mlp():
    model = MLP(2, [4, 1], seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.label = "loss"
    return loss


def png(picture, name):
    picture.attr(dpi="110")
    picture.render(outfile=DOCS / f"{name}.png", format="png", cleanup=True)


png(draw_dot(readme_example()), "readme-graph")
L = lecture()
L.backward()
png(draw_dot(L), "lecture-graph")
loss = mlp()
loss.backward()
png(draw_dot(loss), "mlp-2-4-1-graph")

with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox", "--disable-gpu"]
    )
    for name, root, step_of, width, height in (
        ("lecture-player", lecture(), "a", 1000, 520),
        ("mlp-2-4-1-player", mlp(), "layer0.neuron0.w1", 1000, 760),
    ):
        player = animate_backward(root)
        html = player.save_html(Path(tempfile.gettempdir()) / f"{name}.html")
        step = next(i for i, f in enumerate(player.frames) if f.current.label == step_of)
        page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1.5)
        page.goto(html.as_uri())
        page.locator("input[type=range]").fill(str(step))
        box = page.locator("body").bounding_box()
        clip = {"x": 0, "y": 0, "width": width, "height": box["y"] + box["height"] + 12}
        page.screenshot(path=str(DOCS / f"{name}.png"), clip=clip)
        page.close()
    browser.close()
print("ok")
