"""animate_forward / animate_backward: step through a pass over your own graph.

The graph is laid out once by Graphviz; a step only restyles that one SVG with a few CSS
rules (highlight the current node, hide values or gradients not computed yet). So nodes never
jump between steps, and a saved player stays small: one SVG, one short CSS string and one
caption per step, and a few lines of JavaScript to switch between them. The same CSS drives
the Jupyter widget, where Python swaps it in when the slider moves.

Big graphs: the saved page fits the picture to the window and adds zoom and pan; the widget
and `svg(step)` scale the picture down to the notebook cell (draw.render_svg makes it responsive).
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import re
from pathlib import Path
from typing import Any

from ..engine import topological_order
from ..value import Value
from .draw import RANKDIRS, build_picture, render_svg
from .graph import graph_below, node_names
from .steps import Frame, backward_frames, forward_frames

CURRENT_FILL = "#fcd34d"  # amber: the node this step is about
ACCENT = "#ea580c"  # orange: the edges its number travels along
PLAY_INTERVAL_MS = 900
_player_ids = itertools.count()


def _rule(scope: str, selectors: list[str], declarations: str) -> str:
    """One CSS rule over `selectors`, each inside the player `scope`; "" when there are none."""
    if not selectors:
        return ""
    return ",".join(f"{scope} {selector}" for selector in selectors) + f"{{{declarations}}}"


def animate_forward(root: Value, *, rankdir: str = "LR", edge_labels: bool = False, max_nodes: int = 250) -> Player:
    """Watch values being computed: nodes light up in topological order, with the arithmetic.

    >>> animate_forward(c)                   # a slider + play widget in Jupyter
    >>> animate_forward(c).save_html("forward.html")
    """
    return Player(root, "forward", rankdir=rankdir, edge_labels=edge_labels, max_nodes=max_nodes)


def animate_backward(root: Value, *, rankdir: str = "LR", edge_labels: bool = True, max_nodes: int = 250) -> Player:
    """Watch gradients flow back: nodes in reverse topological order, each with its chain rule.

    Captions read `∂c/∂a += ∂c/∂e · local ∂e/∂a = 2.0000 · 3.0000 = 6.0000`, and a node used more
    than once shows the sum of its contributions. Gradients are computed afresh (as `grad()`
    would); no `.grad` is read or written.

    >>> player = animate_backward(c)
    >>> print(player.frames[1].caption)
    >>> player.save_html("backward.html")    # one file, plays in any browser, offline
    """
    return Player(root, "backward", rankdir=rankdir, edge_labels=edge_labels, max_nodes=max_nodes)


class Player:
    """The steps of a forward or backward pass, shown as a Jupyter widget or saved as HTML."""

    def __init__(self, root: Value, direction: str, *, rankdir: str, edge_labels: bool, max_nodes: int) -> None:
        caller = f"animate_{direction}"
        if rankdir not in RANKDIRS:
            raise ValueError(f"{caller}: rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
        self.root, self.direction = root, direction
        self.order = graph_below(root, max_nodes, caller)
        self.names = node_names(self.order)
        self._index = {node: i for i, node in enumerate(self.order)}
        self._uses: dict[Value, list[tuple[int, int]]] = {}  # node -> (consumer index, operand position)
        for i, node in enumerate(self.order):
            for j, parent in enumerate(node.parents):
                self._uses.setdefault(parent, []).append((i, j))
        self._layout = {"rankdir": rankdir, "edge_labels": edge_labels}
        self.gradients: dict[Value, float] = {}
        if direction == "forward":
            self.frames: list[Frame] = forward_frames(self.order, self.names)
        else:
            # The engine's order, not creation order: sums must add up in the engine's order to be bit-exact.
            self.frames, self.gradients = backward_frames(topological_order(root), self.names)

    def __len__(self) -> int:
        return len(self.frames)

    def __repr__(self) -> str:
        return (
            f"<{self.direction} player: {len(self.frames)} steps over {len(self.order)} Values; Jupyter shows it; "
            f'in a script call .save_html("{self.direction}.html") and open that file in a browser>'
        )

    # -- pictures --------------------------------------------------------------------------

    @functools.cached_property
    def _svg(self) -> str:
        backward = self.direction == "backward"
        picture = build_picture(
            self.order, show_grad=backward, grads=self.gradients if backward else None, **self._layout
        )
        return render_svg(picture)

    def frame_css(self, step: int, scope: str) -> str:
        """CSS that turns the laid-out graph into step `step`; `scope` selects the player's element.

        Forward, the current Value and the op that made it light up, with the op's edges; later
        nodes are faded and show no value yet. Backward, the current Value and the ops of its
        consumers light up, with the edges its gradient comes back along; gradients not yet
        computed are hidden.
        """
        frame, i = self.frames[step], self._index[self.frames[step].current]
        done = {self._index[node] for node in frame.done}
        pending = [k for k in range(len(self.order)) if k not in done]
        if self.direction == "forward":
            lit = [f"n{i}", f"n{i}_op"]
            edges = [f"n{i}_out"] + [f"n{i}_in{j}" for j in range(len(frame.current.parents))]
            hidden = [f"#n{k} text:nth-of-type(2)" for k in pending]  # the data cell
            faded = [f"#n{k}" for k in pending] + [f"[id^=n{k}_]" for k in pending]  # with their ops and edges
        else:
            uses = self._uses.get(frame.current, [])
            lit = [f"n{i}"] + [f"n{consumer}_op" for consumer, _ in uses]
            edges = [f"n{consumer}_in{j}" for consumer, j in uses]
            hidden = [f"#n{k} text:nth-of-type(3)" for k in pending]  # the grad cell
            faded = []
        rules = [
            _rule(scope, [f"#{x}>title+*" for x in lit], f"fill:{CURRENT_FILL}"),  # the shape's background
            _rule(scope, [f"#n{i}"], f"filter:drop-shadow(0 0 3px {ACCENT})"),
            _rule(
                scope,
                [f"#{e} path" for e in edges] + [f"#{e} polygon" for e in edges],
                f"stroke:{ACCENT};stroke-width:2.5",
            ),
            _rule(scope, [f"#{e} polygon" for e in edges], f"fill:{ACCENT}"),
            _rule(scope, hidden, "visibility:hidden"),
            _rule(scope, faded, "opacity:.25"),
        ]
        return "\n".join(rule for rule in rules if rule)

    def svg(self, step: int) -> str:
        """The picture at step `step`, as an `<svg>` element scaled to its container (as draw_dot's)."""
        svg_id = f"chaingrad-step-{next(_player_ids)}"  # scopes the CSS when several are on one page
        svg = self._svg.replace("<svg", f'<svg id="{svg_id}"', 1)
        return svg.replace(">", f"><style>{self.frame_css(step, '#' + svg_id)}</style>", 1)

    # -- Jupyter ---------------------------------------------------------------------------

    def widget(self) -> Any:
        """An ipywidgets box: play button and slider over the steps, the caption, the picture."""
        import ipywidgets as widgets

        scope = f"chaingrad-player-{next(_player_ids)}"
        last = len(self.frames) - 1
        play = widgets.Play(value=0, min=0, max=last, interval=PLAY_INTERVAL_MS, description="play")
        slider = widgets.IntSlider(value=0, min=0, max=last, description="step", readout=True)
        widgets.jslink((play, "value"), (slider, "value"))
        # full width, so the picture (width:100%, see responsive_svg) shrinks with the cell
        caption, picture = widgets.HTML(), widgets.HTML(layout=widgets.Layout(width="100%"))

        def show(_change: object = None) -> None:
            step = slider.value
            caption.value = f"<pre>{html.escape(self.frames[step].caption)}</pre>"
            picture.value = f'<div id="{scope}"><style>{self.frame_css(step, "#" + scope)}</style>{self._svg}</div>'

        slider.observe(show, names="value")
        show()
        return widgets.VBox([widgets.HBox([play, slider]), caption, picture], layout=widgets.Layout(width="100%"))

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        try:
            import ipywidgets  # noqa: F401
        except ImportError:  # the self-contained HTML player works in Jupyter too
            display(HTML(self.html_fragment(f"chaingrad-player-{next(_player_ids)}")))
        else:
            display(self.widget())

    # -- HTML ------------------------------------------------------------------------------

    def html_fragment(self, element_id: str = "player", *, fit_height: bool = False) -> str:
        """A `<div>` with the player in it: SVG, controls, captions, and its script.

        The picture fits the width of its container (and with `fit_height`, the rest of the
        window: a page of its own); without JavaScript it is still scaled to the container.
        """
        frames = [
            [self.frame_css(step, f"#{element_id}"), frame.caption, f"n{self._index[frame.current]}"]
            for step, frame in enumerate(self.frames)
        ]
        # `<` escaped so no caption (labels are user text) can close the <script> element early.
        values = {
            "ID": element_id,
            "LAST": str(len(self.frames) - 1),
            "INTERVAL": str(PLAY_INTERVAL_MS),
            "SVG": self._svg,
            "FITHEIGHT": "true" if fit_height else "false",
            "FRAMES": json.dumps(frames).replace("<", "\\u003c"),
        }
        return _fill(_FRAGMENT, values)

    def save_html(self, path: str | Path) -> Path:
        """Write one self-contained HTML file (no network needed) that plays in any browser.

        The graph starts fitted to the window; `+`/`−` (or ctrl + wheel, a pinch) zoom, `fit`
        fits again, and dragging the picture pans it.
        """
        title = f"chaingrad: {self.direction} pass of {self.names[self.root]}"
        page = _fill(_PAGE, {"TITLE": html.escape(title), "BODY": self.html_fragment(fit_height=True)})
        path = Path(path)
        path.write_text(page, encoding="utf-8")
        return path


def _fill(template: str, values: dict[str, str]) -> str:
    """Put `values` in for `__NAME__`, in one pass: text put in (labels are user text) is never re-read."""
    return re.sub(r"__([A-Z]+)__", lambda match: values[match.group(1)], template)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1em; }
