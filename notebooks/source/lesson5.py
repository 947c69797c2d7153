"""Lesson 5: one hidden layer by hand: deltas, the update rule, the matrix form, relu; floats against chaingrad."""

from nbtools import check, code, exercise, md

FILENAME = "05_one_hidden_layer.ipynb"

CARD = "[the notation card](03_chain_rule.ipynb#notation-card)"

CELLS = [
    md(
        rf"""
        # Lesson 5 · One hidden layer, by hand

        This is the derivation every backprop tutorial does, with every number checked. The symbols are
        those of {CARD} (lesson 3); the ones this lesson uses:

        | symbol | meaning | code |
        |---|---|---|
        | $z_i$ | the **output** of unit $i$ (for an input unit, the input $x_i$ itself) | `z[i]` |
        | $w_{{i\to j}}$ | the weight on the connection from unit $i$ to unit $j$ | `w[i, j]` |
        | $s_j = \sum_i w_{{i\to j}} z_i + b_j$ | the **weighted input** of unit $j$ | `s[j]` |
        | $z_j = \sigma(s_j)$ | its output; for an output unit also written $\hat y_k$ | `z[j]` |
        | $E = \tfrac12 \sum_k (\hat y_k - y_k)^2$ | the **cost** of one example | `E` |
        | $\delta_j = \partial E / \partial s_j$ | the unit's **delta** (its error) | `delta[j]`, `s_j.grad` |
        | $W^{{(\ell)}}$ | layer $\ell$'s weights as a matrix, **row = receiving unit**: $W^{{(\ell)}}[j, i] = w_{{i\to j}}$ | `W1[j][i]` |

        Layers are numbered $\ell = 0$ (the inputs), $1$ (hidden), $2$ (outputs); $L = 2$ is the **last layer**,
        never the cost. You will derive $\delta$ for output and hidden units and the update
        $\Delta w_{{i\to j}} = -\eta\,\delta_j z_i$, implement them with **plain floats**, check every gradient
        against chaingrad to $10^{{-12}}$, see the same step as a few **matrix products** (one example, then a
        whole mini-batch), and meet **relu**, the activation lesson 6 trains with.
        """
    ),
    code(
        """
        import itertools
        import math
        import random

        import graphviz
        import numpy as np
        from checker import check
        from IPython.display import SVG, display

        from autograd import Value, dot, grad
        from autograd import sum as vsum
        from autograd.viz import animate_forward
        from nn.optim import SGD


        def sigmoid(s):
            return 1.0 / (1.0 + math.exp(-s))


        def sigmoid_prime(s):  # the local derivative dz/ds of a sigmoid unit
            return sigmoid(s) * (1.0 - sigmoid(s))


        def show(x, digits=6):
            \"\"\"x with a sign and `digits` decimals; a number that rounds to zero prints as 0, never -0.\"\"\"
            text = f"{x:+.{digits}f}"
            return text if float(text) != 0 else f" {0:.{digits}f}"
        """
    ),
    md(
        r"""
        ## The network

        Two inputs (units 1, 2), a hidden layer of three sigmoid units (3, 4, 5), two sigmoid output units
        (6, 7), and the squared-error cost for one example with targets $y_6, y_7$:

        $$E = \tfrac{1}{2} \sum_{k \in \{6, 7\}} (\hat y_k - y_k)^2 .$$

        The $\tfrac12$ is there so that the derivative $\partial E/\partial \hat y_k = \hat y_k - y_k$ has no 2 in
        front: it rescales $E$, not where its minimum is.
        """
    ),
    code(
        """
        inputs, hidden, outputs = [1, 2], [3, 4, 5], [6, 7]
        FONT = {"fontname": "Helvetica", "fontsize": "12"}  # one font for every label
        picture = graphviz.Digraph(graph_attr={"rankdir": "LR", "ranksep": "1.4", **FONT}, node_attr={"shape": "circle", **FONT})
        for i in inputs:
            picture.node(str(i), f"{i}\\ninput", style="filled", fillcolor="#dbeafe")
        for j in hidden:
            picture.node(str(j), f"{j}\\nhidden")
        for k in outputs:
            picture.node(str(k), f"{k}\\noutput", style="filled", fillcolor="#dcfce7")
        for i, j in itertools.product(inputs, hidden):
            picture.edge(str(i), str(j))
        for j, k in itertools.product(hidden, outputs):
            picture.edge(str(j), str(k))
        picture
        """
    ),
    md(
        r"""
        ## Feed forward, with plain floats

        Weights start as random numbers between $-1$ and $1$; each is stored under its connection $(i, j)$, so
        `w[1, 3]` is $w_{1\to 3}$, the weight from unit 1 to unit 3.
        """
    ),
    code(
        """
        rng = random.Random(0)
        w = {(i, j): rng.uniform(-1, 1) for i in inputs for j in hidden}
        w |= {(j, k): rng.uniform(-1, 1) for j in hidden for k in outputs}
        b = {j: rng.uniform(-0.5, 0.5) for j in hidden + outputs}
        z = {1: 0.35, 2: 0.9}  # the example's inputs are the outputs of units 1 and 2
        y = {6: 1.0, 7: 0.0}  # its targets

        s = {}
        for j in hidden:
            s[j] = sum(w[i, j] * z[i] for i in inputs) + b[j]
            z[j] = sigmoid(s[j])
        for k in outputs:
            s[k] = sum(w[j, k] * z[j] for j in hidden) + b[k]
            z[k] = sigmoid(s[k])  # y_hat_k
        E = 0.5 * sum((z[k] - y[k]) ** 2 for k in outputs)
        for unit in hidden + outputs:
            print(f"unit {unit}: s = {show(s[unit])}, z = {z[unit]:.6f}")
        print(f"E = {E:.6f}")
        """
    ),
    md(
        r"""
        ## The delta of an output unit

        $w_{j\to k}$ reaches $E$ through one path: $s_k$, then $\hat y_k$. The chain rule gives three factors. The
        first is a **flowing** gradient, $\partial E/\partial(\cdot)$: how the cost, at the end of the graph, moves.
        The other two are **local** derivatives: how one op's output moves with one of its inputs.

        $$\frac{\partial E}{\partial w_{j\to k}}
        = \underbrace{\frac{\partial E}{\partial \hat y_k}}_{\hat y_k - y_k}
        \cdot \underbrace{\frac{\partial \hat y_k}{\partial s_k}}_{\sigma'(s_k)}
        \cdot \underbrace{\frac{\partial s_k}{\partial w_{j\to k}}}_{z_j}
        = \delta_k\, z_j, \qquad \text{with} \qquad
        \delta_k = \frac{\partial E}{\partial s_k} = (\hat y_k - y_k)\, \sigma'(s_k).$$
        """
    ),
    code(
        """
        delta = {}
        for k in outputs:
            delta[k] = (z[k] - y[k]) * sigmoid_prime(s[k])
            numbers = f"({z[k]:.6f} - {y[k]}) · {sigmoid_prime(s[k]):.6f}"
            print(f"δ_{k} = ∂E/∂ŷ_{k} · local ∂ŷ_{k}/∂s_{k} = {numbers} = {show(delta[k])}")
        """
    ),
    md(
        r"""
        ### Exercise 5.1 · the output delta with cross-entropy

        For a sigmoid output trained with the cross-entropy $E = -\big(y \log \hat y + (1 - y)\log(1 - \hat y)\big)$
        instead, the first factor changes. Derive $\delta_o = \partial E/\partial s_o$ on paper (use
        $\sigma'(s) = \sigma(s)(1 - \sigma(s))$) and write `output_delta_bce(y_hat, y, s_o)`.
        """
    ),
    exercise(
        "5.1",
        """
        def output_delta_bce(y_hat, y, s_o):
            \"\"\"dE/ds_o for y_hat = sigmoid(s_o) and E = -(y log y_hat + (1 - y) log(1 - y_hat)).\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("5.1", "output_delta_bce"),
    md(
        r"""
        ## The delta of a hidden unit

        $w_{i\to j}$ changes $s_j$, which changes $z_j$, which feeds **every** output unit $k$. So there is one
        path per output, and (lesson 2's fan-out rule) their contributions add:

        $$\frac{\partial E}{\partial w_{i\to j}}
        = \sum_k \underbrace{\frac{\partial E}{\partial s_k}}_{\delta_k}
        \underbrace{\frac{\partial s_k}{\partial z_j}}_{w_{j\to k}}
        \underbrace{\frac{\partial z_j}{\partial s_j}}_{\sigma'(s_j)}
        \underbrace{\frac{\partial s_j}{\partial w_{i\to j}}}_{z_i}
        = \delta_j\, z_i, \qquad\text{with}\qquad
        \delta_j = \sigma'(s_j) \sum_k w_{j\to k}\, \delta_k .$$

        Every weight's gradient now has the same shape, $\partial E/\partial w_{i\to j} = \delta_j z_i$: the delta
        of the unit the weight points **to**, times the output of the unit it comes **from**. A bias is the
        weight of an input that is always 1, so $\partial E/\partial b_j = \delta_j$. Deltas flow backwards:
        the hidden deltas need the output deltas first. That is the *backward* in backpropagation.
        """
    ),
    code(
        """
        for j in hidden:
            delta[j] = sigmoid_prime(s[j]) * sum(w[j, k] * delta[k] for k in outputs)
            print(f"δ_{j} = local σ'(s_{j}) · Σ_k w_{j}→k δ_k = {show(delta[j])}")

        grad_w = {(i, j): delta[j] * z[i] for (i, j) in w}  # dE/dw_(i->j) = delta_j z_i
        grad_b = {j: delta[j] for j in b}  # dE/db_j = delta_j
        """
    ),
    md(
        r"""
        ### Exercise 5.2 · hidden deltas for tanh units

        Hidden units often use $\tanh$ instead of $\sigma$; only the local derivative changes, to
        $\tanh'(s) = 1 - \tanh(s)^2$. Write `hidden_deltas_tanh(s_hidden, W_out, deltas_out)`: `s_hidden[j]`
        is $s_j$, `deltas_out[k]` is $\delta_k$, and `W_out` is the next layer's weight matrix with the card's
        convention, **row = receiving unit** (PyTorch's `out × in`): `W_out[k][j]` is $w_{j\to k}$. Return the
        list of $\delta_j$. (Which entries of `W_out` does unit $j$'s sum need: a row or a column?)
        """
    ),
    exercise(
        "5.2",
        """
        def hidden_deltas_tanh(s_hidden, W_out, deltas_out):
            \"\"\"[delta_j for each hidden tanh unit j]; W_out[k][j] is the weight from hidden unit j to unit k.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("5.2", "hidden_deltas_tanh"),
    md(
        r"""
        ## Every gradient against chaingrad

        Build the same network from `Value`s. Each weighted input $s_j$ is one `dot` node over the unit's
        incoming weights and its bias (the bias multiplies a constant 1), so $s_j$ is a single `Value` we
        can label and inspect.
        """
    ),
    code(
        """
        def build(w, b, x):
            \"\"\"The network as Values: (E, weights, biases, weighted inputs, outputs), every node labelled.\"\"\"
            wv = {(i, j): Value(value, label=f"w{i}→{j}") for (i, j), value in w.items()}
            bv = {j: Value(value, label=f"b{j}") for j, value in b.items()}
            zv = {i: Value(x[i], label=f"x{i}") for i in inputs}
            sv = {}
            for layer, sources in ((hidden, inputs), (outputs, hidden)):
                for j in layer:
                    sv[j] = dot([wv[i, j] for i in sources] + [bv[j]], [zv[i] for i in sources] + [1.0])
                    sv[j].label = f"s{j}"
                    zv[j] = sv[j].sigmoid()
                    zv[j].label = f"z{j}"
            errors = []
            for k in outputs:
                errors.append(zv[k] - y[k])
                errors[-1].label = f"e{k}"  # e_k = y_hat_k - y_k
            Ev = 0.5 * vsum([e**2 for e in errors])
            Ev.label = "E"
            return Ev, wv, bv, sv, zv


        Ev, wv, bv, sv, zv = build(w, b, z)
        Ev.backward()
        assert abs(Ev.data - E) < 1e-15

        print(f"{'parameter':>9} {'δ_j z_i (floats)':>22} {'chaingrad .grad':>18} {'difference':>10}")
        worst = 0.0
        for key, by_hand in list(grad_w.items()) + list(grad_b.items()):
            node = wv[key] if key in wv else bv[key]
            worst = max(worst, abs(by_hand - node.grad))
            print(f"{node.label:>9} {show(by_hand, 15):>22} {show(node.grad, 15):>18} {abs(by_hand - node.grad):10.1e}")
        print(f"all {len(grad_w) + len(grad_b)} gradients agree; largest difference {worst:.1e}")
        assert worst < 1e-12
        """
    ),
    md(
        r"""
        ## A delta is the `.grad` of a weighted input

        $\delta_j$ was *defined* as $\partial E/\partial s_j$, and `backward()` stores $\partial E/\partial s_j$ in
        `s_j.grad`. So the deltas of the derivation are sitting in the graph:
        """
    ),
    code(
        """
        for j in hidden + outputs:
            print(f"δ_{j} = {show(delta[j], 15)}   s{j}.grad = {show(sv[j].grad, 15)}")
            assert abs(delta[j] - sv[j].grad) < 1e-12
        """
    ),
    md(
        r"""
        ## The forward pass, visualised

        Press play (or drag the slider) to watch the example go through the network, up to the output
        $\hat y_6 = z_6$ of the first output unit (every hidden unit feeds it; unit 7 and the cost repeat the
        same pattern, and the whole graph, `animate_forward(Ev)`, is too wide to read on one page). Each step
        computes one `Value` from the ones before it, in the order `backward()` will later walk in reverse. Each
        $s_j$ is one `dot` node (its weights, its bias, and the outputs of the layer before), then a `sigmoid`
        gives $z_j$.
        """
    ),
    code(
        """
        player = animate_forward(zv[6])
        player
        """
    ),
    md(
        r"""
        A widget does not play on GitHub, so here is one of its frames as a picture: the step that computes the
        weighted input $s_6$ of the first output unit. Every step's number is the value the forward pass stored:
        """
    ),
    code(
        """
        for frame in player.frames:
            assert frame.result == frame.current.data
        step = next(i for i, frame in enumerate(player.frames) if frame.current is sv[6])
        print(f"step {step + 1} of {len(player)}:\\n{player.frames[step].caption}")
        display(SVG(player.svg(step)))
        """
    ),
    md(
        r"""
        The same numbers on the network diagram: each unit shows its bias $b$, weighted input $s$, output $z$
        and delta $\delta$ (from `s.grad`). Edges are blue for positive weights and red for negative ones,
        thicker when larger; the weights themselves are printed as matrices in the next section.
        """
    ),
    code(
        """
        def unit_label(j):
            rows = [f"<b>unit {j}</b>"]
            if j in inputs:
                rows.append(f"z = x = {zv[j].data:.3f}")
            else:
                rows += [f"b = {show(bv[j].data, 3)}", f"s = {show(sv[j].data, 3)}", f"z = {zv[j].data:.3f}"]
                rows.append(f"δ = {show(sv[j].grad, 4)}")
            return "<" + "<br/>".join(rows) + ">"


        FILL = {**dict.fromkeys(inputs, "#dbeafe"), **dict.fromkeys(hidden, "#ffffff"), **dict.fromkeys(outputs, "#dcfce7")}
        values = graphviz.Digraph(
            graph_attr={"rankdir": "LR", "ranksep": "1.6", "nodesep": "0.3", **FONT},
            node_attr={"shape": "box", "style": "rounded,filled", **FONT},
        )
        for j in inputs + hidden + outputs:
            values.node(str(j), unit_label(j), fillcolor=FILL[j])
        for (i, j), weight in wv.items():
            colour = "#2563eb" if weight.data > 0 else "#dc2626"
            values.edge(str(i), str(j), color=colour, penwidth=f"{0.5 + 2.5 * abs(weight.data):.2f}")
        values
        """
    ),
    md(
        r"""
        ## The matrix form

        Collect layer $\ell$'s weights in a matrix $W^{(\ell)}$ with **one row per receiving unit** and one column
        per sending unit, $W^{(\ell)}[j, i] = w_{i\to j}$ (PyTorch's `nn.Linear.weight` is laid out the same way:
        `out × in`), and the layer's biases, weighted inputs, outputs and deltas in column vectors. Then the
        forward pass is one matrix-vector product per layer,

        $$s^{(\ell)} = W^{(\ell)} z^{(\ell-1)} + b^{(\ell)}, \qquad z^{(\ell)} = \sigma(s^{(\ell)}) \quad (z^{(0)} = x),$$

        and the backward pass is the hidden-delta rule with the sum written as a product with the
        **transpose**: $\sum_k w_{j\to k}\delta_k$ runs down **column** $j$ of $W^{(2)}$, which is row $j$ of
        $W^{(2)\top}$:

        $$\delta^{(2)} = (\hat y - y) \odot \sigma'(s^{(2)}), \qquad
        \delta^{(1)} = \sigma'(s^{(1)}) \odot W^{(2)\top} \delta^{(2)}, \qquad
        \nabla_{W^{(\ell)}} E = \delta^{(\ell)}\, z^{(\ell-1)\top}, \qquad \nabla_{b^{(\ell)}} E = \delta^{(\ell)} .$$

        ($\odot$ multiplies entry by entry.) The gradient of a whole weight matrix is an **outer product**:
        entry $[j, i]$ of $\delta z^\top$ is $\delta_j z_i$, the rule above. Written with plain lists:
        """
    ),
    code(
        """
        def matvec(M, v):
            return [sum(m * x for m, x in zip(row, v)) for row in M]


        def transpose(M):
            return [list(column) for column in zip(*M)]


        def outer(u, v):
            return [[a * c for c in v] for a in u]


        W1 = [[w[i, j] for i in inputs] for j in hidden]  # 3 x 2: row j is hidden unit j's incoming weights
        W2 = [[w[j, k] for j in hidden] for k in outputs]  # 2 x 3
        b1, b2 = [b[j] for j in hidden], [b[k] for k in outputs]
        x, target = [z[i] for i in inputs], [y[k] for k in outputs]

        s1 = [a + c for a, c in zip(matvec(W1, x), b1)]  # forward
        z1 = [sigmoid(v) for v in s1]
        s2 = [a + c for a, c in zip(matvec(W2, z1), b2)]
        y_hat = [sigmoid(v) for v in s2]
        delta2 = [(p - t) * sigmoid_prime(v) for p, t, v in zip(y_hat, target, s2)]  # backward
        delta1 = [sigmoid_prime(v) * g for v, g in zip(s1, matvec(transpose(W2), delta2))]
        grad_W1, grad_W2 = outer(delta1, x), outer(delta2, z1)

        def matrix(M, digits=4):
            return "[" + ", ".join("[" + ", ".join(show(v, digits) for v in row) + "]" for row in M) + "]"


        print("W(1) =", matrix(W1))
        print("W(2) =", matrix(W2))
        print("∇W(2) = δ(2) z(1)ᵀ =", matrix(grad_W2, 6))
        checked = 0
        for (rows, cols), grad_W in (((hidden, inputs), grad_W1), ((outputs, hidden), grad_W2)):
            for r, j in enumerate(rows):
                for c, i in enumerate(cols):
                    assert abs(grad_W[r][c] - wv[i, j].grad) < 1e-12  # entry [j, i] is dE/dw_(i->j)
                    checked += 1
        for layer, deltas in ((hidden, delta1), (outputs, delta2)):
            for j, d in zip(layer, deltas):
                assert abs(d - sv[j].grad) < 1e-12 and abs(d - bv[j].grad) < 1e-12
                checked += 2
        print(f"all {checked} entries of ∇W(1), ∇W(2), δ(1) = ∇b(1), δ(2) = ∇b(2) equal chaingrad's .grad to 1e-12")
        """
    ),
    md(
        r"""
        ### A mini-batch is a matrix

        Lesson 6 trains on **mini-batches**: the cost of a batch of $B$ examples is the mean of their costs, so
        its gradient is the mean of their gradients. Put the examples side by side as the columns of a matrix,
        $Z^{(0)} = [x^{1} \cdots x^{B}]$ (here superscripts count examples). Then every formula above holds
        column by column, and the sum over examples of the outer products $\delta z^\top$ is one matrix product:

        $$S^{(\ell)} = W^{(\ell)} Z^{(\ell-1)} + b^{(\ell)} \mathbf{1}^\top, \qquad
        \Delta^{(1)} = \sigma'(S^{(1)}) \odot W^{(2)\top} \Delta^{(2)}, \qquad
        \nabla_{W^{(\ell)}} E = \tfrac{1}{B}\, \Delta^{(\ell)} Z^{(\ell-1)\top}, \qquad
        \nabla_{b^{(\ell)}} E = \tfrac{1}{B}\, \Delta^{(\ell)} \mathbf{1}.$$

        NumPy and PyTorch keep one example per **row** instead ($X$ is $B \times 2$), so the same products
        appear transposed: $S^{(1)\top} = X W^{(1)\top} + b^{(1)\top}$. This is the whole step, vectorised, on a
        batch of 8 examples, every entry checked against chaingrad's `.grad` of the batch's mean cost; it is
        what `nn.Linear` computes (lesson 7 moves a chaingrad model to PyTorch with `nn.export.to_torch`).
        """
    ),
    code(
        """
        batch = np.random.default_rng(1)
        X = batch.uniform(-1, 1, (8, 2))  # 8 examples, one per row
        Y = batch.uniform(0, 1, (8, 2))  # their targets
        nW1, nb1, nW2, nb2 = np.array(W1), np.array(b1), np.array(W2), np.array(b2)


        def np_sigmoid(S):
            return 1.0 / (1.0 + np.exp(-S))


        S1 = X @ nW1.T + nb1  # 8 x 3: row n holds s(1) of example n
        Z1 = np_sigmoid(S1)
        S2 = Z1 @ nW2.T + nb2  # 8 x 2
        Y_hat = np_sigmoid(S2)
        D2 = (Y_hat - Y) * Y_hat * (1 - Y_hat)  # 8 x 2: row n is δ(2) of example n
        D1 = Z1 * (1 - Z1) * (D2 @ nW2)  # (W(2)ᵀ δ(2))ᵀ = δ(2)ᵀ W(2)
        B = len(X)
        gW2, gb2 = D2.T @ Z1 / B, D2.mean(axis=0)  # (1/B) Σ_n δ z ᵀ, one product
        gW1, gb1 = D1.T @ X / B, D1.mean(axis=0)
        print("∇W(1) =", matrix(gW1, 6))

        # the same batch through chaingrad: the mean of the 8 examples' costs E_n
        Wv1 = [[Value(v) for v in row] for row in W1]
        Wv2 = [[Value(v) for v in row] for row in W2]
        bv1, bv2 = [Value(v) for v in b1], [Value(v) for v in b2]
        costs = []
        for x_n, y_n in zip(X.tolist(), Y.tolist()):
            h = [(dot(row, x_n) + c).sigmoid() for row, c in zip(Wv1, bv1)]
            out = [(dot(row, h) + c).sigmoid() for row, c in zip(Wv2, bv2)]
            costs.append(0.5 * vsum([(o - t) ** 2 for o, t in zip(out, y_n)]))
        E_batch = vsum(costs) / B
        E_batch.backward()
        pairs = [(gW1, Wv1), (gW2, Wv2), ([gb1], [bv1]), ([gb2], [bv2])]
        worst = max(abs(g - v.grad) for ours, theirs in pairs for r, vr in zip(ours, theirs) for g, v in zip(r, vr))
        assert abs(0.5 * ((Y_hat - Y) ** 2).sum() / B - E_batch.data) < 1e-12
        print(f"all {sum(len(r) for _, m in pairs for r in m)} batch gradients: NumPy and chaingrad differ by at most {worst:.1e}")
        assert worst < 1e-12
        """
    ),
    md(
        r"""
        ## The update rule

        Gradient descent moves each weight a small step $\eta$ against its gradient:

        $$\Delta w_{i\to j} = -\eta\, \frac{\partial E}{\partial w_{i\to j}} = -\eta\, \delta_j z_i,
        \qquad \Delta b_j = -\eta\, \delta_j \qquad
        \big(\text{in matrix form: } \Delta W^{(\ell)} = -\eta\, \delta^{(\ell)} z^{(\ell-1)\top}\big).$$

        Apply it with floats, apply `nn.optim.SGD` to the `Value`s, and compare; then run the network again:
        the cost went down.
        """
    ),
    code(
        """
        eta = 0.5
        new_w = {(i, j): w[i, j] - eta * delta[j] * z[i] for (i, j) in w}
        new_b = {j: b[j] - eta * delta[j] for j in b}

        parameters = list(wv.values()) + list(bv.values())
        SGD(parameters, lr=eta).step()
        assert all(abs(new_w[key] - wv[key].data) < 1e-12 for key in w)
        assert all(abs(new_b[j] - bv[j].data) < 1e-12 for j in b)


        def cost(w, b):
            out = dict(z)
            for layer, sources in ((hidden, inputs), (outputs, hidden)):
                for j in layer:
                    out[j] = sigmoid(sum(w[i, j] * out[i] for i in sources) + b[j])
            return 0.5 * sum((out[k] - y[k]) ** 2 for k in outputs)


        print(f"floats and SGD agree on all {len(parameters)} new parameters")
        print(f"E before the step: {E:.6f}, after: {cost(new_w, new_b):.6f}")
        assert cost(new_w, new_b) < E
        """
    ),
    md(
        r"""
        Feed forward, feed backward, update; repeat. A few more steps on this one example:
        """
    ),
    code(
        """
        w_now, b_now = dict(new_w), dict(new_b)
        history = [E, cost(w_now, b_now)]
        for _ in range(30):
            E_now, wv_now, bv_now, _, _ = build(w_now, b_now, z)
            E_now.backward()
            w_now = {key: v.data - eta * v.grad for key, v in wv_now.items()}
            b_now = {j: v.data - eta * v.grad for j, v in bv_now.items()}
            history.append(cost(w_now, b_now))
        print("E every 8 steps:", [round(c, 4) for c in history[::8]])
        assert all(later < earlier for earlier, later in itertools.pairwise(history))
        """
    ),
    md(
        r"""
        ### Exercise 5.3 · one training step, in plain floats

        Put the lesson together: write `train_step(x, y, params, eta)` for this kind of network (sigmoid
        hidden and output units, $E = \frac12 \sum_k (\hat y_k - y_k)^2$) of any size. `params` is
        `(W1, b1, W2, b2)` as lists of lists with the card's convention, **row = receiving unit**:
        `W1[j][i]` is $w_{i\to j}$ from input $i$ to hidden unit $j$, `b1[j]` the hidden biases, `W2[k][j]` is
        $w_{j\to k}$ from hidden unit $j$ to output $k$, `b2[k]` the output biases (all indices from 0). Return
        the updated `(W1, b1, W2, b2)`. Compute every delta before changing any weight. The check compares your
        results in the order backprop computes them ($\delta^{(2)}$, so `W2` and `b2`, before `W1` and `b1`), so
        its hint names the first one that is off.
        """
    ),
    exercise(
        "5.3",
        """
        def train_step(x, y, params, eta):
            \"\"\"One feed-forward, feed-backward, update step; returns the new (W1, b1, W2, b2).\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("5.3", "train_step"),
    md(
        r"""
        ## relu, before lesson 6 uses it

        Lesson 6 trains networks whose hidden units use the **rectified linear unit**,
        $\operatorname{relu}(s) = \max(0, s)$. Its local derivative is a step:

        $$\operatorname{relu}'(s) = \begin{cases} 1 & s > 0 \\ 0 & s \le 0 \end{cases}
        \qquad (\text{at } s = 0 \text{ chaingrad, like PyTorch, takes } 0),$$

        so a hidden delta is $\delta_j = \operatorname{relu}'(s_j) \sum_k w_{j\to k}\delta_k$: the flowing gradient
        passes through unchanged where the unit is active and is **cut to exactly 0** where it is not. Unlike
        $\sigma'$, which is at most $\tfrac14$, relu' does not shrink gradients layer after layer; but a unit
        that is inactive on **every** example gets $\delta_j = 0$ on every example, so its incoming weights never
        change again: a **dead unit**. First the derivative, against chaingrad:
        """
    ),
    code(
        """
        for point in (-1.5, -0.2, 0.0, 0.3, 2.0):
            v = Value(point)
            (slope,) = grad(v.relu(), [v])
            expected = 1.0 if point > 0 else 0.0
            print(f"relu({point:+.1f}) = {max(0.0, point):.1f}, relu'({point:+.1f}) = {slope:.0f}")
            assert slope == expected
        """
    ),
    md(
        r"""
        Now a dead unit. Give the lesson's network relu hidden units, 40 training examples, and push unit 5's
        bias to $-3$: with inputs in $[-1, 1]$ its weighted input $s_5$ is negative on every example. Train 50
        steps of full-batch gradient descent and watch unit 5's weights:
        """
    ),
    code(
        """
        data = random.Random(2)
        examples = [([data.uniform(-1, 1), data.uniform(-1, 1)], [data.uniform(0, 1), data.uniform(0, 1)]) for _ in range(40)]
        relu_w = {key: Value(value) for key, value in w.items()}
        relu_b = {j: Value(value) for j, value in b.items()}
        relu_b[5].data = -3.0
        start = {key: v.data for key, v in relu_w.items()}


        def relu_net(x):
            \"\"\"(weighted inputs of the hidden units, outputs) of the relu network on one example.\"\"\"
            s_hid = {j: dot([relu_w[i, j] for i in inputs] + [relu_b[j]], x + [1.0]) for j in hidden}
            h = {j: s_hid[j].relu() for j in hidden}
            out = [dot([relu_w[j, k] for j in hidden] + [relu_b[k]], [h[j] for j in hidden] + [1.0]).sigmoid() for k in outputs]
            return s_hid, out


        params = list(relu_w.values()) + list(relu_b.values())
        active = {j: 0 for j in hidden}
        for step in range(50):
            costs = []
            for x_n, y_n in examples:
                s_hid, out = relu_net(x_n)
                costs.append(0.5 * vsum([(o - t) ** 2 for o, t in zip(out, y_n)]))
                if step == 0:
                    for j in hidden:
                        active[j] += s_hid[j].data > 0
            batch_cost = vsum(costs) / len(examples)
            for p in params:
                p.grad = 0.0
            batch_cost.backward()
            if step == 0:
                print("examples on which each hidden unit is active (s_j > 0):", active)
                for j in hidden:
                    into_j = [relu_w[i, j].grad for i in inputs] + [relu_b[j].grad]
                    zeros = sum(g == 0.0 for g in into_j)
                    print(f"unit {j}: ∂E/∂w and ∂E/∂b into it {[show(g, 6) for g in into_j]}, {zeros} of 3 exactly 0.0")
            for p in params:
                p.data -= 0.5 * p.grad
        moved = {j: max(abs(relu_w[i, j].data - start[i, j]) for i in inputs) for j in hidden}
        print("after 50 steps, the largest change of a weight into each unit:", {j: round(m, 4) for j, m in moved.items()})
        assert active[5] == 0 and moved[5] == 0.0 and min(moved[3], moved[4]) > 0
        """
    ),
    md(
        r"""
        Unit 5 never moved: every $\delta_5$ was exactly 0, so every $\partial E/\partial w_{i\to 5} = \delta_5 z_i$
        was 0. Only something outside the unit (its inputs changing) could wake it up. A large learning rate
        can kill many units at once by throwing their biases far negative in one step; lesson 6 shows it
        happening.

        ## What to remember

        - Output unit: $\delta_k = (\hat y_k - y_k)\,\sigma'(s_k)$ (squared error with the $\tfrac12$); hidden unit:
          $\delta_j = \sigma'(s_j) \sum_k w_{j\to k}\,\delta_k$.
        - Every weight: $\partial E/\partial w_{i\to j} = \delta_j z_i$, and the update is
          $\Delta w_{i\to j} = -\eta\,\delta_j z_i$ (biases: $-\eta\,\delta_j$).
        - A delta is $\partial E/\partial s_j$: chaingrad stores it as `s_j.grad`.
        - Matrix form, $W$ with row = receiving unit: $\delta^{(1)} = \sigma'(s^{(1)}) \odot W^{(2)\top}\delta^{(2)}$,
          $\nabla_W E = \delta z^\top$; a mini-batch is a matrix, and its gradient one product divided by $B$.
        - relu passes the flowing gradient where $s > 0$ and stops it where $s \le 0$; a unit inactive on every
          example is dead: its weights stop changing.

        **Next:** [Lesson 6](06_training.ipynb) repeats these steps over whole data sets: batches, learning
        rates, initialisation, optimizers, and held-out data to check what was learned.
        """
    ),
]
