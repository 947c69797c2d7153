"""Lesson 6: training: the loop, batches, learning rates, initialisation, SGD vs Adam, boundaries and curves."""

from nbtools import check, code, exercise, md

FILENAME = "06_training.ipynb"

CELLS = [
    md(
        r"""
        # Lesson 6 · Training

        Lesson 5 did one step on one example. Training repeats it over a data set until the loss stops
        falling: **feed forward, feed backward, update, iterate**. This lesson writes that loop out, then
        varies each choice it hides:

        - how many examples per update: **full batch, mini-batch, single example** (gradients averaged over
          the batch);
        - the **learning rate**: too small, right, too large;
        - the **initial weights**: small values such as 0.1 versus He/Xavier scaling;
        - the **optimizer**: plain SGD versus Adam;

        and looks at the results as **loss curves** and **decision boundaries** on the moons and spirals data.
        """
    ),
    code(
        """
        %matplotlib inline
        import itertools
        import math
        import random

        import matplotlib.pyplot as plt
        import numpy as np
        from checker import check

        from autograd import Value, grad, no_grad
        from nn import MLP, Layer
        from nn.data import batches, make_moons, make_spirals
        from nn.losses import binary_cross_entropy, cross_entropy
        from nn.optim import SGD, Adam
        from nn.plot import decision_boundary
        from nn.plot import history as plot_history
        from nn.train import accuracy, fit

        X, y = make_moons(100, noise=0.1, seed=0)  # two interleaved half moons, labels 0 and 1
        """
    ),
    md(
        r"""
        ## The loop, written out

        A network with two hidden layers of 16 relu units and one output (a logit), trained on the whole
        data set at every step (**full batch**) with the mean binary cross-entropy of lesson 4:
        """
    ),
    code(
        """
        model = MLP(2, [16, 16, 1], seed=0)
        lr = 0.3
        for epoch in range(1, 21):
            outputs = [model(x) for x in X]  # 1. feed forward
            loss = binary_cross_entropy(outputs, y)  #    the mean loss over the batch
            model.zero_grad()  # 2. feed backward: clear the old gradients (leaves accumulate) ...
            loss.backward()  #    ... and fill p.grad for every parameter p
            for p in model.parameters():  # 3. update: one step downhill
                p.data -= lr * p.grad
            if epoch % 5 == 0:
                print(f"epoch {epoch:2}: loss {loss.data:.4f}")
        print(f"accuracy {accuracy(model, X, y):.0%}")
        """
    ),
    md(
        r"""
        `nn.train.fit` is the same loop, with an optimizer object doing step 3 and a progress bar. From the
        same starting weights it ends at the same weights:
        """
    ),
    code(
        """
        same = MLP(2, [16, 16, 1], seed=0)
        fit(same, X, y, loss=binary_cross_entropy, optimizer=SGD(same.parameters(), lr=0.3), epochs=20, progress=False)
        difference = max(abs(p.data - q.data) for p, q in zip(model.parameters(), same.parameters()))
        print(f"largest difference between the two models' {len(same.parameters())} parameters: {difference:.1e}")
        assert difference < 1e-12
        """
    ),
    md(
        r"""
        ## Mini-batches average the gradient

        The batch loss is the **mean** of the examples' losses, $\ell_B = \frac{1}{|B|}\sum_{n\in B} \ell_n$, so its
        gradient is the mean of their gradients: $\nabla \ell_B = \frac{1}{|B|}\sum_{n \in B} \nabla \ell_n$. A
        mini-batch gradient is an average over a few examples: a cheaper, noisier estimate of the full-batch
        one. Check on 8 examples (`grad` returns gradients without touching `.grad`):
        """
    ),
    code(
        """
        params = model.parameters()
        batch_X, batch_y = X[:8], y[:8]
        batch_grads = grad(binary_cross_entropy([model(x) for x in batch_X], batch_y), params)
        per_example = [grad(binary_cross_entropy([model(x)], [t]), params) for x, t in zip(batch_X, batch_y)]
        averaged = [sum(g[i] for g in per_example) / len(per_example) for i in range(len(params))]
        worst = max(abs(a - b) for a, b in zip(batch_grads, averaged))
        print(f"{len(params)} parameters: batch gradient vs average of 8 per-example gradients, largest difference {worst:.1e}")
        assert worst < 1e-12
        """
    ),
    md(
        r"""
        ## Full batch, mini-batch, single example

        Three copies of the same network, trained for 15 **epochs** (passes over the data) with the same
        learning rate: one update per epoch (full batch), 10 (mini-batches of 10), 100 (one example at a
        time, the original *stochastic* gradient descent). Every epoch costs the same: 100 forward and
        backward passes.
        """
    ),
    code(
        """
        runs = {}
        for name, size in (("full batch", None), ("mini-batch of 10", 10), ("single example", 1)):
            net = MLP(2, [16, 16, 1], seed=0)
            optimizer = SGD(net.parameters(), lr=0.2)
            hist = fit(net, X, y, loss=binary_cross_entropy, optimizer=optimizer, epochs=15, batch_size=size, progress=False, seed=0)
            per_epoch = 100 // (size or 100)
            runs[name] = (net, hist, per_epoch)
            print(f"{name:>16}: {15 * per_epoch:5} updates, loss {hist['loss'][-1]:.3f}, accuracy {accuracy(net, X, y):.0%}")

        fig, (by_epoch, by_update) = plt.subplots(1, 2, figsize=(10, 3.3))
        for name, (_, hist, per_epoch) in runs.items():
            epochs = range(1, 16)
            by_epoch.plot(epochs, hist["loss"], label=name)
            by_update.plot([e * per_epoch for e in epochs], hist["loss"], label=name)
        by_epoch.set_xlabel("epoch")
        by_update.set_xlabel("updates (log scale)")
        by_update.set_xscale("log")
        for ax in (by_epoch, by_update):
            ax.set_ylabel("training loss")
            ax.legend(fontsize=8)
        plt.show()
        assert runs["single example"][1]["loss"][-1] < runs["full batch"][1]["loss"][-1]
        """
    ),
    md(
        r"""
        Per epoch, smaller batches win here because they make more updates for the same work; per
        update, the full batch's steps are the most accurate. Mini-batches sit between the two, and on
        real hardware they are the usual choice because a batch is computed in parallel. The decision
        boundaries after 15 epochs:
        """
    ),
    code(
        """
        fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
        for ax, (name, (net, _, _)) in zip(axes, runs.items()):
            decision_boundary(net, X, y, ax=ax)
            ax.set_title(f"{name}: {accuracy(net, X, y):.0%}")
        plt.show()
        """
    ),
    md(
        r"""
        ### Exercise 6.1 · one epoch of mini-batch training

        Write `train_epoch(model, X, y, batch_size, lr, seed)`: for each `(Xb, yb)` in
        `batches(X, y, batch_size, seed=seed)` (from `nn.data`), feed forward, take the mean
        `binary_cross_entropy`, feed backward, update every parameter by `-lr * p.grad`. Return the list of
        the batch losses as floats.
        """
    ),
    exercise(
        "6.1",
        """
        def train_epoch(model, X, y, batch_size, lr, seed):
            \"\"\"One pass over the data in mini-batches; returns the batch losses.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("6.1", "train_epoch"),
    md(
        r"""
        ## The learning rate

        On the simplest loss, $f(w) = a w^2$ with $f'(w) = 2aw$, one step of gradient descent gives

        $$w \leftarrow w - \eta \cdot 2 a w = (1 - 2\eta a)\, w .$$

        The factor $1 - 2\eta a$ decides everything: for small $\eta$ it is just below 1 (slow); for
        $\eta > 1/(2a)$ it is negative (the step overshoots, $w$ flips sign); for $\eta > 1/a$ its size exceeds 1
        and $w$ grows without bound. Check with chaingrad on $a = 1$:
        """
    ),
    code(
        """
        a = 1.0
        for eta in (0.05, 0.4, 0.9, 1.1):
            w = Value(1.0)
            path = []
            for _ in range(5):
                loss = a * w * w
                (g,) = grad(loss, [w])
                w = Value(w.data - eta * g)
                path.append(w.data)
            print(f"eta = {eta}: factor 1 - 2*eta*a = {1 - 2 * eta * a:+.2f}, w: {[round(v, 3) for v in path]}")
            assert all(abs(v - (1 - 2 * eta * a) ** (n + 1)) < 1e-12 for n, v in enumerate(path))
        """
    ),
    md(
        r"""
        A network's loss is not a parabola, but near a minimum it behaves like one in every direction, so
        the same three regimes appear. Full-batch training with four learning rates:
        """
    ),
    code(
        """
        fig, ax = plt.subplots(figsize=(6, 3.5))
        finals = {}
        for lr in (0.01, 0.3, 3.0, 30.0):
            net = MLP(2, [16, 16, 1], seed=0)
            optimizer = SGD(net.parameters(), lr=lr)
            hist = fit(net, X, y, loss=binary_cross_entropy, optimizer=optimizer, epochs=15, progress=False)
            finals[lr] = hist["loss"][-1]
            ax.plot(range(1, 16), hist["loss"], label=f"lr = {lr}")
        ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss")
        ax.set_title("too small crawls, too large bounces or blows up")
        ax.legend(fontsize=8)
        plt.show()
        print({lr: round(v, 3) for lr, v in finals.items()})
        assert finals[0.3] < finals[0.01] and finals[0.3] < finals[30.0]
        """
    ),
    md(
        r"""
        ### Exercise 6.2 · the learning rate that lands in one step

        For $f(w) = a w^2$ with $a > 0$, which learning rate takes gradient descent from **any** $w$ straight
        to the minimum $w = 0$ in one step? Write `one_step_lr(a)`.
        """
    ),
    exercise(
        "6.2",
        """
        def one_step_lr(a):
            \"\"\"The learning rate that sends w to 0 in one step on f(w) = a * w**2.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("6.2", "one_step_lr"),
    md(
        r"""
        ## Initial weights

        Weights start random, so that the units of a layer differ (with equal weights they would receive
        equal gradients and stay copies of each other forever). Their **scale** matters too. A unit's weighted
        input $s = \sum_i w_i z_i$ has variance $\text{Var}(s) = n_{\text{in}}\, \text{Var}(w)\, \mathbb{E}[z^2]$, and a relu
        keeps half of it: $\mathbb{E}[z^2] = \text{Var}(s_{\text{prev}})/2$. So each relu layer multiplies the variance
        by $n_{\text{in}} \text{Var}(w) / 2$:

        - **small** values, uniform in $[-0.1, 0.1]$ ($\text{Var}(w) = 0.01/3$), shrink it at every layer;
        - **He**: $\text{Var}(w) = 2 / n_{\text{in}}$ makes the factor exactly 1 (for relu);
        - **Xavier**: $\text{Var}(w) = 2 / (n_{\text{in}} + n_{\text{out}})$, the analogue for tanh and sigmoid.

        First, the rule of equal weights:
        """
    ),
    code(
        """
        twins = MLP(2, [4, 1], seed=0)
        for p in twins.parameters():
            p.data = 0.1  # every weight the same
        loss = binary_cross_entropy([twins(x) for x in X], y)
        loss.backward()
        first_layer = twins.layers[0].neurons
        print("gradients of each hidden unit's first weight:", [round(n.w[0].grad, 6) for n in first_layer])
        assert len({n.w[0].grad for n in first_layer}) == 1  # identical: the units can never become different
        """
    ),
    md(
        r"""
        Now the variance rule, measured on a stack of five wide relu layers (numpy, for speed):
        """
    ),
    code(
        """
        rng = np.random.default_rng(0)
        n = 256
        signal = rng.standard_normal((2000, n))
        draws = {"small": lambda: rng.uniform(-0.1, 0.1, (n, n)), "He": lambda: rng.normal(0, math.sqrt(2 / n), (n, n))}
        for name, draw in draws.items():
            h, variances = signal, []
            for _ in range(5):
                s = h @ draw()
                variances.append(s.var())
                h = np.maximum(s, 0.0)
            ratios = [v2 / v1 for v1, v2 in itertools.pairwise(variances)]
            predicted = n * (0.01 / 3 if name == "small" else 2 / n) / 2
            print(f"{name:>5}: Var(s) per layer {[round(v, 3) for v in variances]}")
            print(f"       ratio {np.mean(ratios):.3f}, predicted n Var(w) / 2 = {predicted:.3f}")
            assert abs(np.mean(ratios) - predicted) < 0.1 * predicted  # each layer's ratio varies a little: sampling

        for init, formula, expected in (
            ("he", "sqrt(2/256)", math.sqrt(2 / 256)),
            ("xavier", "sqrt(2/(256+64))", math.sqrt(2 / (256 + 64))),
        ):
            layer = Layer(256, 64, "relu", init=init, rng=random.Random(0))
            std = float(np.std([w.data for neuron in layer.neurons for w in neuron.w]))
            print(f"nn's {init} init, 256 inputs, 64 units: std {std:.4f}, {formula} = {expected:.4f}")
            assert abs(std - expected) < 0.05 * expected
        """
    ),
    md(
        r"""
        In a deeper network on the moons, small initial weights leave the output near 0 and the gradients
        near 0: the loss sits at $\log 2 \approx 0.693$ (a coin flip) while He-initialised weights train:
        """
    ),
    code(
        """
        fig, ax = plt.subplots(figsize=(6, 3.3))
        deep = {}
        for init in ("small", "he"):
            net = MLP(2, [16, 16, 16, 1], seed=0, init=init)
            first = grad(binary_cross_entropy([net(x) for x in X], y), net.layers[0].parameters())
            optimizer = SGD(net.parameters(), lr=0.1)
            hist = fit(net, X, y, loss=binary_cross_entropy, optimizer=optimizer, epochs=15, batch_size=10, progress=False, seed=0)
            deep[init] = hist["loss"][-1]
            print(f"{init:>5}: largest first-layer gradient {max(map(abs, first)):.1e}, loss after 15 epochs {deep[init]:.3f}")
            ax.plot(range(1, 16), hist["loss"], label=f"init = {init!r}")
        ax.axhline(math.log(2), color="gray", ls="--", lw=0.8)
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss")
        ax.legend(fontsize=8)
        plt.show()
        assert deep["small"] > 0.69 and deep["he"] < 0.4
        """
    ),
    md(
        r"""
        ### Exercise 6.3 · how big should initial weights be?

        Write `init_std(nin, nout, activation)`: the standard deviation of a layer's initial weights, He's for
        `"relu"` and Xavier's for `"tanh"` and `"sigmoid"` (the variances are given above).
        """
    ),
    exercise(
        "6.3",
        """
        def init_std(nin, nout, activation):
            \"\"\"Standard deviation of initial weights: He for relu, Xavier for tanh/sigmoid.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("6.3", "init_std"),
    md(
        r"""
        ## SGD versus Adam, on spirals

        Plain SGD moves every parameter by $\eta$ times its gradient. **Adam** keeps running averages of
        each parameter's gradient $g$ and squared gradient,
        $m \leftarrow \beta_1 m + (1 - \beta_1) g$ and $v \leftarrow \beta_2 v + (1 - \beta_2) g^2$, and steps by
        $\eta\, \hat m / (\sqrt{\hat v} + \epsilon)$, where the hats undo the averages' bias towards their
        starting value 0. Dividing by $\sqrt{\hat v}$ gives every parameter a step of about $\eta$, whatever
        the size of its gradient. On the very first step $\hat m = g$ and $\sqrt{\hat v} = |g|$, so each
        parameter moves by almost exactly $\eta$:
        """
    ),
    code(
        """
        net = MLP(2, [16, 16, 1], seed=0)
        before = [p.data for p in net.parameters()]
        optimizer = Adam(net.parameters(), lr=0.01)
        loss = binary_cross_entropy([net(x) for x in X], y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        moved = [abs(p.data - b) for p, b in zip(net.parameters(), before) if abs(p.grad) > 1e-6]
        print(f"{len(moved)} parameters with a gradient moved by between {min(moved):.6f} and {max(moved):.6f} (lr = 0.01)")
        assert all(abs(m - 0.01) < 1e-4 for m in moved)
        """
    ),
    md(
        r"""
        Three interleaved spiral arms are much harder than the moons. The same network (one hidden layer of 24
        relu units, three outputs, softmax cross-entropy), mini-batches of 15, 30 epochs, with each optimizer:
        """
    ),
    code(
        """
        Xs, ys = make_spirals(150, noise=0.02, seed=0)
        spirals = {}
        for name, Optimizer, lr in (("SGD, lr 0.1", SGD, 0.1), ("Adam, lr 0.03", Adam, 0.03)):
            net = MLP(2, [24, 3], seed=0)
            optimizer = Optimizer(net.parameters(), lr=lr)
            hist = fit(net, Xs, ys, loss=cross_entropy, optimizer=optimizer, epochs=30, batch_size=15, progress=False, seed=0)
            spirals[name] = (net, hist)
            print(f"{name}: loss {hist['loss'][-1]:.3f}, accuracy {accuracy(net, Xs, ys):.1%}")

        fig, axes = plt.subplots(1, 3, figsize=(14, 3.8))
        for name, (_, hist) in spirals.items():
            axes[0].plot(range(1, 31), hist["loss"], label=name)
        axes[0].set_xlabel("epoch")
        axes[0].set_ylabel("training loss")
        axes[0].legend(fontsize=8)
        for ax, (name, (net, _)) in zip(axes[1:], spirals.items()):
            decision_boundary(net, Xs, ys, ax=ax)
            ax.set_title(f"{name}: {accuracy(net, Xs, ys):.0%}")
        plt.show()
        adam, sgd = spirals["Adam, lr 0.03"], spirals["SGD, lr 0.1"]
        assert accuracy(adam[0], Xs, ys) >= 0.95 and adam[1]["loss"][-1] < sgd[1]["loss"][-1]
        """
    ),
    md(
        r"""
        `nn.plot.history` draws a run's loss and accuracy together:
        """
    ),
    code(
        """
        ax = plot_history(spirals["Adam, lr 0.03"][1])
        ax.figure.set_size_inches(6, 3)
        ax.set_title("Adam on spirals")
        plt.show()
        """
    ),
    md(
        r"""
        ## What to remember

        - Training is a loop: feed forward, mean loss over the batch, `zero_grad`, `backward`, update; repeat.
        - A mini-batch's gradient is the average of its examples' gradients; smaller batches give more,
          noisier updates per epoch.
        - On $a w^2$ a step multiplies $w$ by $1 - 2\eta a$: too small an $\eta$ crawls, beyond $1/a$ it diverges.
        - Initial weights must differ (random) and have the right scale: He $\sqrt{2/n_{\text{in}}}$ for relu,
          Xavier $\sqrt{2/(n_{\text{in}} + n_{\text{out}})}$ for tanh/sigmoid; tiny weights stall deep networks.
        - Adam scales each parameter's step by its gradient history and often trains much faster than SGD.

        **Next:** [Lesson 7](07_under_the_hood.ipynb) opens the engine: why backward is fast, how deep a graph
        can be, and what else gradients can do.
        """
    ),
]