h1 { font-size: 1.3em; margin: 0 0 .5em; }
</style>
</head>
<body>
<h1>__TITLE__</h1>
__BODY__
</body>
</html>
"""

# The picture starts fitted to the page (never wider than drawn); +/- zoom (also ctrl + wheel,
# or a pinch, around the pointer), fit goes back, and dragging pans. The picture box scrolls
# inside itself, so a zoomed-in graph never widens the page.
_FRAGMENT = """<div class="chaingrad-player" id="__ID__">
<style>
#__ID__ .controls { display: flex; flex-wrap: wrap; gap: .4em; align-items: center; }
#__ID__ .controls input { flex: 1 1 8em; min-width: 6em; max-width: 24em; }
#__ID__ pre { background: #f6f6f6; padding: .6em; min-height: 3.6em; white-space: pre-wrap; margin: .5em 0; }
#__ID__ .picture { overflow: auto; max-width: 100%; border: 1px solid #e5e7eb; cursor: grab; touch-action: none; }
#__ID__ .picture svg { display: block; height: auto; max-width: none; }
</style>
<div class="controls"><button type="button" class="play">play</button>
<input type="range" min="0" max="__LAST__" value="0" aria-label="step">
<span class="counter"></span>
<button type="button" class="zoom-out" title="zoom out">−</button>
<button type="button" class="fit" title="fit the graph to the page">fit</button>
<button type="button" class="zoom-in" title="zoom in">+</button>
<span class="scale"></span></div>
<pre class="caption"></pre>
<style class="frame"></style>
<div class="picture">__SVG__</div>
<script>
(function () {
  var root = document.getElementById("__ID__"), frames = __FRAMES__, timer = null;
  var button = root.querySelector("button.play"), slider = root.querySelector("input");
  var picture = root.querySelector(".picture"), svg = picture.querySelector("svg");
  var box = svg.viewBox.baseVal, natural = {w: box.width * 4 / 3, h: box.height * 4 / 3};  // pt to px
  var scale = 1, fitted = true;
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  svg.style.maxWidth = svg.style.minWidth = "none";  // the size is ours now: zoom may go past it
  function setScale(s, x, y) {
    s = Math.min(Math.max(s, 0.05), 8);
    var r = picture.getBoundingClientRect();
    x = x === undefined ? picture.clientWidth / 2 : x - r.left;  // keep this point where it is
    y = y === undefined ? picture.clientHeight / 2 : y - r.top;
    var k = s / scale, left = picture.scrollLeft, top = picture.scrollTop;
    scale = s;
    svg.style.width = natural.w * s + "px";
    svg.style.height = natural.h * s + "px";
    picture.scrollLeft = (left + x) * k - x;
    picture.scrollTop = (top + y) * k - y;
    root.querySelector(".scale").textContent = Math.round(s * 100) + "%";
  }
  function fit() {
    fitted = true;
    var room = Infinity;
    if (__FITHEIGHT__) {  // a page of its own: the picture also fits the rest of the window
      room = Math.max(240, window.innerHeight - picture.getBoundingClientRect().top - 24);
      picture.style.maxHeight = room + "px";
    }
    setScale(Math.min(1, (picture.clientWidth - 2) / natural.w, (room - 2) / natural.h));
  }
  root.querySelector(".zoom-in").onclick = function () { fitted = false; setScale(scale * 1.25); };
  root.querySelector(".zoom-out").onclick = function () { fitted = false; setScale(scale / 1.25); };
  root.querySelector(".fit").onclick = fit;
  window.addEventListener("resize", function () { if (fitted) fit(); });
  picture.addEventListener("wheel", function (e) {
    if (!e.ctrlKey && !e.metaKey) return;  // a plain wheel scrolls the page as usual
    e.preventDefault();
    fitted = false;
    setScale(scale * Math.exp(-e.deltaY / 300), e.clientX, e.clientY);
  }, {passive: false});
  var drag = null;
  picture.addEventListener("pointerdown", function (e) {
    drag = {x: e.clientX, y: e.clientY, left: picture.scrollLeft, top: picture.scrollTop};
    picture.style.cursor = "grabbing";
  });
  window.addEventListener("pointermove", function (e) {
    if (!drag) return;
    picture.scrollLeft = drag.left - (e.clientX - drag.x);
    picture.scrollTop = drag.top - (e.clientY - drag.y);
  });
  window.addEventListener("pointerup", function () { drag = null; picture.style.cursor = ""; });
  function show(i, scroll) {
    slider.value = i;
    root.querySelector("style.frame").textContent = frames[i][0];
    root.querySelector(".caption").textContent = frames[i][1];
    root.querySelector(".counter").textContent = "step " + (i + 1) + " of " + frames.length;
    if (scroll) root.querySelector("#" + frames[i][2]).scrollIntoView({block: "nearest", inline: "nearest"});
  }
  function stop() { clearInterval(timer); timer = null; button.textContent = "play"; }
  function next() { if (+slider.value < frames.length - 1) show(+slider.value + 1, true); else stop(); }
  button.onclick = function () {
    if (timer) return stop();
    if (+slider.value === frames.length - 1) show(0, true);
    button.textContent = "pause";
    timer = setInterval(next, __INTERVAL__);
  };
  slider.oninput = function () { stop(); show(+slider.value, true); };
  show(0, false);
  fit();
})();
</script>
</div>"""
