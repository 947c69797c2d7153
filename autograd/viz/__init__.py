"""See the gradients: graph pictures, step-through forward and backward passes, the chain rule.

    >>> from autograd import Value
    >>> from autograd.viz import draw_dot, animate_forward, animate_backward, explain
    >>> a, b = Value(2.0, "a"), Value(-3.0, "b")
    >>> L = a * b + a; L.label = "L"; L.backward()
    >>> draw_dot(L)                                 # the graph with data and grads (SVG in Jupyter)
    >>> animate_backward(L)                         # slider + play: gradients flowing back
    >>> animate_backward(L).save_html("L.html")     # the same player, in one offline HTML file
    >>> print(explain(L, a))                        # dL/da as a sum over paths

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
