"""Lesson 4: single-layer models: perceptron, sigmoid neuron, logistic and softmax regression, XOR."""

from nbtools import check, code, exercise, md

FILENAME = "04_single_layer.ipynb"

CELLS = [
    md(
        r"""
        # Lesson 4 · Single-layer models

        One layer of units, reading the inputs directly, is already a classic model. This lesson builds
        the family from the oldest member to the most used, trains each one with chaingrad, and ends with
        the problem none of them can solve.

        You will:
        - run Rosenblatt's **perceptron** and see why its step function gives gradient descent nothing to use;
        - use the **sigmoid neuron** $\sigma(w \cdot x + b)$ for **logistic regression**, and derive why the
          gradient of binary cross-entropy is simply $p - y$;
        - extend it to several classes with **softmax and cross-entropy** (multinomial logistic regression),
          and derive its gradient $p - y$ from the softmax's Jacobian;
        - prove that **XOR** defeats every single-layer model, and watch one hidden layer solve it with the
          same optimizer.

        Symbols follow the [notation card](03_chain_rule.ipynb#notation-card): $s$ is a weighted input (here
        also called a **logit**), $z$ a unit's output, $E$ the cost, $\eta$ the learning rate.
        """
    ),
    code(
        """
        %matplotlib inline
        import itertools
        import math

        import matplotlib.pyplot as plt
        from checker import check

        from autograd import Value, draw_dot, grad, no_grad
        from autograd import sum as vsum
        from nn import MLP, Neuron
        from nn.data import make_blobs, make_xor
        from nn.losses import binary_cross_entropy, cross_entropy
        from nn.optim import SGD
        from nn.plot import decision_boundary
        from nn.train import accuracy
        """
    ),
    md(
        r"""
        ## The perceptron

        A perceptron scores its input with a weighted sum and answers with a hard threshold:

        $$\hat y = \text{step}(w \cdot x + b) = \begin{cases} 1 & w \cdot x + b \ge 0 \\ 0 & \text{otherwise.}\end{cases}$$

        Rosenblatt's learning rule visits the examples one by one and, after each, moves the weights by
        $\Delta w = \eta\,(y - \hat y)\,x$ and $\Delta b = \eta\,(y - \hat y)$: nothing when the answer was
        right, towards $x$ when a 1 was missed, away from it when a 0 was missed. On two separable clouds
        of points it stops making mistakes after a few passes:
        """
    ),
    code(
        """
        X, y = make_blobs(40, noise=0.7, seed=3, n_classes=2)


        def perceptron(w, b, x):
            return 1 if w[0] * x[0] + w[1] * x[1] + b >= 0 else 0


        w, b, eta = [0.0, 0.0], 0.0, 0.1
        for epoch in range(1, 21):
            mistakes = 0
            for x, target in zip(X, y):
                y_hat = perceptron(w, b, x)
                mistakes += y_hat != target
                w = [wi + eta * (target - y_hat) * xi for wi, xi in zip(w, x)]
                b += eta * (target - y_hat)
            print(f"pass {epoch}: {mistakes} mistakes, w = [{w[0]:+.3f}, {w[1]:+.3f}], b = {b:+.3f}")
            if mistakes == 0:
                break
        assert all(perceptron(w, b, x) == target for x, target in zip(X, y))

        fig, ax = plt.subplots(figsize=(4.5, 3.5))
        for t in (0, 1):
            points = [x for x, target in zip(X, y) if target == t]
            ax.scatter(*zip(*points), color=f"C{t}", edgecolors="k", linewidths=0.5, label=f"class {t}")
        x0s = [-2.5, 2.5]  # the line w0 x0 + w1 x1 + b = 0, solved for x1
        ax.plot(x0s, [-(w[0] * x0 + b) / w[1] for x0 in x0s], "k--", label="w · x + b = 0")
        ax.set_ylim(-2.5, 2.5)
        ax.set_xlabel("x0")
        ax.set_ylabel("x1")
        ax.legend(fontsize=8)
        ax.set_title("the perceptron's separating line")
        plt.show()
        """
    ),
    md(
        r"""
        A perceptron with two inputs is also a logic gate: on inputs 0 and 1, choose $w$ and $b$ so that
        the score is $\ge 0$ exactly where the gate says 1.

        ### Exercise 4.1 · a perceptron for each logic gate

        Write `gate_weights(gate)` returning `(w, b)`, with `w = [w1, w2]`, for `gate` equal to `"AND"`,
        `"OR"` and `"NAND"`. Reason it out on paper first: which of the four inputs must score $\ge 0$?
        """
    ),
    exercise(
        "4.1",
        """
        def gate_weights(gate):
            \"\"\"([w1, w2], b) such that step(w1*x1 + w2*x2 + b) is the gate's truth table.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("4.1", "gate_weights"),
    md(
        r"""
        ### Why the perceptron cannot be trained by gradient descent

        The step function is flat everywhere except at 0, where it jumps. Its derivative is 0 wherever it
        exists, so the gradient of any loss built on $\hat y$ is 0: it never says which way to move.
        """
    ),
    code(
        """
        def step(s):
            return 1.0 if s >= 0 else 0.0


        for s in (-2.0, -0.3, 0.4, 1.7):
            slope = (step(s + 1e-6) - step(s - 1e-6)) / 2e-6
            print(f"step'({s:+.1f}) = {slope}")
            assert slope == 0.0
        """
    ),
    md(
        r"""
        ## The sigmoid neuron

        Replace the step with its smooth version $\sigma(s) = 1/(1 + e^{-s})$ and the unit becomes a **neuron**,
        $\sigma(w \cdot x + b)$: its output lies between 0 and 1 and changes smoothly with every weight.
        `nn.Neuron` is exactly that; with `fused=False` its graph shows every multiplication:
        """
    ),
    code(
        """
        neuron = Neuron(2, activation="sigmoid", rng=None, fused=False)
        for p, v in zip(neuron.parameters(), (0.8, -0.5, 0.1)):
            p.data = v  # set the weights so the picture is reproducible
        out = neuron([1.5, 2.0])
        out.label = "out"
        out.backward()
        by_hand = 1 / (1 + math.exp(-(0.8 * 1.5 - 0.5 * 2.0 + 0.1)))
        print(f"σ(w · x + b) = {out.data:.6f}, by hand {by_hand:.6f}")
        assert abs(out.data - by_hand) < 1e-15
        draw_dot(out, rankdir="TB")
        """
    ),
    md(
        r"""
        ## Logistic regression

        Read the neuron's output as a probability, $p = \sigma(s)$ with $s = w \cdot x + b$, that the class is 1.
        The cost for one example is the **binary cross-entropy**

        $$E = -\big(y \log p + (1 - y) \log(1 - p)\big),$$

        small when $p$ is close to the label $y \in \{0, 1\}$. (Squared error would also work, but its gradient
        keeps a factor $\sigma'(s)$ that is tiny when the unit is confidently wrong; cross-entropy's does not.)

        **Deriving the gradient.** Two factors, as in lesson 3: the flowing gradient at $p$ and the local
        derivative of the sigmoid,

        $$\frac{\partial E}{\partial p} = -\frac{y}{p} + \frac{1 - y}{1 - p} = \frac{p - y}{p\,(1 - p)},
        \qquad \frac{\partial p}{\partial s} = \sigma'(s) = p\,(1 - p),$$

        so their product is

        $$\delta = \frac{\partial E}{\partial s} = \frac{p - y}{p\,(1 - p)} \cdot p\,(1 - p) = p - y:$$

        the $\sigma'$ cancels exactly, and $\partial E / \partial w_i = (p - y)\,x_i$. Check each step on one
        example, and check that `nn.losses.binary_cross_entropy` (which works from the logit $s$, for numerical
        stability) agrees:
        """
    ),
    code(
        """
        x, label = [1.5, -0.5], 1.0
        w = [Value(0.3, label="w1"), Value(-0.8, label="w2")]
        b = Value(0.1, label="b")
        s = vsum([wi * xi for wi, xi in zip(w, x)] + [b])
        p = s.sigmoid()
        E = -(label * p.log() + (1 - label) * (1 - p).log())
        E.backward()
        flowing = (p.data - label) / (p.data * (1 - p.data))
        local = p.data * (1 - p.data)
        print(f"flowing ∂E/∂p = (p - y) / (p (1 - p)) = {flowing:+.12f}   backward {p.grad:+.12f}")
        print(f"local   ∂p/∂s = p (1 - p)             = {local:+.12f}")
        print(f"δ = ∂E/∂s = their product = p - y    = {flowing * local:+.12f}   backward {s.grad:+.12f}")
        assert abs(flowing - p.grad) < 1e-12 and abs(flowing * local - (p.data - label)) < 1e-12
        for wi, xi in zip(w, x):
            print(f"∂E/∂{wi.label}: backward {wi.grad:+.12f}, (p - y) x = {(p.data - label) * xi:+.12f}")
            assert abs(wi.grad - (p.data - label) * xi) < 1e-12
        assert abs(s.grad - (p.data - label)) < 1e-12 and abs(b.grad - (p.data - label)) < 1e-12

        logit = Value(s.data)
        library = binary_cross_entropy([logit], [label])
        library.backward()
        assert abs(library.data - E.data) < 1e-12 and abs(logit.grad - s.grad) < 1e-12
        print("nn.losses.binary_cross_entropy agrees")
        """
    ),
    md(
        r"""
        A model with no hidden layer is `MLP(2, [1])`: one linear neuron whose output is the logit $s$. Train
        it with plain gradient descent (`SGD`: every parameter moves by $-\eta$ times its gradient) on two
        overlapping clouds; `binary_cross_entropy` averages $E$ over the examples:
        """
    ),
    code(
        """
        X, y = make_blobs(100, noise=0.8, seed=3, n_classes=2)
        model = MLP(2, [1], seed=0)
        optimizer = SGD(model.parameters(), lr=0.5)
        losses = []
        for _ in range(60):
            loss = binary_cross_entropy([model(x) for x in X], y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.data)
        print(f"loss {losses[0]:.3f} -> {losses[-1]:.3f}, accuracy {accuracy(model, X, y):.0%}")
        assert losses[-1] < losses[0] / 3 and accuracy(model, X, y) > 0.9

        fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
        decision_boundary(model, X, y, ax=left)
        left.set_title("logistic regression: a straight boundary")
        right.plot(losses)
        right.set_xlabel("step")
        right.set_ylabel("mean binary cross-entropy")
        plt.show()
        """
    ),
    md(
        r"""
        ## Several classes: softmax and cross-entropy

        With $K$ classes the layer has $K$ linear units, one weighted input (**logit**)
        $s_k = \sum_i w_{i\to k} x_i + b_k$ per class. **Softmax** turns logits into probabilities, and the cost
        is the negative log-probability of the correct class $c$. With the one-hot target $y_k = [k = c]$
        ($[k = c]$ is 1 for the correct class, else 0):

        $$p_k = \frac{e^{s_k}}{\sum_m e^{s_m}}, \qquad E = -\log p_c = -\sum_k y_k \log p_k .$$

        This model is **multinomial logistic regression**.

        **Deriving the gradient.** Every $p_k$ depends on every $s_j$ (through the sum), so softmax has a
        Jacobian, a matrix of local derivatives. Write $S = \sum_m e^{s_m}$ and use the quotient rule:

        $$\frac{\partial p_k}{\partial s_j} = \frac{[k = j]\, e^{s_k} S - e^{s_k} e^{s_j}}{S^2}
        = p_k\,\big([k = j] - p_j\big).$$

        The flowing gradient at $p_k$ is $\partial E/\partial p_k = -y_k / p_k$. Each $s_j$ reaches $E$ through
        all the $p_k$ (fan-out: the contributions add), so

        $$\frac{\partial E}{\partial s_j} = \sum_k \frac{\partial E}{\partial p_k} \frac{\partial p_k}{\partial s_j}
        = \sum_k \Big(-\frac{y_k}{p_k}\Big) p_k \big([k = j] - p_j\big) = -y_j + p_j \sum_k y_k = p_j - y_j,$$

        because the targets sum to 1. The same $p - y$ as the sigmoid's: in both cases the cost is matched to
        its output function so that their derivatives cancel. Check the Jacobian entry by entry, then the sum,
        with a softmax built from `Value`s:
        """
    ),
    code(
        """
        s = [Value(2.0, label="s0"), Value(1.0, label="s1"), Value(0.1, label="s2")]
        c = 0
        exps = [sk.exp() for sk in s]
        total = vsum(exps)
        p = [e / total for e in exps]
        assert abs(sum(pk.data for pk in p) - 1.0) < 1e-15

        print("Jacobian ∂p_k/∂s_j, backward (formula p_k([k = j] - p_j)):")
        for k in range(3):
            row = grad(p[k], s)  # one backward pass per output p_k gives one row
            formula = [p[k].data * ((1.0 if k == j else 0.0) - p[j].data) for j in range(3)]
            print("  " + "  ".join(f"{got:+.6f} ({want:+.6f})" for got, want in zip(row, formula)))
            assert all(abs(got - want) < 1e-12 for got, want in zip(row, formula))

        E = -p[c].log()
        E.backward()
        for k, sk in enumerate(s):
            formula = p[k].data - (1.0 if k == c else 0.0)
            print(f"∂E/∂s{k}: backward {sk.grad:+.12f}, p_k - y_k = {formula:+.12f}")
            assert abs(sk.grad - formula) < 1e-12
        """
    ),
    md(
        r"""
        Computed as written, softmax breaks for large logits: `math.exp(1000)` does not fit in a float.
        Subtracting the largest logit $m$ from every logit changes nothing, because the factor $e^{-m}$
        cancels between numerator and denominator,

        $$\frac{e^{s_k - m}}{\sum_j e^{s_j - m}} = \frac{e^{-m} e^{s_k}}{e^{-m} \sum_j e^{s_j}} = p_k,$$

        and then every exponent is $\le 0$. Check the identity, and see the overflow:
        """
    ),
    code(
        """
        def naive_softmax(s):
            exps = [math.exp(v) for v in s]
            return [e / sum(exps) for e in exps]


        logits, m = [1.0, 2.0, 3.0], 3.0
        shifted = naive_softmax([v - m for v in logits])
        print("softmax(s)    :", [round(v, 6) for v in naive_softmax(logits)])
        print("softmax(s - m):", [round(v, 6) for v in shifted])
        assert all(abs(u - v) < 1e-15 for u, v in zip(naive_softmax(logits), shifted))
        try:
            naive_softmax([1000.0, 1001.0, 999.0])
        except OverflowError as error:
            print("naive softmax of [1000, 1001, 999]:", type(error).__name__, error)
        """
    ),
    md(
        r"""
        ### Exercise 4.2 · a softmax that does not overflow

        Write `softmax(s)` for a list of logits `s` (floats), returning the list of probabilities; it must work
        for `[1000.0, 1001.0, 999.0]` too.
        """
    ),
    exercise(
        "4.2",
        """
        def softmax(s):
            \"\"\"Probabilities exp(s_k) / sum_m exp(s_m), without overflow.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("4.2", "softmax"),
    md(
        r"""
        Train it: `MLP(2, [3])` is one linear layer of three units, and `nn.losses.cross_entropy` is the
        softmax cross-entropy above (computed stably). Three clouds, three straight boundaries:
        """
    ),
    code(
        """
        X3, y3 = make_blobs(150, noise=0.5, seed=2, n_classes=3)
        model3 = MLP(2, [3], seed=0)
        optimizer = SGD(model3.parameters(), lr=0.5)
        for _ in range(60):
            loss = cross_entropy([model3(x) for x in X3], y3)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"loss {loss.data:.3f}, accuracy {accuracy(model3, X3, y3):.1%}")
        assert accuracy(model3, X3, y3) > 0.95
        ax = decision_boundary(model3, X3, y3)
        ax.set_title("multinomial logistic regression: linear regions")
        ax.figure.set_size_inches(4.5, 3.5)
        plt.show()
        """
    ),
    md(
        r"""
        ### Exercise 4.3 · the gradients of softmax regression

        The logits are $s_k = \sum_i W[k, i]\, x_i + b_k$ and the cost is $E = -\log p_c$. The weights are
        indexed as on the card: **row = receiving unit**, so `W[k][i]` is $w_{i\to k}$, the weight from input
        $i$ to class $k$, and `W` has shape classes × inputs (out × in, like PyTorch's `nn.Linear.weight`).
        Write `softmax_regression_grads(W, b, x, c)` returning `(dW, db)`: `dW[k][i]` is
        $\partial E/\partial W[k, i]$ and `db[k]` is $\partial E/\partial b_k$. Use the chain rule with the
        error derived above, $\delta_k = \partial E/\partial s_k = p_k - [k = c]$ (your `softmax` may help).
        """
    ),
    exercise(
        "4.3",
        """
        def softmax_regression_grads(W, b, x, c):
            \"\"\"(dW, db) of -log softmax(W x + b)[c]; dW has W's shape, db has b's.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("4.3", "softmax_regression_grads"),
    md(
        r"""
        ## XOR defeats every single-layer model

        XOR is 1 when exactly one input is on. With inputs coded as $\pm 1$, a linear model
        $w_1 x_1 + w_2 x_2 + b$ would need positive scores at $(-1, 1)$ and $(1, -1)$ and negative ones at
        $(-1, -1)$ and $(1, 1)$:

        $$-w_1 + w_2 + b > 0,\quad w_1 - w_2 + b > 0,\quad -w_1 - w_2 + b < 0,\quad w_1 + w_2 + b < 0.$$

        Adding the first two gives $2b > 0$; adding the last two gives $2b < 0$. No $(w, b)$ satisfies all
        four: any straight line gets at most 3 of the 4 points right. A brute-force search agrees:
        """
    ),
    code(
        """
        corners, labels = make_xor(4, noise=0.0)
        grid = [i / 10 for i in range(-20, 21)]
        best = max(
            sum((w1 * x1 + w2 * x2 + b > 0) == bool(t) for (x1, x2), t in zip(corners, labels))
            for w1, w2, b in itertools.product(grid, grid, grid)
        )
        print(f"truth table: {list(zip(map(tuple, corners), labels))}")
        print(f"best of {len(grid) ** 3:,} linear models: {best} of 4 right")
        assert best == 3
        """
    ),
    md(
        r"""
        Training does not help: logistic regression on noisy XOR data stays near chance. One **hidden layer**
        of two tanh units, `MLP(2, [2, 1], "tanh")`, solves it, trained the **same way**: plain SGD, the same
        learning rate $\eta = 0.5$, the same 150 steps. The hidden layer is the only difference. (With only two
        hidden units, some random starts get stuck; seed 0 does not. Lesson 6 adds faster optimizers.)
        """
    ),
    code(
        """
        X, y = make_xor(40, noise=0.15, seed=0)


        def train(model, optimizer, steps):
            for _ in range(steps):
                loss = binary_cross_entropy([model(x) for x in X], y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            return loss.data


        linear = MLP(2, [1], seed=0)
        hidden = MLP(2, [2, 1], "tanh", seed=0)
        linear_loss = train(linear, SGD(linear.parameters(), lr=0.5), 150)
        hidden_loss = train(hidden, SGD(hidden.parameters(), lr=0.5), 150)
        print(f"no hidden layer:      loss {linear_loss:.3f}, accuracy {accuracy(linear, X, y):.0%}")
        print(f"hidden layer of two:  loss {hidden_loss:.3f}, accuracy {accuracy(hidden, X, y):.0%}")
        assert accuracy(linear, X, y) <= 0.75 and accuracy(hidden, X, y) == 1.0
        """
    ),
    md(
        r"""
        Why it works: the hidden layer maps each point $x$ to its outputs $z = \tanh(W x + b)$, a new pair of
        coordinates $(z_1, z_2)$. In those coordinates the two classes **are** linearly separable, and the output
        unit is just logistic regression on $z$: the right panel shows its straight boundary.
        """
    ),
    code(
        """
        with no_grad():
            H = [[h.data for h in hidden.layers[0](x)] for x in X]
        out = hidden.layers[1].neurons[0]
        (w1, w2), b = [w.data for w in out.w], out.b.data  # out.w[i]: the weight from hidden unit i + 1

        fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.3))
        decision_boundary(linear, X, y, ax=axes[0])
        axes[0].set_title("no hidden layer: stuck", fontsize=10)
        decision_boundary(hidden, X, y, ax=axes[1])
        axes[1].set_title("one hidden layer of 2 tanh units", fontsize=10)
        # each point in its class's colour, as on the left (matplotlib's C0 for class 0, C1 for class 1)
        axes[2].scatter(*zip(*H), c=[f"C{t}" for t in y], edgecolors="k", linewidths=0.5)
        z1s = [-1.15, 1.15]
        axes[2].plot(z1s, [-(w1 * z1 + b) / w2 for z1 in z1s], "k--")  # where w1 z1 + w2 z2 + b = 0
        axes[2].set_xlim(-1.15, 1.15)
        axes[2].set_ylim(-1.15, 1.15)
        axes[2].set_xlabel("$z_1$, output of hidden unit 1")
        axes[2].set_ylabel("$z_2$, output of hidden unit 2")
        axes[2].set_title("the same points, hidden coordinates", fontsize=10)
        fig.tight_layout()
        plt.show()
        assert all((w1 * h[0] + w2 * h[1] + b > 0) == bool(t) for h, t in zip(H, y))
        """
    ),
    md(
        r"""
        ## What to remember

        - Perceptron: $\text{step}(w \cdot x + b)$, trained by $\Delta w = \eta (y - \hat y) x$; the step has no
          useful derivative.
        - Sigmoid neuron + binary cross-entropy = logistic regression, with $\partial E/\partial s = p - y$: the
          flowing gradient $(p - y)/(p(1 - p))$ times the local $\sigma'(s) = p(1 - p)$.
        - Softmax + cross-entropy = multinomial logistic regression: the Jacobian $p_k([k = j] - p_j)$ times
          $-y_k/p_k$, summed over $k$, gives $\partial E/\partial s_j = p_j - y_j$; subtract $\max_k s_k$ before
          exponentiating.
        - All of them draw straight boundaries, so XOR defeats them; a hidden layer bends the space until a
          straight boundary suffices.

        **Next:** [Lesson 5](05_one_hidden_layer.ipynb) derives backprop for a network with one hidden layer, by
        hand, in the card's notation, and checks every number against chaingrad.
        """
    ),
]
