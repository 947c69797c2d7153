"""Lesson 6: training: held-out data, the loop, batches, learning rates, dead relus, initialisation, SGD vs Adam,
and weight sharing (a 1-D convolution)."""

from nbtools import check, code, exercise, md

FILENAME = "06_training.ipynb"

CARD = "[the notation card](03_chain_rule.ipynb#notation-card)"

CELLS = [
    md(
        rf"""
        # Lesson 6 · Training

        Lesson 5 did one step on one example. Training repeats it over a data set until the loss stops
        falling: **feed forward, feed backward, update, iterate**. This lesson writes that loop out, then
        varies each choice it hides:

        - **held-out data**: a validation set the model never trains on, to measure what it learned;
        - how many examples per update: **full batch, mini-batch, single example**;
        - the **learning rate** $\eta$: too small, right, too large, and what "too large" does to relu units;
        - the **initial weights**: small values versus He/Xavier scaling;
        - the **optimizer**: plain SGD versus Adam, each with its learning rate tuned;
        - **weight sharing**: a 1-D convolution, one kernel used at every position of a sequence.

        Symbols follow {CARD}: $E$ is the loss being minimised (here a mean over a batch), $\eta$ the
        learning rate, $s$ a weighted input and $z$ an output.
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

        from autograd import Value, dot, grad, no_grad
        from autograd import sum as vsum
        from nn import MLP, Layer
        from nn.data import batches, make_moons, make_spirals
        from nn.losses import binary_cross_entropy, cross_entropy
        from nn.optim import SGD, Adam
        from nn.plot import decision_boundary
        from nn.plot import history as plot_history
        from nn.train import accuracy, fit

        plt.rcParams["font.size"] = 11
        """
    ),
    md(
        r"""
        ## Held-out data

        A network with enough units can memorise its training examples, so accuracy on them says little
        about new inputs. Before training, set part of the data aside as a **validation set**: the model never
        computes a gradient on it, and we only look at it to judge (and, later, to choose a learning rate).
        Every accuracy below says which set it is on. Two moons with some noise, split 100 / 50 at random:
        """
    ),
    code(
        """
        def split(X, y, val_fraction, seed):
            \"\"\"(X_train, y_train, X_val, y_val): a random `val_fraction` of the examples held out.\"\"\"
            order = list(range(len(X)))
            random.Random(seed).shuffle(order)
            n_val = round(len(X) * val_fraction)
            val, train = order[:n_val], order[n_val:]
            return [X[i] for i in train], [y[i] for i in train], [X[i] for i in val], [y[i] for i in val]


        X_all, y_all = make_moons(150, noise=0.2, seed=0)  # two interleaved half moons, labels 0 and 1
        X, y, Xv, yv = split(X_all, y_all, 1 / 3, seed=0)
        print(f"training set: {len(X)} examples ({sum(y)} of class 1); validation set: {len(Xv)} ({sum(yv)} of class 1)")
        assert not {tuple(x) for x in X} & {tuple(x) for x in Xv} and len(X) + len(Xv) == len(X_all)
        """
    ),
    md(
        r"""
        ## The loop, written out

        A network with two hidden layers of 16 relu units and one output (a logit), trained on the whole
        training set at every step (**full batch**) with the mean binary cross-entropy of lesson 4:
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
                print(f"epoch {epoch:2}: training loss {loss.data:.4f}")
        print(f"training accuracy {accuracy(model, X, y):.0%}, validation accuracy {accuracy(model, Xv, yv):.0%}")
        """
    ),
    md(
        r"""
        `nn.train.fit` is the same loop, with an optimizer object doing step 3. From the same starting weights
        it ends at the same weights:
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

        The batch loss is the **mean** of the examples' losses, $E_B = \frac{1}{|B|}\sum_{n\in B} E_n$, so its
        gradient is the mean of their gradients: $\nabla E_B = \frac{1}{|B|}\sum_{n \in B} \nabla E_n$. A
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

        Three copies of the same network, trained for 15 **epochs** (passes over the training set) with the
        same learning rate: one update per epoch (full batch), 10 (mini-batches of 10), 100 (one example at a
        time, the original *stochastic* gradient descent). Every epoch costs the same: 100 forward and backward
        passes.

        What `fit` records as an epoch's loss is the mean of that epoch's batch losses, and each batch's loss is
        measured by the model **as it was before that batch's step**. With one update per epoch that is simply
        the loss at the start of the epoch; with 100 updates it averages over 100 slightly different models, so
        it lags behind the model at the end of the epoch. The plots below show this averaged number.
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
            with no_grad():
                end_loss = binary_cross_entropy([net(x) for x in X], y).data
            print(
                f"{name:>16}: {15 * per_epoch:5} updates; last epoch's averaged loss {hist['loss'][-1]:.3f}, "
                f"the final model's training loss {end_loss:.3f}; validation accuracy {accuracy(net, Xv, yv):.0%}"
            )

        fig, (by_epoch, by_update) = plt.subplots(1, 2, figsize=(9.6, 3.4))
        for name, (_, hist, per_epoch) in runs.items():
            epochs = range(1, 16)
            by_epoch.plot(epochs, hist["loss"], label=name)
            by_update.plot([e * per_epoch for e in epochs], hist["loss"], label=name)
        by_epoch.set_xlabel("epoch")
        by_update.set_xlabel("updates (log scale)")
        by_update.set_xscale("log")
        for ax in (by_epoch, by_update):
            ax.set_ylabel("training loss (epoch average)")
            ax.legend(fontsize=9)
        fig.tight_layout()
        plt.show()
        assert runs["single example"][1]["loss"][-1] < runs["full batch"][1]["loss"][-1]
        """
    ),
    md(
        r"""
        Per epoch, smaller batches win here because they make more updates for the same work; per
        update, the full batch's steps are the most accurate. Mini-batches sit between the two, and on
        real hardware they are the usual choice because a batch is computed in parallel. The decision
        boundaries after 15 epochs, with the **validation** points drawn on top:
        """
    ),
    code(
        """
        fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.4))
        for ax, (name, (net, _, _)) in zip(axes, runs.items()):
            decision_boundary(net, Xv, yv, ax=ax)
            ax.set_title(f"{name}\\nvalidation accuracy {accuracy(net, Xv, yv):.0%}", fontsize=10)
        fig.tight_layout()
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

        On the simplest loss, $E(w) = a w^2$ with $E'(w) = 2aw$, one step of gradient descent gives

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
            print(f"η = {eta}: factor 1 - 2ηa = {1 - 2 * eta * a:+.2f}, w: {[round(v, 3) for v in path]}")
            assert all(abs(v - (1 - 2 * eta * a) ** (n + 1)) < 1e-12 for n, v in enumerate(path))
        """
    ),
    md(
        r"""
        A network's loss is not a parabola, but near a minimum it behaves like one in every direction, so
        the same regimes appear. Full-batch training with four learning rates, recording after every epoch the
        loss on the validation set too, and how many hidden relu units are **dead**: inactive ($s_j \le 0$) on
        every training example (lesson 5), so that they pass no gradient at all.
        """
    ),
    code(
        """
        def dead_units(net, X):
            \"\"\"For each hidden layer, how many relu units have s_j <= 0 on every example of X.\"\"\"
            Z, dead = np.array(X), []
            for layer in net.layers[:-1]:
                W = np.array([[w.data for w in n.w] for n in layer.neurons])  # row j: unit j's weights (out x in)
                S = Z @ W.T + np.array([n.b.data for n in layer.neurons])
                dead.append(int((S <= 0).all(axis=0).sum()))
                Z = np.maximum(S, 0.0)
            return dead


        sweep = {}
        for lr in (0.01, 0.3, 3.0, 30.0):
            net = MLP(2, [16, 16, 1], seed=0)
            optimizer = SGD(net.parameters(), lr=lr)
            run = {"loss": [], "val_loss": [], "dead": [], "output_bias": []}
            for _ in range(15):  # one epoch at a time, to look at the model in between
                run["output_bias"].append(net.layers[-1].neurons[0].b.data)
                run["loss"] += fit(net, X, y, loss=binary_cross_entropy, optimizer=optimizer, epochs=1, progress=False)["loss"]
                with no_grad():
                    run["val_loss"].append(binary_cross_entropy([net(x) for x in Xv], yv).data)
                run["dead"].append(dead_units(net, X))
            sweep[lr] = (net, run)
            print(
                f"lr = {lr:>5}: training loss {run['loss'][-1]:.3f}, validation loss {run['val_loss'][-1]:.3f}, "
                f"validation accuracy {accuracy(net, Xv, yv):.0%}, dead units per hidden layer {run['dead'][-1]}"
            )

        fig, (train_ax, val_ax) = plt.subplots(1, 2, figsize=(9.6, 3.4), sharey=True)
        for lr, (_, run) in sweep.items():
            train_ax.plot(range(1, 16), run["loss"], label=f"lr = {lr}")
            val_ax.plot(range(1, 16), run["val_loss"], label=f"lr = {lr}")
        train_ax.set_ylabel("loss (log scale)")
        train_ax.set_yscale("log")
        for ax, which in ((train_ax, "training"), (val_ax, "validation")):
            ax.set_xlabel("epoch")
            ax.set_title(f"{which} loss")
            ax.legend(fontsize=9)
        fig.tight_layout()
        plt.show()
        assert sweep[0.3][1]["val_loss"][-1] < min(sweep[0.01][1]["val_loss"][-1], sweep[30.0][1]["val_loss"][-1])
        """
    ),
    md(
        r"""
        ### What happened at lr = 30

        Not "it blew up and stayed up". Read the numbers epoch by epoch: the first steps are so large that the
        loss jumps by many orders of magnitude; those same steps throw the hidden units' weights and biases so far
        that every relu of the second hidden layer ends up with $s_j \le 0$ on every **training** input. From then
        on, on the training set, the network computes a **constant**: the output unit's bias.
        """
    ),
    code(
        """
        net30, run30 = sweep[30.0]
        for epoch in range(7):
            print(
                f"epoch {epoch + 1}: training loss {run30['loss'][epoch]:.4g}, "
                f"dead units after it {run30['dead'][epoch]} of [16, 16]"
            )
        with no_grad():
            outputs = [net30(x).data for x in X]
            val_outputs = [net30(x).data for x in Xv]
        output_bias = net30.layers[-1].neurons[0].b.data
        print(f"outputs on the {len(X)} training inputs: min {min(outputs):.6f}, max {max(outputs):.6f}; output bias {output_bias:.6f}")
        same = sum(v == output_bias for v in val_outputs)
        print(f"on the validation inputs: {same} of {len(Xv)} get exactly that output; the largest is {max(val_outputs):.4g}")
        loss = binary_cross_entropy([net30(x) for x in X], y)
        net30.zero_grad()
        loss.backward()
        moving = [name for name, p in net30.named_parameters() if p.grad != 0.0]
        print(f"parameters with a non-zero gradient: {moving} (of {len(net30.parameters())})")
        print(f"one class for every training input: training accuracy {accuracy(net30, X, y):.0%}, validation accuracy {accuracy(net30, Xv, yv):.0%}")
        assert max(run30["loss"]) > 1e6 * run30["loss"][0]
        assert run30["dead"][-1][1] == 16 and max(outputs) == min(outputs) == output_bias and moving == ["layer2.neuron0.b"]
        """
    ),
    md(
        r"""
        A constant logit $b$ predicts $p = \sigma(b)$ for every example, so the loss is a function of $b$ alone,
        with slope $\partial E/\partial b = p - \bar y$ ($\bar y$ the fraction of class 1). The rest of the run is
        gradient descent on that one parameter with $\eta = 30$: $b \leftarrow b - 30\,(\sigma(b) - \bar y)$, a step
        far too large, so $b$ jumps back and forth across its best value and the loss zig-zags. Check that this
        one-line recurrence reproduces the recorded output bias, epoch after epoch, once the units are dead:
        """
    ),
    code(
        """
        y_bar = sum(y) / len(y)
        first = next(e for e, dead in enumerate(run30["dead"]) if dead[1] == 16) + 1  # bias at the start of the next epoch
        b = run30["output_bias"][first]
        for epoch in range(first, 15):
            assert abs(b - run30["output_bias"][epoch]) < 1e-9 * max(1.0, abs(b))
            p = 1 / (1 + math.exp(-b))
            loss_now = -(y_bar * math.log(p) + (1 - y_bar) * math.log(1 - p))
            assert abs(loss_now - run30["loss"][epoch]) < 1e-9
            b = b - 30.0 * (p - y_bar)
        print(f"from epoch {first + 1} on, b <- b - 30 (σ(b) - {y_bar}) predicts every recorded bias and loss")
        print("output bias per epoch:", [round(v, 2) for v in run30["output_bias"][first:]])
        """
    ),
    md(
        r"""
        That is the typical failure of a too-large learning rate with relu units: not infinity, but **dead
        units and a constant output** that gradient descent can no longer repair, because dead units pass no
        gradient. "Dead" is about the training data: a few validation points still wake a unit up and get wild
        outputs, which is worse, not better. (lr = 3 killed many units too, as its line in the sweep shows; the
        survivors still learned.)

        ### Exercise 6.2 · pick a learning rate from the curves

        The sweep above is how learning rates are chosen in practice: train a few, look at the curves, keep the
        best. Write `pick_learning_rate(runs)`: `runs` maps each learning rate to its history, a dict with the
        lists `"loss"` (training) and `"val_loss"` (validation), one entry per epoch, like `sweep` above
        (`{lr: run for lr, (_, run) in sweep.items()}`). Return the learning rate whose run **ends** with the
        lowest validation loss; a run whose last validation loss is NaN or infinite is out. Think about why
        each of those words is there: which set, which epoch, and what `min` does with a NaN.
        """
    ),
    exercise(
        "6.2",
        """
        def pick_learning_rate(runs):
            \"\"\"The learning rate whose run ends with the lowest finite validation loss.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    code(
        """
        try:
            print("your pick from the sweep above:", pick_learning_rate({lr: run for lr, (_, run) in sweep.items()}))
        except NotImplementedError:
            print("fill in pick_learning_rate above first")
        """
    ),
    check("6.2", "pick_learning_rate"),
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
        - **Xavier** (Glorot): $\text{Var}(w) = 2 / (n_{\text{in}} + n_{\text{out}})$, derived for activations that act
          like the identity near 0, $f(0) = 0$ and $f'(0) = 1$: that is **tanh**. Sigmoid is not such a function
          ($\sigma(0) = \tfrac12$, $\sigma'(0) = \tfrac14$); checked below.

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
        Now the variance rule, measured on a stack of five wide relu layers (NumPy, for speed):
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
            print(f"{name:>5}: Var(s) per layer {[round(float(v), 3) for v in variances]}")
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
        Is Xavier right for sigmoid too? Measure what matters for learning: the variance of the deltas as they
        flow **backwards** through five Xavier-initialised layers of 256 units, $\delta^{(\ell)} = f'(s^{(\ell)}) \odot
        W^{(\ell+1)\top}\delta^{(\ell+1)}$. With $n_{\text{in}} = n_{\text{out}} = n$, Xavier gives $n\,\text{Var}(w) = 1$, so each
        layer multiplies the variance by about $\mathbb{E}[f'(s)^2]$: at most 1 for tanh ($\tanh' \le 1$, equal to 1
        only at 0), at most $\tfrac1{16}$ for sigmoid ($\sigma' \le \tfrac14$):
        """
    ),
    code(
        """
        def sigma(s):
            return 1 / (1 + np.exp(-s))


        slopes = {"tanh": (np.tanh, lambda s: 1 - np.tanh(s) ** 2), "sigmoid": (sigma, lambda s: sigma(s) * (1 - sigma(s)))}
        backward_factor = {}
        for name, (f, f_prime) in slopes.items():
            h, layers = rng.standard_normal((2000, n)), []
            for _ in range(5):
                W = rng.normal(0, math.sqrt(2 / (n + n)), (n, n))  # Xavier, n_in = n_out = n
                s = h @ W.T
                layers.append((W, s))
                h = f(s)
            delta, variances = rng.standard_normal((2000, n)), []
            for W, s in reversed(layers):
                delta = f_prime(s) * delta
                variances.append(delta.var())
                delta = delta @ W  # W^T delta, one example per row
            backward_factor[name] = float(np.exp(np.mean(np.diff(np.log(variances)))))
            print(f"{name:>7}: Var(δ) going back through the layers {[f'{v:.1e}' for v in variances]}")
            print(f"         each layer multiplies it by {backward_factor[name]:.3f}")
        assert backward_factor["tanh"] > 0.5 and backward_factor["sigmoid"] < 0.1
        """
    ),
    md(
        r"""
        So the claim needs restating. Xavier is right for tanh to first order, and in practice the deltas still
        shrink somewhat (here by about a third per layer, because the units do not all sit at $s = 0$); for sigmoid
        it keeps nothing: every sigmoid layer divides the deltas' variance by about 20.
        That is one reason hidden layers use tanh or relu rather than sigmoid; `nn` uses Xavier as the default
        for both tanh and sigmoid, which is a common convention, not a guarantee.

        In a deeper relu network on the moons, small initial weights leave the output near 0 and the
        gradients near 0: the loss sits at $\log 2 \approx 0.693$ (a coin flip) while He-initialised weights train:
        """
    ),
    code(
        """
        fig, ax = plt.subplots(figsize=(6, 3.4))
        deep = {}
        for init in ("small", "he"):
            net = MLP(2, [16, 16, 16, 1], seed=0, init=init)
            first = grad(binary_cross_entropy([net(x) for x in X], y), net.layers[0].parameters())
            optimizer = SGD(net.parameters(), lr=0.1)
            hist = fit(net, X, y, loss=binary_cross_entropy, optimizer=optimizer, epochs=15, batch_size=10, progress=False, seed=0)
            deep[init] = hist["loss"][-1]
            print(f"{init:>5}: largest first-layer gradient {max(map(abs, first)):.1e}, training loss after 15 epochs {deep[init]:.3f}")
            ax.plot(range(1, 16), hist["loss"], label=f"init = {init!r}")
        ax.axhline(math.log(2), color="gray", ls="--", lw=0.8)
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss (epoch average)")
        ax.legend(fontsize=9)
        plt.show()
        assert deep["small"] > 0.69 and deep["he"] < 0.45
        """
    ),
    md(
        r"""
        ## SGD versus Adam, each tuned

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
        Because their steps mean different things (SGD's scales with the gradient, Adam's does not), the two
        optimizers have different good learning rates, and comparing them at one shared $\eta$ says more about
        that $\eta$ than about the optimizers. So tune each: on three interleaved spiral arms (100 training, 50
        validation points), the same network (one hidden layer of 24 relu units, three outputs, softmax
        cross-entropy), mini-batches of 10, 20 epochs, a few learning rates per optimizer (spaced by about 3x, so
        that the best one has a worse one on each side), each optimizer's best rate chosen by **validation** loss:
        """
    ),
    code(
        """
        Xs_all, ys_all = make_spirals(150, noise=0.02, seed=0)
        Xs, ys, Xs_val, ys_val = split(Xs_all, ys_all, 1 / 3, seed=0)
        grid = {"SGD": (SGD, (0.3, 1.0, 3.0)), "Adam": (Adam, (0.01, 0.03, 0.1, 0.3))}
        tuned = {}
        for name, (Optimizer, rates) in grid.items():
            results = {}
            for lr in rates:
                net = MLP(2, [24, 3], seed=0)
                hist = fit(net, Xs, ys, loss=cross_entropy, optimizer=Optimizer(net.parameters(), lr=lr), epochs=20, batch_size=10, progress=False, seed=0)
                with no_grad():
                    val_loss = cross_entropy([net(x) for x in Xs_val], ys_val).data
                results[lr] = (val_loss, net, hist)
                print(f"{name:>4}, lr {lr:<5}: validation loss {val_loss:.3f}, validation accuracy {accuracy(net, Xs_val, ys_val):.0%}")
            best = min(results, key=lambda lr: results[lr][0])
            tuned[name] = (best, *results[best])
            assert best not in (rates[0], rates[-1])  # bracketed: a rate on either side is worse
        for name, (lr, val_loss, net, _) in tuned.items():
            print(f"best {name}: lr {lr}, validation loss {val_loss:.3f}, validation accuracy {accuracy(net, Xs_val, ys_val):.0%}")
        print(f"the best SGD rate is {tuned['SGD'][0] / tuned['Adam'][0]:g} times the best Adam rate")
        assert all(accuracy(net, Xs_val, ys_val) >= 0.9 for _, _, net, _ in tuned.values())
        assert tuned["Adam"][1] < tuned["SGD"][1]
        """
    ),
    code(
        """
        fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.4))
        for name, (lr, _, _, hist) in tuned.items():
            axes[0].plot(range(1, 21), hist["loss"], label=f"{name}, lr {lr}")
        axes[0].set_xlabel("epoch")
        axes[0].set_ylabel("training loss (epoch average)")
        axes[0].set_yscale("log")
        axes[0].legend(fontsize=9)
        for ax, (name, (lr, _, net, _)) in zip(axes[1:], tuned.items()):
            decision_boundary(net, Xs_val, ys_val, ax=ax)
            ax.set_title(f"{name}, lr {lr}\\nvalidation accuracy {accuracy(net, Xs_val, ys_val):.0%}", fontsize=10)
        fig.tight_layout()
        plt.show()
        """
    ),
    md(
        r"""
        Tuned, both classify the held-out spiral points well, and in these 20 epochs Adam reaches the lower
        validation loss. Note what tuning changed: the best rates differ by a large factor (printed above), so
        at any one shared $\eta$ at least one of the two would have run far from its best. A comparison at one
        shared $\eta$ measures the $\eta$, not the optimizer.

        `nn.plot.history` draws a run's loss and accuracy together. Both are the epoch averages `fit` records
        (each batch measured before its own update, on the **training** set), so they trail the model a
        little:
        """
    ),
    code(
        """
        ax = plot_history(tuned["Adam"][3])
        ax.figure.set_size_inches(6, 3.2)
        ax.set_title("Adam on spirals: training loss and accuracy, epoch averages", fontsize=11)
        plt.show()
        """
    ),
    md(
        r"""
        ### Exercise 6.3 · a mini-batch step in matrix form

        Everything so far went through one scalar `Value` at a time. Lesson 5's matrix form does a whole
        mini-batch in a few matrix products, which is how PyTorch does it. Write
        `minibatch_step(X, Y, W1, b1, W2, b2, eta)` with NumPy for a network with sigmoid hidden and sigmoid
        output units and the batch loss $E = \frac1B \sum_n \frac12 \sum_k (\hat y_{nk} - y_{nk})^2$:

        - `X` is $B \times n_{\text{in}}$ and `Y` is $B \times n_{\text{out}}$: **one example per row**;
        - `W1` is $n_{\text{hidden}} \times n_{\text{in}}$ and `W2` is $n_{\text{out}} \times n_{\text{hidden}}$: **row = receiving
          unit**, as on the card and in `nn.Linear`; `b1`, `b2` are vectors.

        Return the updated `(W1, b1, W2, b2)` after one gradient-descent step $W \leftarrow W - \eta \nabla_W E$.
        Work out each shape on paper first; the check compares `W2`, `b2` before `W1`, `b1`, in the order
        backprop computes them.
        """
    ),
    exercise(
        "6.3",
        """
        def minibatch_step(X, Y, W1, b1, W2, b2, eta):
            \"\"\"One gradient step on the batch mean of 1/2 sum (y_hat - y)**2; returns new (W1, b1, W2, b2).\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("6.3", "minibatch_step"),
    md(
        r"""
        ## Weight sharing: a 1-D convolution

        So far every weight was used once per example. A **convolution** slides one small set of weights, the
        **kernel** $k = (k_0, k_1, k_2)$, along a sequence $x_0, \dots, x_{T-1}$ and computes the same weighted input
        at every position $t$:

        $$s_t = \sum_{m=0}^{2} k_m\, x_{t+m} + b, \qquad t = 0, \dots, T - 3 .$$

        The kernel is **shared**: $k_m$ feeds every $s_t$. By lesson 2's fan-out rule, the gradients coming back
        along those uses add up, so

        $$\frac{\partial E}{\partial k_m} = \sum_t \frac{\partial E}{\partial s_t}\, \frac{\partial s_t}{\partial k_m}
        = \sum_t \delta_t\, x_{t+m} :$$

        the delta at each position times the input the kernel saw there, summed over positions. This is how
        convolutional networks (CNNs) learn a detector that works wherever the pattern appears, with a handful
        of weights. Built from `Value`s:
        """
    ),
    code(
        """
        def convolve(kernel, bias, x):
            \"\"\"The weighted inputs s_t = sum_m kernel[m] * x[t + m] + bias, at every position t.\"\"\"
            width = len(kernel)
            return [dot(kernel, x[t : t + width]) + bias for t in range(len(x) - width + 1)]


        kernel = [Value(v, label=f"k{m}") for m, v in enumerate((0.2, -0.4, 0.3))]
        bias = Value(0.1, label="b")
        x = [0.0, 0.1, 0.0, 0.9, 1.0, 1.1, 0.9, 1.0]
        s = convolve(kernel, bias, x)
        E = vsum([st.tanh() for st in s]) ** 2  # any cost will do for the check
        E.backward()
        for m, k_m in enumerate(kernel):
            by_hand = sum(s_t.grad * x[t + m] for t, s_t in enumerate(s))  # sum over positions of δ_t x_(t+m)
            print(f"dE/dk{m}: Σ_t δ_t x_(t+{m}) = {by_hand:.6f}, chaingrad k{m}.grad = {k_m.grad:.6f}")
            assert abs(by_hand - k_m.grad) < 1e-12
        assert abs(sum(s_t.grad for s_t in s) - bias.grad) < 1e-12  # the bias is shared too: Σ_t δ_t
        """
    ),
    md(
        r"""
        A tiny task: sequences of 10 readings that are low (about 0) or high (about 1), with noise; some step
        **up** once, some step **down** once, some stay flat. Label 1 means "contains a rising edge". The model
        is one kernel of width 3, a tanh at every position, the sum over positions, and a scale and offset
        into a logit: 6 parameters, trained with Adam on 80 sequences, judged on 60 held-out ones. (With a relu
        at every position, this small model often kills its only unit early in training, lesson 5's dead unit,
        and stays at chance: tanh cannot die.)
        """
    ),
    code(
        """
        def sequence(kind, rng, length=10):
            at = rng.randrange(2, length - 1)  # where the step happens
            low_high = {"up": (0.0, 1.0), "down": (1.0, 0.0), "flat low": (0.0, 0.0), "flat high": (1.0, 1.0)}[kind]
            return [(low_high[0] if t < at else low_high[1]) + rng.gauss(0, 0.1) for t in range(length)]


        def make_edges(n, seed):
            rng = random.Random(seed)
            kinds = [rng.choice(["up", "up", "down", "flat low", "flat high"]) for _ in range(n)]
            return [sequence(kind, rng) for kind in kinds], [int(kind == "up") for kind in kinds]


        seqs, labels = make_edges(80, seed=1)
        seqs_val, labels_val = make_edges(60, seed=2)

        rng_init = random.Random(1)
        kernel = [Value(rng_init.uniform(-0.5, 0.5), label=f"k{m}") for m in range(3)]
        bias, scale, offset = Value(0.0, label="b"), Value(1.0, label="scale"), Value(0.0, label="offset")
        params = [*kernel, bias, scale, offset]


        def edge_logit(x):
            return scale * vsum([s_t.tanh() for s_t in convolve(kernel, bias, x)]) + offset


        def edge_accuracy(X, labels):
            with no_grad():
                return sum((edge_logit(x).data > 0) == bool(t) for x, t in zip(X, labels)) / len(X)


        optimizer = Adam(params, lr=0.1)
        losses = []
        for _ in range(50):
            loss = binary_cross_entropy([edge_logit(x) for x in seqs], labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.data)
        print(f"training loss {losses[0]:.3f} -> {losses[-1]:.3f}")
        print(f"training accuracy {edge_accuracy(seqs, labels):.0%}, validation accuracy {edge_accuracy(seqs_val, labels_val):.0%}")
        print("learned kernel:", [f"{k.data:+.2f}" for k in kernel], f"bias {bias.data:+.2f}")
        assert edge_accuracy(seqs_val, labels_val) >= 0.95
        """
    ),
    md(
        r"""
        The learned kernel, and what it computes along a few validation sequences: it weighs the later readings
        against the earlier ones (a difference, up to scale), so it responds strongly where the sequence rises,
        wherever that happens, negatively where it falls, and little where it is flat:
        """
    ),
    code(
        """
        fig = plt.figure(figsize=(9.6, 4.2))
        grid_spec = fig.add_gridspec(3, 2, width_ratios=[1, 2.6])
        kernel_ax = fig.add_subplot(grid_spec[:, 0])
        values = [k.data for k in kernel]
        kernel_ax.bar(range(3), values, color=["#dc2626" if v < 0 else "#2563eb" for v in values])
        kernel_ax.axhline(0, color="black", lw=0.8)
        kernel_ax.set_xticks(range(3), [f"$k_{m}$" for m in range(3)])
        kernel_ax.set_xlabel(r"$k_m$ multiplies $x_{t+m}$")
        kernel_ax.set_title("learned kernel")
        shown = {}
        for x_seq, label in zip(seqs_val, labels_val):
            kind = "rising" if label else "falling" if x_seq[0] > x_seq[-1] + 0.5 else "flat" if x_seq[0] > 0.5 else None
            if kind is not None:
                shown.setdefault(kind, x_seq)
        with no_grad():
            for row, kind in enumerate(("rising", "falling", "flat")):
                ax = fig.add_subplot(grid_spec[row, 1])
                x_seq = shown[kind]
                response = [s_t.tanh().data for s_t in convolve(kernel, bias, x_seq)]
                ax.plot(range(10), x_seq, color="gray", lw=1, ls="--", marker=".", label="input $x_t$")
                ax.plot(np.arange(len(response)) + 1, response, color="#16a34a", lw=2, marker="o", label=r"$\\tanh(s_t)$")
                ax.axhline(0, color="black", lw=0.5)
                ax.set_ylim(-1.2, 1.4)
                ax.set_xticks(range(10))
                ax.set_ylabel(kind, fontsize=10)
                if row == 0:
                    ax.set_title("response along three validation sequences")
                    ax.legend(fontsize=8, loc="upper left", ncol=2)
                if row < 2:
                    ax.tick_params(labelbottom=False)
        ax.set_xlabel(r"position ($\\tanh(s_t)$ drawn at the kernel's centre, $t + 1$)")
        fig.tight_layout()
        plt.show()
        assert values[-1] > values[0]  # it compares what comes after with what came before
        """
    ),
    md(
        r"""
        ## What to remember

        - Hold out a **validation set** before training; report accuracies with the set they were measured on.
        - Training is a loop: feed forward, mean loss over the batch, `zero_grad`, `backward`, update; repeat.
          `fit`'s per-epoch loss averages over a model that changes during the epoch.
        - A mini-batch's gradient is the average of its examples' gradients; smaller batches give more,
          noisier updates per epoch. In matrix form a batch is a few matrix products.
        - On $a w^2$ a step multiplies $w$ by $1 - 2\eta a$: too small an $\eta$ crawls, beyond $1/a$ it diverges.
          In a relu network a too-large $\eta$ typically **kills the units**: the output becomes a constant.
        - Choose $\eta$ from the curves: the lowest **validation** loss at the **end** of the run, NaNs excluded;
          tune it separately for each optimizer.
        - Initial weights must differ and have the right scale: He $\sqrt{2/n_{\text{in}}}$ for relu, Xavier
          $\sqrt{2/(n_{\text{in}} + n_{\text{out}})}$ for tanh; with sigmoid the deltas still shrink about 20× per layer.
        - A convolution shares one kernel across positions; its gradient is the sum over positions of
          $\delta_t x_{t+m}$, lesson 2's fan-out rule.

        **Next:** [Lesson 7](07_under_the_hood.ipynb) opens the engine: why backward is fast, forward mode
        versus reverse mode, how deep a graph can be, and what else gradients can do.
        """
    ),
]
