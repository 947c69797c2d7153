"""What pictures, players and explanations need to know about a graph: names, kinds, formulas.

Pure Python, no graphviz. Every view reads the graph through these few functions, so a node
has the same name in a picture, a caption and an explanation, and a learner can match them.
"""

from __future__ import annotations

from collections import Counter

from ..value import Value, operands_of

INFIX_OPS = ("+", "*", "/", "**")
MAX_LISTED_OPERANDS = 8  # longer sums and dot products are abbreviated in captions


def fmt(x: float) -> str:
    """Every number shown to a learner: 4 decimals (`2.0000`), as in the pictures.

    A number that rounds to zero is `0.0000`, never `-0.0000` (a sign on nothing reads as a bug).
    """
    text = f"{float(x):.4f}"
    return "0.0000" if text == "-0.0000" else text


def operand(x: float) -> str:
    """A number inside a formula: negative ones in parentheses, so `(-0.5) ** 2` reads right."""
    text = fmt(x)
    return f"({text})" if text.startswith("-") else text


def partial(top: str, bottom: str) -> str:
    """`∂top/∂bottom`: the course writes every derivative with ∂ (see the notation card)."""
    return f"∂{top}/∂{bottom}"


def local_partial(op_node: Value, bottom: str, names: dict[Value, str], root: Value) -> str:
    """The local derivative of `op_node` with respect to its operand `bottom`: `∂e/∂a`.

    When the op is the output itself, `∂out/∂a` would read exactly like the flowing gradient, so
    the op is written out instead: `∂(d·f)/∂d`.
    """
    written = output_op(op_node, names, root)
    return partial(f"({written.replace(' * ', '·')})" if written else names[op_node], bottom)


def output_op(op_node: Value, names: dict[Value, str], root: Value) -> str | None:
    """`d * f` when `op_node` is the output's own op, whose local derivative is written with it; else None."""
    return formula(op_node, names) if op_node is root and op_node.parents else None


def constant(x: float) -> str:
    """A plain number that took part in an op (not a node): `2`, `-1`, `0.5`."""
    text = f"{float(x):g}"  # float(): a numpy scalar prints as a number, not `np.float64(...)`
    return "0" if text == "-0" else text


def module_prefix(label: str) -> str | None:
    """`layer0.neuron3` for `layer0.neuron3.w1`: the module path nn puts on its parameters.

    Only dotted identifiers count, so a label such as `3.5` or `x.` has no prefix.
    """
    parts = label.split(".")
    if len(parts) < 2 or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts[:-1])


def parameter_rank(label: str, position: int) -> tuple[int, int]:
    """Sort key that lists a neuron's parameters `w0, w1, ..., w(n-1), b`, then anything else.

    `position` (the node's place in creation order) breaks ties and orders other labels.
    """
    last = label.rsplit(".", 1)[-1]
    if last[:1] == "w" and last[1:].isdigit():
        return (0, int(last[1:]))
    if last == "b":
        return (1, position)
    return (2, position)


def kind_of(node: Value, root: Value) -> str:
    """`root`, `parameter` (a leaf labelled by nn), `input` (any other leaf) or `interior`."""
    if node is root:
        return "root"
    if node.parents:
        return "interior"
    return "parameter" if module_prefix(node.label) else "input"


def creation_order(root: Value) -> list[Value]:
    """Every Value `root` depends on, in the order Python created them; `root` comes last.

    A Value records no time stamp, but Python evaluates an expression operands first, left to
    right, so walking the graph depth-first, operands in order, meets the nodes in the order
    they were made: for `a * b + a.tanh()` that is a, b, a * b, tanh(a), the sum. (Code that
    builds two parts in separate statements and then combines them the other way round,
    `e = a * b; t = a.tanh(); c = t + e`, is walked as written in the last line: t before e.)
    Iterative, so a deep graph needs no recursion.
    """
    order: list[Value] = []
    seen = {root}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:  # resumes where it stopped when we come back to this node
            if parent not in seen:
                seen.add(parent)
                stack.append((parent, iter(parent.parents)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def graph_below(root: Value, max_nodes: int, caller: str) -> list[Value]:
    """Every Value `root` depends on, in creation order; refuses graphs too big to look at."""
    if not isinstance(root, Value):
        raise TypeError(f"{caller}: expected a Value, got {type(root).__name__} {root!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"{caller}: max_nodes must be a positive int, got {max_nodes!r}")
    order = creation_order(root)
    if len(order) > max_nodes:
        raise ValueError(
            f"{caller}: the graph has {len(order)} Values, more than max_nodes={max_nodes}; "
            f"show a smaller piece of it (one neuron, or the loss of a single example) "
            f"or pass max_nodes={len(order)} if you really want all of it"
        )
    return order


def node_names(order: list[Value]) -> dict[Value, str]:
    """A name per node of `order` (creation order, root last), the same in every view.

    A node is called by its label; the root without a label is `out`; every other unlabelled
    node is `v1`, `v2`, ... in creation order, numbered without gaps (a generated name that a
    label already uses is skipped). A label used by several nodes gets `#1`, `#2`, ... so that
    no two nodes in a caption look the same.
    """
    root = order[-1]
    labels = [node.label or ("out" if node is root else "") for node in order]
    uses = Counter(labels)
    names: dict[Value, str] = {}
    generated, repeats = 0, Counter()
    for node, label in zip(order, labels):
        if not label:
            generated += 1
            while f"v{generated}" in uses:  # a label already takes this name
                generated += 1
            names[node] = f"v{generated}"
        elif uses[label] > 1:
            repeats[label] += 1
            names[node] = f"{label}#{repeats[label]}"
        else:
            names[node] = label
    return names


def formula(node: Value, show: dict[Value, str] | None) -> str:
    """How `node` was computed: with names (`a * b`), or with numbers when `show` is None.

    Plain-number operands (constants, not nodes) appear as themselves: `a ** 2`.
    """

    def term(x: object, infix: bool = True) -> str:
        if isinstance(x, Value) and show is not None:
            return show[x]
        text = fmt(x.data) if isinstance(x, Value) else constant(x)
        # (-0.5) ** 2, not -0.5 ** 2; but tanh(-0.5) needs no parentheses.
        return f"({text})" if infix and show is None and text.startswith("-") else text

    operands = operands_of(node)
    if node.op in INFIX_OPS and len(operands) == 2:
        return f"{term(operands[0])} {node.op} {term(operands[1])}"
    if node.op == "dot":  # operands are (w0, ..., w[n-1], x0, ..., x[n-1])
        n = len(operands) // 2
        terms = [f"{term(w)}*{term(x)}" for w, x in zip(operands[:n], operands[n:])]
        return _abbreviated(terms, " + ")
    return f"{node.op}({_abbreviated([term(x, infix=False) for x in operands], ', ')})"


def _abbreviated(terms: list[str], joiner: str) -> str:
    if len(terms) <= MAX_LISTED_OPERANDS:
        return joiner.join(terms)
    return joiner.join(terms[:MAX_LISTED_OPERANDS]) + f"{joiner}… ({len(terms) - MAX_LISTED_OPERANDS} more)"
