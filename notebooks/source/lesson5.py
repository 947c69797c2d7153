"""Lesson 5: one hidden layer by hand: the deltas, the update rule, plain floats against chaingrad."""

from nbtools import check, code, exercise, md

FILENAME = "05_one_hidden_layer.ipynb"

CELLS = [
    md(
        r"""
        # Lesson 5 · One hidden layer, by hand

        This is the derivation every backprop tutorial does, in the notation they use, with every number
        checked. Units are numbered, and each quantity belongs to one unit:

        | symbol | meaning |
        |---|---|
        | $z_i$ | the output of unit $i$ (for an input unit, the input itself) |
        | $w_{i\to j}$ | the weight on the connection from unit $i$ to unit $j$ |
        | $s_j = \sum_i w_{i\to j} z_i + b_j$ | the weighted input of unit $j$ |
        | $z_j = \sigma(s_j)$ | its output; for an output unit also written $\hat y_k$ |
        | $\delta_j = \partial C / \partial s_j$ | the unit's **delta**: how the cost changes with its weighted input |

        You will derive $\delta$ for output and hidden units and the update
        $\Delta w_{i\to j} = -\eta\,\delta_j z_i$, implement them with **plain floats**, and check every gradient
        against chaingrad to $10^{-12}$; then see that each $\delta_j$ *is* the `.grad` of the `Value` $s_j$.
        """
    ),
    code(
        """
        import itertools
        import math
        import random

        import graphviz
        from checker import check

        from autograd import Value, dot, draw_dot
        from autograd import sum as vsum
        from nn.optim import SGD


        def sigmoid(s):
            return 1.0 / (1.0 + math.exp(-s))


        def sigmoid_prime(s):
            return sigmoid(s) * (1.0 - sigmoid(s))
        """
    ),
    md(
        r"""
        ## The network

        Two inputs (units 1, 2), a hidden layer of three sigmoid units (3, 4, 5), two sigmoid output units
        (6, 7), and the squared-error cost for one example with targets $y_6, y_7$:

        $$C = \tfrac{1}{2} \sum_{k \in \{6, 7\}} (\hat y_k - y_k)^2 .$$

        (The $\tfrac12$ only tidies the derivative.)
        """
    ),
    code(
        """
        inputs, hidden, outputs = [1, 2], [3, 4, 5], [6, 7]
        picture = graphviz.Digraph(graph_attr={"rankdir": "LR", "ranksep": "1.2"}, node_attr={"shape": "circle"})
        for i in inputs:
            picture.node(str(i), f"{i}\\ninput", style="filled", fillcolor="#dbeafe")
        for j in hidden:
            picture.node(str(j), f"{j}\\nhidden")
        for k in outputs:
            picture.node(str(k), f"{k}\\noutput", style="filled", fillcolor="#dcfce7")
        for i in inputs:
            for j in hidden:
                picture.edge(str(i), str(j), label=f"w{i}->{j}", fontsize="8")
        for j in hidden:
            for k in outputs:
                picture.edge(str(j), str(k), label=f"w{j}->{k}", fontsize="8")
        picture
        """
    ),
    md(
        r"""
        ## Feed forward, with plain floats

        Weights start as random numbers between $-1$ and $1$; each is stored under its connection $(i, j)$, so
        `w[1, 3]` is $w_{1\to 3}$.
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
        C = 0.5 * sum((z[k] - y[k]) ** 2 for k in outputs)
        for unit in hidden + outputs:
            print(f"unit {unit}: s = {s[unit]:+.6f}, z = {z[unit]:.6f}")
        print(f"C = {C:.6f}")
        """
    ),
    md(
        r"""
        ## The delta of an output unit

        $w_{j\to k}$ reaches $C$ through one path: $s_k$, then $\hat y_k$. The chain rule gives three factors:

        $$\frac{\partial C}{\partial w_{j\to k}}
        = \underbrace{\frac{\partial C}{\partial \hat y_k}}_{\hat y_k - y_k}
        \cdot \underbrace{\frac{\partial \hat y_k}{\partial s_k}}_{\sigma'(s_k)}
        \cdot \underbrace{\frac{\partial s_k}{\partial w_{j\to k}}}_{z_j}
        = \delta_k\, z_j, \qquad \text{with} \qquad
        \delta_k = \frac{\partial C}{\partial s_k} = (\hat y_k - y_k)\, \sigma'(s_k).$$

        This is the seed's $\delta_o = (\hat y - y)\,\sigma'(s_o)$ for each output $o$.
        """
    ),
    code(
        """
        delta = {}
        for k in outputs:
            delta[k] = (z[k] - y[k]) * sigmoid_prime(s[k])
            numbers = f"({z[k]:.6f} - {y[k]}) * {sigmoid_prime(s[k]):.6f}"
            print(f"delta_{k} = (y_hat - y) sigma'(s_{k}) = {numbers} = {delta[k]:+.6f}")
        """
    ),
    md(
        r"""
        ### Exercise 5.1 · the output delta with cross-entropy

        For a sigmoid output trained with the cross-entropy $C = -\big(y \log \hat y + (1 - y)\log(1 - \hat y)\big)$
        instead, the first factor changes. Derive $\delta_o = \partial C/\partial s_o$ on paper (use
        $\sigma'(s) = \sigma(s)(1 - \sigma(s))$) and write `output_delta_bce(y_hat, y, s_o)`.
        """
    ),
    exercise(
        "5.1",
        """
        def output_delta_bce(y_hat, y, s_o):
            \"\"\"dC/ds_o for y_hat = sigmoid(s_o) and C = -(y log y_hat + (1 - y) log(1 - y_hat)).\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("5.1", "output_delta_bce"),
    md(
        r"""
        ## The delta of a hidden unit

        $w_{i\to j}$ changes $s_j$, which changes $z_j$, which feeds **every** output unit $k$. So there is one
        path per output, and (lesson 3) their contributions add:

        $$\frac{\partial C}{\partial w_{i\to j}}
        = \sum_k \underbrace{\frac{\partial C}{\partial s_k}}_{\delta_k}
        \underbrace{\frac{\partial s_k}{\partial z_j}}_{w_{j\to k}}
        \underbrace{\frac{\partial z_j}{\partial s_j}}_{\sigma'(s_j)}
        \underbrace{\frac{\partial s_j}{\partial w_{i\to j}}}_{z_i}
        = \delta_j\, z_i, \qquad\text{with}\qquad
        \delta_j = \sigma'(s_j) \sum_k w_{j\to k}\, \delta_k .$$

        Every weight's gradient now has the same shape, $\partial C/\partial w_{i\to j} = \delta_j z_i$: the delta
        of the unit the weight points **to**, times the output of the unit it comes **from**. A bias is the
        weight of an input that is always 1, so $\partial C/\partial b_j = \delta_j$. Deltas flow backwards:
        the hidden deltas need the output deltas first. That is the *backward* in backpropagation.
        """
    ),
    code(
        """
        for j in hidden:
            delta[j] = sigmoid_prime(s[j]) * sum(w[j, k] * delta[k] for k in outputs)
            print(f"delta_{j} = sigma'(s_{j}) * sum_k w_{j}->k delta_k = {delta[j]:+.6f}")

        grad_w = {(i, j): delta[j] * z[i] for (i, j) in w}  # dC/dw_(i->j) = delta_j z_i
        grad_b = {j: delta[j] for j in b}  # dC/db_j = delta_j
        """
    ),
    md(
        r"""
        ### Exercise 5.2 · hidden deltas for tanh units

        Hidden units often use $\tanh$ instead of $\sigma$; only $\sigma'$ changes, to
        $\tanh'(s) = 1 - \tanh(s)^2$. Write `hidden_deltas_tanh(s_hidden, W_out, deltas_out)`: `s_hidden[j]`
        is $s_j$, `W_out[j][k]` is $w_{j\to k}$ (row $j$: the hidden unit, column $k$: the unit it feeds),
        `deltas_out[k]` is $\delta_k$. Return the list of $\delta_j$.
        """
    ),
    exercise(
        "5.2",
        """
        def hidden_deltas_tanh(s_hidden, W_out, deltas_out):
            \"\"\"[delta_j for each hidden tanh unit j], given the deltas of the units they feed.\"\"\"
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
        wv = {(i, j): Value(value, label=f"w{i}->{j}") for (i, j), value in w.items()}
        bv = {j: Value(value, label=f"b{j}") for j, value in b.items()}
        zv = {i: Value(z[i], label=f"z{i}") for i in inputs}
        sv = {}
        for layer, sources in ((hidden, inputs), (outputs, hidden)):
            for j in layer:
                sv[j] = dot([wv[i, j] for i in sources] + [bv[j]], [zv[i] for i in sources] + [1.0])
                sv[j].label = f"s{j}"
                zv[j] = sv[j].sigmoid()
                zv[j].label = f"z{j}"
        Cv = 0.5 * vsum([(zv[k] - y[k]) ** 2 for k in outputs])
        Cv.label = "C"
        Cv.backward()
        assert abs(Cv.data - C) < 1e-15

        print(f"{'parameter':>9} {'delta_j z_i (floats)':>22} {'chaingrad .grad':>18} {'difference':>10}")
        worst = 0.0
        for key, by_hand in list(grad_w.items()) + list(grad_b.items()):
            engine = wv[key].grad if key in wv else bv[key].grad
            name = wv[key].label if key in wv else bv[key].label
            worst = max(worst, abs(by_hand - engine))
            print(f"{name:>9} {by_hand:+22.15f} {engine:+18.15f} {abs(by_hand - engine):10.1e}")
        print(f"all {len(grad_w) + len(grad_b)} gradients agree; largest difference {worst:.1e}")
        assert worst < 1e-12
        """
    ),
    md(
        r"""
        ## A delta is the `.grad` of a weighted input

        $\delta_j$ was *defined* as $\partial C/\partial s_j$, and `backward()` stores $\partial C/\partial s_j$ in
        `s_j.grad`. So the deltas of the derivation are sitting in the graph:
        """
    ),
    code(
        """
        for j in hidden + outputs:
            print(f"delta_{j} = {delta[j]:+.15f}   s{j}.grad = {sv[j].grad:+.15f}")
            assert abs(delta[j] - sv[j].grad) < 1e-12
        draw_dot(Cv)
        """
    ),
    md(
        r"""
        ## The update rule

        Gradient descent moves each weight a small step $\eta$ against its gradient:

        $$\Delta w_{i\to j} = -\eta\, \frac{\partial C}{\partial w_{i\to j}} = -\eta\, \delta_j z_i,
        \qquad \Delta b_j = -\eta\, \delta_j .$$

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
        print(f"C before the step: {C:.6f}, after: {cost(new_w, new_b):.6f}")
        assert cost(new_w, new_b) < C
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
        history = [C, cost(w_now, b_now)]
        for _ in range(30):
            wv = {key: Value(value) for key, value in w_now.items()}
            bv = {j: Value(value) for j, value in b_now.items()}
            out = {i: z[i] for i in inputs}
            for layer, sources in ((hidden, inputs), (outputs, hidden)):
                for j in layer:
                    out[j] = dot([wv[i, j] for i in sources] + [bv[j]], [out[i] for i in sources] + [1.0]).sigmoid()
            loss = 0.5 * vsum([(out[k] - y[k]) ** 2 for k in outputs])
            loss.backward()
            w_now = {key: v.data - eta * v.grad for key, v in wv.items()}
            b_now = {j: v.data - eta * v.grad for j, v in bv.items()}
            history.append(cost(w_now, b_now))
        print("C every 8 steps:", [round(c, 4) for c in history[::8]])
        assert all(later < earlier for earlier, later in itertools.pairwise(history))
        """
    ),
    md(
        r"""
        ### Exercise 5.3 · one training step, in plain floats

        Put the lesson together: write `train_step(x, y, params, eta)` for this kind of network (sigmoid
        hidden and output units, $C = \frac12 \sum_k (\hat y_k - y_k)^2$) of any size. `params` is
        `(W1, b1, W2, b2)` as lists: `W1[i][j]` is $w_{i\to j}$ from input $i$ to hidden unit $j$, `b1[j]` the
        hidden biases, `W2[j][k]` is $w_{j\to k}$, `b2[k]` the output biases (all indices from 0). Return the
        updated `(W1, b1, W2, b2)`. Compute every delta before changing any weight.
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
        ## What to remember

        - Output unit: $\delta_k = (\hat y_k - y_k)\,\sigma'(s_k)$ (squared error); hidden unit:
          $\delta_j = \sigma'(s_j) \sum_k w_{j\to k}\,\delta_k$.
        - Every weight: $\partial C/\partial w_{i\to j} = \delta_j z_i$, and the update is
          $\Delta w_{i\to j} = -\eta\,\delta_j z_i$ (biases: $-\eta\,\delta_j$).
        - A delta is $\partial C/\partial s_j$: chaingrad stores it as `s_j.grad`, and the hand-derived
          numbers match the engine's to $10^{-12}$.

        **Next:** [Lesson 6](06_training.ipynb) repeats these steps over whole data sets: batches, learning
        rates, initialisation and optimizers.
        """
    ),
]
