"""See the gradients: graph pictures, step-through forward and backward passes, the chain rule.

    >>> from autograd import Value
    >>> from autograd.viz import draw_dot, animate_forward, animate_backward, explain
    >>> a, b = Value(2.0, "a"), Value(-3.0, "b")
    >>> c = a * b + a.tanh(); c.label = "c"; c.backward()
    >>> draw_dot(c)                                 # the graph with data and grads (SVG in Jupyter)
    >>> draw_dot(c).render("graph", format="png")   # in a plain script: writes graph.png
    >>> animate_backward(c)                         # slider + play: gradients flowing back
    >>> animate_backward(c).save_html("c.html")     # the same player, in one offline HTML file
    >>> print(explain(c, a))                        # ∂c/∂a as a sum over paths

Every view names a node the same way: its label, else `v1, v2, ...` in creation order; an
unlabelled output is `out`. Derivatives are written with ∂, as in the course: the gradient
flowing from the output, ∂c/∂e, and the local derivative of one op, ∂e/∂a (marked `local`).

Everything here only reads the graph. Drawing needs graphviz (the Python package, imported
only when a picture is built, and Graphviz's `dot` program to render it); frames, captions and
explanations are plain Python.

    graph.py       names, kinds and formulas shared by every view
    draw.py        draw_dot and the Graphviz picture the players restyle
    steps.py       the frames of a forward and a backward pass (pure Python)
    player.py      the Jupyter widget and the self-contained HTML player
    chain_rule.py  explain: paths, products, and why backprop is dynamic programming
"""

from .chain_rule import ChainPath, Explanation, explain
from .draw import draw_dot
from .player import Player, animate_backward, animate_forward
from .steps import Frame

__all__ = ["draw_dot", "animate_forward", "animate_backward", "explain", "Explanation", "ChainPath", "Player", "Frame"]
