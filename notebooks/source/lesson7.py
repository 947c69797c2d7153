"""Lesson 7: under the hood: dynamic programming, deep graphs, no_grad, gradcheck, second derivatives, anomalies, torch."""

from nbtools import check, code, exercise, md

FILENAME = "07_under_the_hood.ipynb"

CELLS = [
    md(
        r"""
        # Lesson 7 · Under the hood

        The last lesson opens the engine. You will see:

        - why backprop is fast: the chain rule sums over **paths**, which multiply exponentially, while
          backward visits each **node** once (dynamic programming);
        - that depth is no problem: a chain of **100,000** ops backpropagates without recursion;
        - `no_grad` for predictions that need no graph;
        - **gradient checking** against finite differences, and the classic bug it catches;
        - **second derivatives** with `create_graph=True`, used for Newton's method;
        - **anomaly detection** for the first NaN or infinity;
        - where to go next: the same model in **PyTorch** with `to_torch`.
        """
    ),
    code(
        """
        %matplotlib inline
        import math
        import sys
        import time

        import matplotlib.pyplot as plt
        from checker import check

        from autograd import GradcheckError, Value, detect_anomaly, draw_dot, explain, grad, gradcheck, no_grad
        from autograd import topological_order
        from nn import MLP
        from nn.data import make_moons
        from nn.losses import binary_cross_entropy
        from nn.optim import Adam
        from nn.train import fit
        """
    ),
    md(
        r"""
        ## Paths multiply, nodes do not

        The chain rule, spelled out (lesson 3's `explain`), is a **sum over paths** from the input to the output
        of the product of the local derivatives along each path. Build a ladder where each rung computes
        $y_k = \sin(y_{k-1}) + \cos(y_{k-1})$: each rung offers two routes, so $n$ rungs make $2^n$ paths,
        with only $3n + 1$ nodes.
        """
    ),
    code(
        """
        def ladder(x, rungs):
            y = x
            for k in range(1, rungs + 1):
                s, c = y.sin(), y.cos()
                s.label, c.label = f"sin{k}", f"cos{k}"
                y = s + c
                y.label = f"y{k}"
            return y


        x = Value(0.3, label="x")
        y3 = ladder(x, 3)
        y3.backward()
        print(explain(y3, x))
        assert abs(explain(y3, x).total - x.grad) < 1e-12
        draw_dot(y3)
        """
    ),
    md(
        r"""
        `backward()` never lists paths. It keeps $\partial y/\partial\,\text{node}$ for every node and reuses it for
        every path through that node: each node and edge is visited once. That reuse is **dynamic
        programming**. `explain` counts the paths (by the same kind of bookkeeping) and sets the two numbers
        side by side:
        """
    ),
    code(
        """
        rungs = list(range(1, 41))
        paths, nodes = [], []
        for n in rungs:
            x = Value(0.3, label="x")
            why = explain(ladder(x, n), x, max_paths=0)  # count, do not list
            paths.append(why.path_count)
            nodes.append(why.nodes_visited)
            assert why.path_count == 2**n and why.nodes_visited == 3 * n + 1
        print(why)

        fig, ax = plt.subplots(figsize=(6, 3.3))
        ax.semilogy(rungs, paths, label="paths (the chain rule's sum has this many terms)")
        ax.semilogy(rungs, nodes, label="nodes backward visits")
        ax.set_xlabel("rungs")
        ax.legend(fontsize=8)
        plt.show()
        """
    ),
    md(
        r"""
        With 40 rungs the sum has over a trillion terms; backward does 121 node visits. A network is the same
        story: every weight in the first layer reaches the loss through every unit of every later layer.

        ### Exercise 7.1 · counting paths by dynamic programming

        Write `count_paths(root, wrt)`: the number of paths from `wrt` up to `root`, in one pass over
        `topological_order(root)` (parents before children). Keep `paths[node]` = the number of paths from
        `wrt` to `node`: it is 1 for `wrt`, and for any other node the sum of `paths[parent]` over
        `node.parents` (a parent listed twice, as in `a + a`, counts twice).
        """
    ),
    exercise(
        "7.1",
        """
        def count_paths(root, wrt):
            \"\"\"How many paths lead from wrt up to root (an int).\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("7.1", "count_paths"),
    md(
        r"""
        ## Deep graphs

        A textbook backward pass sorts the graph with a recursive function. Python allows about 1,000 nested
        calls, so a chain of 100,000 ops breaks it. chaingrad's sort and sweep are loops with an explicit
        stack, so depth costs nothing special. Take $y = x \cdot c^{n}$ built as $n$ multiplications by $c$:
        $\partial y/\partial x = c^n$.
        """
    ),
    code(
        """
        def recursive_order(node, seen, order):  # the textbook version
            if node not in seen:
                seen.add(node)
                for parent in node.parents:
                    recursive_order(parent, seen, order)
                order.append(node)
            return order


        n, c = 100_000, 1.00001
        x = Value(1.0, label="x")
        start = time.perf_counter()
        y = x
        for _ in range(n):
            y = y * c
        built = time.perf_counter()
        y.backward()
        done = time.perf_counter()
        print(f"{n:,} multiplications: forward {built - start:.2f} s, backward {done - built:.2f} s")
        print(f"x.grad = {x.grad:.10f}, c**n = {c**n:.10f}")
        assert abs(x.grad - c**n) < 1e-9 * c**n
        assert len(topological_order(y)) == n + 1

        try:
            recursive_order(y, set(), [])
        except RecursionError:
            print(f"the recursive sort fails: RecursionError (Python's limit is {sys.getrecursionlimit()} nested calls)")
        """
    ),
    md(
        r"""
        ## `no_grad`: predictions without a graph

        Every op records its parents so that backward can find them, which keeps the whole graph in memory
        as long as the output lives. Predictions need no backward, so that record is wasted. Inside
        `with no_grad():` (or in a function decorated with `@no_grad()`) ops record nothing: results are
        leaves.
        """
    ),
    code(
        """
        model = MLP(2, [16, 16, 1], seed=0)
        point = [0.5, -0.25]
        recorded = model(point)
        with no_grad():
            bare = model(point)
        print(f"same prediction: {recorded.data:.6f} and {bare.data:.6f}")
        sizes = len(topological_order(recorded)), len(topological_order(bare))
        print(f"graph behind it: {sizes[0]} nodes recorded, {sizes[1]} under no_grad")
        assert recorded.data == bare.data and bare.parents == ()

        X, y = make_moons(200, noise=0.1, seed=0)
        def op_nodes(output):  # the nodes an output keeps alive besides the parameters
            return sum(1 for node in topological_order(output) if node.parents)


        recorded_ops = sum(op_nodes(model(x)) for x in X)
        with no_grad():
            bare_ops = sum(op_nodes(model(x)) for x in X)
        print(f"200 predictions: {recorded_ops:,} op nodes recorded; under no_grad, {bare_ops}")
        assert bare_ops == 0
        """
    ),
    md(
        r"""
        ### Exercise 7.2 · predictions without a graph

        Write `predict_without_graph(model, X)`: the model's output for every row of `X`, as a list of plain
        floats, computed with nothing recorded.
        """
    ),
    exercise(
        "7.2",
        """
        def predict_without_graph(model, X):
            \"\"\"[float(model(x)) for x in X], computed under no_grad.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("7.2", "predict_without_graph"),
    md(
        r"""
        ## Gradient checking

        `gradcheck(f, inputs)` compares backward's gradient of `f` with central differences (lesson 1) at
        `inputs`, and raises `GradcheckError` naming the input and both numbers when they disagree. It is how
        every derivative rule in `autograd/ops.py` is tested. It also catches the classic mistake of leaving
        the graph: `x.data` is a plain float, so a gradient cannot flow through it.
        """
    ),
    code(
        """
        def good(x, w):
            return (x * w).tanh() * x


        def leaky(x, w):
            return (x * w).tanh() * x.data  # .data is a constant to the engine: this path is lost


        print("good:", gradcheck(good, [0.7, -1.3]))
        try:
            gradcheck(leaky, [0.7, -1.3])
        except GradcheckError as error:
            print("leaky:", error)
        """
    ),
    md(
        r"""
        ## Second derivatives and Newton's method

        `grad(y, [x], create_graph=True)` returns $\partial y/\partial x$ as a `Value`: a new graph, which can be
        differentiated again. Take $f(x) = x^4 - 3x^2 + x$, so $f'(x) = 4x^3 - 6x + 1$ and
        $f''(x) = 12x^2 - 6$:
        """
    ),
    code(
        """
        def f(x):
            return x**4 - 3 * x**2 + x


        x = Value(2.0, label="x")
        (df,) = grad(f(x), [x], create_graph=True)  # a Value: 4x^3 - 6x + 1 at x = 2
        (d2f,) = grad(df, [x])  # differentiate the derivative
        print(f"f'(2) = {df.data} (formula {4 * 8 - 12 + 1}), f''(2) = {d2f} (formula {12 * 4 - 6})")
        assert df.data == 21.0 and d2f == 42.0
        """
    ),
    md(
        r"""
        Gradient descent steps by a fixed multiple of the slope. **Newton's method** also uses the curvature:
        it jumps to the minimum of the parabola that matches $f$, $f'$ and $f''$ at the current point,

        $$x \leftarrow x - \frac{f'(x)}{f''(x)},$$

        and near a minimum the number of correct digits roughly doubles at every step:
        """
    ),
    code(
        """
        def derivatives(x0):
            x = Value(x0)
            (df,) = grad(f(x), [x], create_graph=True)
            (d2f,) = grad(df, [x])
            return df.data, d2f


        newton, descent = [2.0], [2.0]
        for _ in range(6):
            slope, curvature = derivatives(newton[-1])
            newton.append(newton[-1] - slope / curvature)
            descent.append(descent[-1] - 0.02 * derivatives(descent[-1])[0])
        for k, (xn, xd) in enumerate(zip(newton, descent)):
            print(f"step {k}: Newton x = {xn:.15f} (f' = {derivatives(xn)[0]:+.1e})   gradient descent x = {xd:.6f}")
        assert abs(derivatives(newton[-1])[0]) < 1e-12

        xs = [i / 100 for i in range(-200, 221)]
        fig, ax = plt.subplots(figsize=(6, 3.3))
        ax.plot(xs, [f(v) for v in xs], color="black", lw=1)
        ax.plot(newton, [f(v) for v in newton], "o-", color="tab:red", ms=4, label="Newton")
        ax.plot(descent, [f(v) for v in descent], "s--", color="tab:blue", ms=3, label="gradient descent, lr 0.02")
        ax.set_ylim(-4, 8)
        ax.legend(fontsize=8)
        ax.set_title("$f(x) = x^4 - 3x^2 + x$: six steps from x = 2")
        plt.show()
        """
    ),
    md(
        r"""
        ### Exercise 7.3 · a Newton step with second derivatives

        Write `newton_step(f, x)`: `f` takes a `Value` and returns a `Value`; `x` is a float. Return the float
        $x - f'(x)/f''(x)$, with both derivatives from chaingrad's `grad` (the first one with
        `create_graph=True`).
        """
    ),
    exercise(
        "7.3",
        """
        def newton_step(f, x):
            \"\"\"x - f'(x) / f''(x), the derivatives computed by chaingrad.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("7.3", "newton_step"),
    md(
        r"""
        ## Anomaly detection

        A NaN or an infinity spreads silently: every later number that touches it is ruined, and the loss
        prints `nan` far from the cause. Under `detect_anomaly()` the first op that produces one, in the
        forward or the backward pass, raises `FloatingPointError` naming the op and its inputs. Here
        $\sqrt{x}$ at $x = 0$ is fine going forward, but its slope $1/(2\sqrt{x})$ is infinite:
        """
    ),
    code(
        """
        x = Value(0.0, label="x")
        loss = x.sqrt() * 3
        loss.backward()
        print("without detect_anomaly: x.grad =", x.grad)

        x = Value(0.0, label="x")
        with detect_anomaly():
            loss = x.sqrt() * 3
            try:
                loss.backward()
            except FloatingPointError as error:
                print("with detect_anomaly:", error)
            try:
                Value(0.0).log()
            except FloatingPointError as error:
                print("with detect_anomaly:", error)
        """
    ),
    md(
        r"""
        ## Where to go next: the same model in PyTorch

        chaingrad computes one scalar per node, which makes every step visible and is fast enough for these
        lessons. Real networks use **tensors**: one node per matrix product, millions of numbers per op, on
        GPUs. `nn.export.to_torch` turns an `MLP` into a `torch.nn.Sequential` with the same weights, so you
        can carry a model over and check that the two agree:
        """
    ),
    code(
        """
        import torch

        from nn.export import to_torch

        X, y = make_moons(100, noise=0.1, seed=0)
        model = MLP(2, [16, 16, 1], seed=0)
        optimizer = Adam(model.parameters(), lr=0.02)
        fit(model, X, y, loss=binary_cross_entropy, optimizer=optimizer, epochs=10, batch_size=20, progress=False, seed=0)
        torch_model = to_torch(model)
        print(torch_model)

        inputs = torch.tensor(X, dtype=torch.float64)
        targets = torch.tensor(y, dtype=torch.float64)
        torch_loss = torch.nn.functional.binary_cross_entropy_with_logits(torch_model(inputs).squeeze(1), targets)
        torch_loss.backward()
        model.zero_grad()
        loss = binary_cross_entropy([model(x) for x in X], y)
        loss.backward()

        first = model.layers[0]
        ours = [[w.grad for w in neuron.w] for neuron in first.neurons]
        theirs = torch_model[0].weight.grad.tolist()
        worst = max(abs(a - b) for row_a, row_b in zip(ours, theirs) for a, b in zip(row_a, row_b))
        print(f"loss: chaingrad {loss.data:.15f}, torch {torch_loss.item():.15f}")
        print(f"first-layer weight gradients: largest difference {worst:.1e}")
        assert abs(loss.data - torch_loss.item()) < 1e-12 and worst < 1e-12
        """
    ),
    md(
        r"""
        From here:

        - read `autograd/ops.py` (every op's value and local derivatives, one entry each) and
          `autograd/engine.py` (the topological sort and the backward sweep): together they are the whole
          engine, and you have now written each piece yourself;
        - rewrite lesson 6's training in PyTorch with tensors, `torch.optim` and `loss.backward()`: the loop has
          the same four lines;
        - take a real data set with `nn.data.load_csv`, or go on to convolutional and recurrent networks,
          whose backward passes are the same chain rule over bigger graphs.

        ## What to remember

        - Backprop is dynamic programming: paths can number $2^n$, backward visits each of the nodes once.
        - Iterative traversal makes depth harmless; `no_grad` skips recording when no gradient is needed.
        - `gradcheck` compares against central differences; `.data` inside a computation cuts the graph.
        - `create_graph=True` makes derivatives differentiable: $f''$ for Newton's method comes free.
        - `detect_anomaly()` stops at the first NaN or infinity, forward or backward.
        """
    ),
]
