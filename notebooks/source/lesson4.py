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
        - use the **sigmoid neuron** $\sigma(w \cdot a + b)$ for **logistic regression**;
        - extend it to several classes with **softmax and cross-entropy** (multinomial logistic regression);
        - prove that **XOR** defeats every single-layer model, and watch one hidden layer solve it.
        """
    ),
    code(
        """
        %matplotlib inline
        import itertools
        import math

        import matplotlib.pyplot as plt
        from checker import check

        from autograd import Value, draw_dot, no_grad
        from autograd import sum as vsum
        from nn import MLP, Neuron
        from nn.data import make_blobs, make_xor
        from nn.losses import binary_cross_entropy, cross_entropy
        from nn.optim import SGD, Adam
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
        ax.scatter([x[0] for x in X], [x[1] for x in X], c=y, cmap="Spectral", edgecolors="k", linewidths=0.5)
        xs = [-2.5, 2.5]
        ax.plot(xs, [-(w[0] * x1 + b) / w[1] for x1 in xs], "k--", label="w . x + b = 0")
        ax.set_ylim(-2.5, 2.5)
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
        $\sigma(w \cdot a + b)$: its output lies between 0 and 1 and changes smoothly with every weight.
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
        print(f"sigma(w . a + b) = {out.data:.6f}, by hand {by_hand:.6f}")
        assert abs(out.data - by_hand) < 1e-15
        draw_dot(out)
        """
    ),
    md(
        r"""
        ## Logistic regression

        Read the neuron's output as a probability, $p = \sigma(s)$ with $s = w \cdot x + b$, that the class is 1.
        The loss for one example is the **binary cross-entropy**

        $$\ell = -\big(y \log p + (1 - y) \log(1 - p)\big),$$

        small when $p$ is close to the label $y \in \{0, 1\}$. Its gradient is remarkably simple:
        $\partial \ell / \partial s = p - y$ (the $\sigma'$ cancels; exercise 5.1 derives why), so
        $\partial \ell / \partial w_i = (p - y)\,x_i$. Check on one example, and check that
        `nn.losses.binary_cross_entropy` (which works from the logit $s$, for numerical stability) agrees:
        """
    ),
    code(
        """
        x, label = [1.5, -0.5], 1.0
        w = [Value(0.3, label="w1"), Value(-0.8, label="w2")]
        b = Value(0.1, label="b")
        s = vsum([wi * xi for wi, xi in zip(w, x)] + [b])
        p = s.sigmoid()
        loss = -(label * p.log() + (1 - label) * (1 - p).log())
        loss.backward()
        for wi, xi in zip(w, x):
            print(f"d loss/d{wi.label}: backward {wi.grad:+.12f}, (p - y) x = {(p.data - label) * xi:+.12f}")
            assert abs(wi.grad - (p.data - label) * xi) < 1e-12
        assert abs(s.grad - (p.data - label)) < 1e-12 and abs(b.grad - (p.data - label)) < 1e-12

        logit = Value(s.data)
        library = binary_cross_entropy([logit], [label])
        library.backward()
        assert abs(library.data - loss.data) < 1e-12 and abs(logit.grad - s.grad) < 1e-12
        print("nn.losses.binary_cross_entropy agrees")
        """
    ),
    md(
        r"""
        A model with no hidden layer is `MLP(2, [1])`: one linear neuron whose output is the logit $s$. Train
        it with plain gradient descent on two overlapping clouds:
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

        With $K$ classes the layer has $K$ linear units, one score (logit) $z_k = w_k \cdot x + b_k$ per class.
        **Softmax** turns scores into probabilities, and the loss is the negative log-probability of the
        correct class $c$:

        $$p_k = \frac{e^{z_k}}{\sum_j e^{z_j}}, \qquad \ell = -\log p_c, \qquad
        \frac{\partial \ell}{\partial z_k} = p_k - [k = c].$$

        ($[k = c]$ is 1 for the correct class, else 0.) This model is **multinomial logistic regression**.
        Check the gradient with a softmax built from `Value`s:
        """
    ),
    code(
        """
        z = [Value(2.0, label="z0"), Value(1.0, label="z1"), Value(0.1, label="z2")]
        c = 0
        exps = [zk.exp() for zk in z]
        total = vsum(exps)
        probabilities = [e / total for e in exps]
        loss = -probabilities[c].log()
        loss.backward()
        for k, zk in enumerate(z):
            formula = probabilities[k].data - (1.0 if k == c else 0.0)
            print(f"d loss/d z{k}: backward {zk.grad:+.12f}, p_k - [k = c] = {formula:+.12f}")
            assert abs(zk.grad - formula) < 1e-12
        assert abs(sum(p.data for p in probabilities) - 1.0) < 1e-15
        """
    ),
    md(
        r"""
        Computed as written, softmax breaks for large scores: `math.exp(1000)` does not fit in a float.
        Subtracting the largest score $m$ from every score changes nothing, because the factor $e^{-m}$
        cancels between numerator and denominator,

        $$\frac{e^{z_k - m}}{\sum_j e^{z_j - m}} = \frac{e^{-m} e^{z_k}}{e^{-m} \sum_j e^{z_j}} = p_k,$$

        and then every exponent is $\le 0$. Check the identity, and see the overflow:
        """
    ),
    code(
        """
        def naive_softmax(z):
            exps = [math.exp(v) for v in z]
            return [e / sum(exps) for e in exps]


        z, m = [1.0, 2.0, 3.0], 3.0
        shifted = naive_softmax([v - m for v in z])
        print("softmax(z)    :", [round(v, 6) for v in naive_softmax(z)])
        print("softmax(z - m):", [round(v, 6) for v in shifted])
        assert all(abs(u - v) < 1e-15 for u, v in zip(naive_softmax(z), shifted))
        try:
            naive_softmax([1000.0, 1001.0, 999.0])
        except OverflowError as error:
            print("naive softmax of [1000, 1001, 999]:", type(error).__name__, error)
        """
    ),
    md(
        r"""
        ### Exercise 4.2 · a softmax that does not overflow

        Write `softmax(z)` for a list of floats `z`, returning the list of probabilities; it must work for
        `[1000.0, 1001.0, 999.0]` too.
        """
    ),
    exercise(
        "4.2",
        """
        def softmax(z):
            \"\"\"Probabilities exp(z_k) / sum_j exp(z_j), without overflow.\"\"\"
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

        The scores are $z_k = \sum_i W_{k,i}\, x_i + b_k$ and the loss is $\ell = -\log p_c$. Write
        `softmax_regression_grads(W, b, x, c)` returning `(dW, db)`: `dW[k][i]` is
        $\partial\ell/\partial W_{k,i}$ and `db[k]` is $\partial\ell/\partial b_k$. Use the chain rule with
        $\partial\ell/\partial z_k = p_k - [k = c]$ (your `softmax` may help).
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
        of two tanh units, `MLP(2, [2, 1], "tanh")`, solves it. (With only two hidden units, some random
        starts get stuck; seed 0 does not.)
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
        linear_loss = train(linear, SGD(linear.parameters(), lr=0.5), 100)
        hidden_loss = train(hidden, Adam(hidden.parameters(), lr=0.1), 150)
        print(f"no hidden layer:      loss {linear_loss:.3f}, accuracy {accuracy(linear, X, y):.0%}")
        print(f"hidden layer of two:  loss {hidden_loss:.3f}, accuracy {accuracy(hidden, X, y):.0%}")
        assert accuracy(linear, X, y) <= 0.75 and accuracy(hidden, X, y) == 1.0
        """
    ),
    md(
        r"""
        Why it works: the hidden layer maps each point $x$ to $h = \tanh(W x + b)$, a new pair of coordinates.
        In those coordinates the two classes **are** linearly separable, and the output unit is just logistic
        regression on $h$: the right panel shows its straight boundary.
        """
    ),
    code(
        """
        with no_grad():
            H = [[h.data for h in hidden.layers[0](x)] for x in X]
        out = hidden.layers[1].neurons[0]
        (v1, v2), c0 = [w.data for w in out.w], out.b.data

        fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
        decision_boundary(linear, X, y, ax=axes[0])
        axes[0].set_title("no hidden layer: stuck")
        decision_boundary(hidden, X, y, ax=axes[1])
        axes[1].set_title("one hidden layer (2 tanh units)")
        axes[2].scatter([h[0] for h in H], [h[1] for h in H], c=y, cmap="Spectral", edgecolors="k", linewidths=0.5)
        hs = [-1.15, 1.15]
        axes[2].plot(hs, [-(v1 * h1 + c0) / v2 for h1 in hs], "k--")
        axes[2].set_xlim(-1.15, 1.15)
        axes[2].set_ylim(-1.15, 1.15)
        axes[2].set_xlabel("$h_1$")
        axes[2].set_ylabel("$h_2$")
        axes[2].set_title("the same points in hidden coordinates")
        plt.show()
        assert all((v1 * h[0] + v2 * h[1] + c0 > 0) == bool(t) for h, t in zip(H, y))
        """
    ),
    md(
        r"""
        ## What to remember

        - Perceptron: $\text{step}(w \cdot x + b)$, trained by $\Delta w = \eta (y - \hat y) x$; the step has no
          useful derivative.
        - Sigmoid neuron + binary cross-entropy = logistic regression, with $\partial\ell/\partial s = p - y$.
        - Softmax + cross-entropy = multinomial logistic regression, with
          $\partial\ell/\partial z_k = p_k - [k = c]$; subtract $\max z$ before exponentiating.
        - All of them draw straight boundaries, so XOR defeats them; a hidden layer bends the space until a
          straight boundary suffices.

        **Next:** [Lesson 5](05_one_hidden_layer.ipynb) derives backprop for a network with one hidden layer, by
        hand, in the seed's notation, and checks every number against chaingrad.
        """
    ),
]
