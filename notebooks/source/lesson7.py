"""Lesson 7: under the hood: dynamic programming, forward vs reverse mode, deep graphs, no_grad, gradcheck,
second derivatives and Newton, anomalies, torch."""

from nbtools import check, code, exercise, md

FILENAME = "07_under_the_hood.ipynb"

CARD = "[the notation card](03_chain_rule.ipynb#notation-card)"

CELLS = [
    md(
        rf"""
        # Lesson 7 · Under the hood

        The last lesson opens the engine. You will see:

        - why backprop is fast: the chain rule sums over **paths**, which multiply exponentially, while
          backward visits each **node** once (dynamic programming);
        - **forward mode versus reverse mode**: dual numbers in a few lines, and why a gradient of $n$ inputs
          costs $n$ forward-mode passes but one backward pass;
        - that depth is no problem: a chain of **100,000** ops backpropagates without recursion;
        - `no_grad` for predictions that need no graph;
        - **gradient checking** against finite differences, and finding a wrong local derivative with it;
        - **second derivatives** with `create_graph=True`, what they cost, and Newton's method (and when it
          goes uphill);
        - **anomaly detection** for the first NaN or infinity;
        - the backward pass **as a program**: a graph compiled into plain Python, line by line;
        - where to go next: the same model in **PyTorch** with `to_torch`.

        Symbols follow {CARD}; here $E$, or $y$, is whatever output we differentiate.
        """
    ),
    code(
        """
        %matplotlib inline
        import itertools
        import math
        import sys
        import time

        import matplotlib.pyplot as plt
        from checker import check

        import numpy as np

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
        draw_dot(y3, rankdir="TB")  # top to bottom: a long chain stays narrow
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
        print(f"40 rungs: the chain rule's sum has {why.path_count:,} terms; backward visits {why.nodes_visited} nodes")

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
        ## Forward mode versus reverse mode

        Backward is one way to organise the chain rule: start at the output and carry $\partial y/\partial\,\text{node}$
        back towards the inputs (**reverse mode**). The other way carries, alongside every value, its derivative
        with respect to **one chosen input**, forwards, as the values are computed (**forward mode**). The
        neatest implementation is the **dual number** $a + a'\varepsilon$ with the rule $\varepsilon^2 = 0$: then
        $f(a + a'\varepsilon) = f(a) + f'(a)\,a'\varepsilon$, so arithmetic on duals computes derivatives by itself.
        A complete forward-mode engine for `+`, `*` and `sin`:
        """
    ),
    code(
        """
        class Dual:
            \"\"\"value + slope·ε with ε² = 0: the slope is d(value)/d(the input we seeded with slope 1).\"\"\"

            def __init__(self, value, slope=0.0):
                self.value, self.slope = value, slope

            def __add__(self, other):
                other = other if isinstance(other, Dual) else Dual(other)
                return Dual(self.value + other.value, self.slope + other.slope)

            def __mul__(self, other):  # (a + a'ε)(b + b'ε) = ab + (a'b + ab')ε, the product rule
                other = other if isinstance(other, Dual) else Dual(other)
                return Dual(self.value * other.value, self.slope * other.value + self.value * other.slope)

            __radd__, __rmul__ = __add__, __mul__

            def sin(self):
                return Dual(math.sin(self.value), math.cos(self.value) * self.slope)


        def g(x):
            return x * x.sin() + 3 * x


        d = g(Dual(0.7, 1.0))  # seed: dx/dx = 1
        v = Value(0.7)
        (slope,) = grad(g(v), [v])
        print(f"g(0.7) = {d.value:.12f}; forward mode g'(0.7) = {d.slope:.12f}, reverse mode {slope:.12f}")
        assert abs(d.slope - slope) < 1e-15
        """
    ),
    md(
        r"""
        One forward-mode pass gives the derivative with respect to **one** input (the one seeded with slope 1).
        The gradient of a function of $n$ inputs therefore needs $n$ passes, each as long as the function, while
        reverse mode needs one forward pass and one backward pass, whatever $n$. Measure it on
        $f(x_1, \dots, x_n) = \sum_{i} x_{i+1} \sin x_i$, with both modes' gradients checked against each other:
        """
    ),
    code(
        """
        def chain_sum(xs):
            total = 0.0
            for a, b in itertools.pairwise(xs):
                total = total + a.sin() * b
            return total


        sizes, forward_seconds, reverse_seconds = (10, 30, 100, 300), [], []
        for n in sizes:
            point = [0.01 * i for i in range(n)]
            start = time.perf_counter()
            forward = [chain_sum([Dual(p, 1.0 if j == i else 0.0) for j, p in enumerate(point)]).slope for i in range(n)]
            middle = time.perf_counter()
            xs = [Value(p) for p in point]
            reverse = grad(chain_sum(xs), xs)
            end = time.perf_counter()
            forward_seconds.append(middle - start)
            reverse_seconds.append(end - middle)
            assert max(abs(a - b) for a, b in zip(forward, reverse)) < 1e-12
            print(f"n = {n:3}: forward mode {n} passes, {middle - start:.4f} s; reverse mode 1 + 1 passes, {end - middle:.4f} s")

        fig, ax = plt.subplots(figsize=(6, 3.4))
        ax.loglog(sizes, forward_seconds, "o-", label="forward mode: n passes")
        ax.loglog(sizes, reverse_seconds, "s-", label="reverse mode: forward + backward")
        ax.set_xlabel("n, the number of inputs")
        ax.set_ylabel("seconds for the whole gradient")
        ax.legend(fontsize=9)
        plt.show()
        assert forward_seconds[-1] > 10 * reverse_seconds[-1]
        """
    ),
    md(
        r"""
        Forward mode's time grows like $n^2$ (n passes of length n), reverse mode's like $n$. A loss has one output
        and millions of parameters as inputs, so training uses reverse mode. The trade flips for one input and
        many outputs (a curve traced by one parameter): then a single forward-mode pass gives every output's
        derivative, and reverse mode would need one backward pass per output. Reverse mode's price is memory:
        it must keep the graph until backward runs; forward mode forgets each value as soon as it is used.

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
        gradcheck's real job is checking **local derivatives you wrote yourself**. Here is a way to make an op
        from its value function and a derivative you supply, with the engine's existing pieces: `x - x.data` is
        0 in value but has slope 1 with respect to `x`, so `(x - x.data) * f_prime(x.data) + f(x.data)` is a node
        with value $f(x)$ and local derivative `f_prime(x)` (whatever you wrote, right or wrong). Two softplus
        ops, $\log(1 + e^x)$, one with the right derivative $\sigma(x)$ and one with a plausible slip:
        """
    ),
    code(
        """
        def op_from(name, f, f_prime):
            \"\"\"An op on one Value with value f(x) and the local derivative f_prime(x) you supply.\"\"\"

            def op(x):
                return (x - x.data) * f_prime(x.data) + f(x.data)

            op.__name__ = name
            return op


        def softplus_value(x):
            return math.log1p(math.exp(x))


        softplus = op_from("softplus", softplus_value, lambda x: 1 / (1 + math.exp(-x)))
        softplus_slip = op_from("softplus_slip", softplus_value, lambda x: math.exp(x) / (1 + math.exp(x)) ** 2)
        for op in (softplus, softplus_slip):
            try:
                print(f"{op.__name__}: gradcheck says", gradcheck(op, [0.4]))
            except GradcheckError as error:
                print(f"{op.__name__}: {error}")
        """
    ),
    md(
        r"""
        ### Exercise 7.2 · find the planted wrong derivatives

        Write `wrong_ops(ops, points)`: `ops` maps names to one-input ops made like the ones above, some with a
        wrong local derivative; `points` is a list of floats. Return the names of the ops whose derivative
        disagrees with central differences (use `gradcheck(op, [x])`) at **any** of the points. Two things to
        find out: what `gradcheck` does when it disagrees, and whether a wrong derivative can be right at some
        points. You can try it on the ops in the next cell.
        """
    ),
    exercise(
        "7.2",
        """
        def wrong_ops(ops, points):
            \"\"\"The names of the ops in `ops` whose derivative fails gradcheck at one or more of `points`.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    code(
        """
        suspects = {
            "softplus": softplus,
            "cube": op_from("cube", lambda x: x**3, lambda x: 3 * x),  # is 3x right anywhere?
            "smooth_abs": op_from("smooth_abs", lambda x: math.sqrt(x * x + 1), lambda x: x / math.sqrt(x * x + 1)),
        }
        try:
            print("your answer:", wrong_ops(suspects, [1.0, 0.0, -0.7]))
        except NotImplementedError:
            print("fill in wrong_ops above first")
        """
    ),
    check("7.2", "wrong_ops"),
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
        This is not free. `create_graph=True` makes the backward pass **record** its own multiplications and
        additions as a new graph, so that graph can be differentiated; the second derivative is then one more
        backward pass over that bigger graph. Count it on a 6-rung ladder:
        """
    ),
    code(
        """
        x = Value(0.3, label="x")
        y = ladder(x, 6)
        (dy,) = grad(y, [x], create_graph=True)  # first derivative, recorded as a graph
        (d2y,) = grad(dy, [x])  # the second derivative: a backward pass over the recorded graph
        nodes_y, nodes_dy = len(topological_order(y)), len(topological_order(dy))
        print(f"graph of y: {nodes_y} nodes; graph of dy/dx that create_graph recorded: {nodes_dy} nodes")
        print(f"d²y/dx² = {d2y:.9f}: two backward passes, the second over {nodes_dy} nodes")


        def slope_at(point):
            v = Value(point)
            return grad(ladder(v, 6), [v])[0]


        numeric = (slope_at(0.3 + 1e-5) - slope_at(0.3 - 1e-5)) / 2e-5  # central difference of dy/dx
        print(f"central difference of dy/dx: {numeric:.9f}")
        assert nodes_dy > nodes_y and abs(d2y - numeric) < 1e-5 * max(1.0, abs(numeric))
        """
    ),
    md(
        r"""
        With $n$ inputs it gets worse: the second derivative is the **Hessian**, an $n \times n$ matrix, and each
        of its rows is the gradient of one component $\partial y/\partial x_i$, so it takes $n$ more backward
        passes (plus a linear solve to use it). For a small $n$ that is fine. On
        $y = x_1^2 + 3x_2^2 + x_1 x_2 + x_3^2 - x_1 + 2x_3$, a quadratic, one Newton step with the Hessian,
        $x \leftarrow x - H^{-1}\nabla y$, lands exactly on the minimum:
        """
    ),
    code(
        """
        def bowl(x1, x2, x3):
            return x1 * x1 + 3 * x2 * x2 + x1 * x2 + x3 * x3 - x1 + 2 * x3


        point = [1.0, -2.0, 0.5]
        xs = [Value(v) for v in point]
        gradient = grad(bowl(*xs), xs, create_graph=True)  # 3 Values
        hessian = np.array([grad(g_i, xs) for g_i in gradient])  # one backward pass per row: 3 passes
        g = np.array([g_i.data for g_i in gradient])
        print("H =", hessian.tolist())
        step = np.linalg.solve(hessian, g)
        new = [p - s for p, s in zip(point, step)]
        landed = [Value(v) for v in new]
        after = grad(bowl(*landed), landed)
        print(f"one Newton step: x = {[round(float(v), 6) for v in new]}, largest |gradient| there {max(map(abs, after)):.1e}")
        assert np.allclose(hessian, [[2, 1, 0], [1, 6, 0], [0, 0, 2]]) and max(map(abs, after)) < 1e-12
        """
    ),
    md(
        r"""
        Back to one input. Gradient descent steps by a fixed multiple of the slope. **Newton's method** also uses
        the curvature: it jumps to the stationary point of the parabola that matches $f$, $f'$ and $f''$ at the
        current point,

        $$x \leftarrow x - \frac{f'(x)}{f''(x)},$$

        which is that parabola's **minimum only when $f''(x) > 0$**. Near a minimum the number of correct digits
        roughly doubles at every step:
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
        Where $f''(x) < 0$ the parabola opens downwards and Newton jumps to its **maximum**: the step goes uphill.
        At $x = 0$, $f''(0) = -6$:
        """
    ),
    code(
        """
        path = [0.0]
        for _ in range(5):
            slope, curvature = derivatives(path[-1])
            path.append(path[-1] - slope / curvature)
        slope, curvature = derivatives(path[-1])
        print(f"from x = 0 (f = {f(0.0):.4f}), Newton goes to x = {path[1]:.4f} (f = {f(path[1]):.4f}) and settles at x = {path[-1]:.6f}")
        print(f"there f' = {slope:.1e} but f'' = {curvature:.3f} < 0: a local maximum")
        assert f(path[1]) > f(0.0) and abs(slope) < 1e-12 and curvature < 0
        """
    ),
    md(
        r"""
        Newton's method finds where $f' = 0$, which can be a maximum or a saddle; optimisers that use curvature
        must check its sign (or, with many inputs, that the Hessian is positive definite) and fall back to a
        gradient step when it is not.

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
        ## The backward pass as a program

        Lesson 2 walked back through $E = (a \cdot b + c) \cdot f$ by hand, one line per edge. For new numbers
        the graph has the same shape, so those lines do not change: only the numbers flowing through them do.
        `autograd.compile(f, example)` runs `f` once on Values (it *traces* it), then writes the graph
        as plain Python: the forward pass, one line per op, then the backward pass, one line per edge, each
        local derivative written as the op table's rule (`autograd/ops.py`). `g_x` stands for
        $\partial E/\partial x$. That text is what runs: no `Value` is made when it is called.
        """
    ),
    code(
        """
        import autograd


        def lecture(a, b, c, f):
            e = a * b
            e.label = "e"
            d = e + c
            d.label = "d"
            E = d * f
            E.label = "E"
            return E


        program = autograd.compile(lecture, [2.0, -3.0, 10.0, -2.0])
        print(program.source)
        """
    ),
    md(
        r"""
        Set it beside the graph of the same expression after `backward()`: every backward line is an edge of the
        picture read from the output down, `g_a = g_e * b` is $\partial E/\partial a = \partial E/\partial e \cdot
        \partial e/\partial a$ with the local derivative $\partial e/\partial a = b$, and the numbers agree:
        """
    ),
    code(
        """
        leaves = [Value(v, label=name) for v, name in zip([2.0, -3.0, 10.0, -2.0], "abcf")]
        E = lecture(*leaves)
        E.backward()
        value, grads = program.value_and_grad(2.0, -3.0, 10.0, -2.0)
        print(f"program: E = {value}, gradients {grads}")
        print(f"graph:   E = {E.data}, gradients {[leaf.grad for leaf in leaves]}")
        assert value == E.data and grads == [leaf.grad for leaf in leaves]
        draw_dot(E)
        """
    ),
    md(
        r"""
        Two things make a traced program differ from the function it came from. An `if` on a Value takes one
        branch during the trace, so each comparison becomes a **guard**, checked on every call; arguments
        that take the other branch are traced again (a program per branch). `relu` and `abs` are ops, not
        branches, so a network traces once. And the program is fast: no node is made, nothing is recorded,
        so a long chain runs at close to the speed of hand-written float code.
        """
    ),
    code(
        """
        def bent(x):
            return x * x if x > 0 else -x  # a Python branch on a Value


        program = autograd.compile(bent, [3.0])
        print(program.source)
        print("bent(-2) =", program(-2.0), "| programs:", len(program.traces))


        def chain(x):
            for _ in range(10_000):
                x = x * 1.00001
            return x


        program = autograd.compile(chain, [1.0])
        start = time.perf_counter()
        x = Value(1.0)
        chain(x).backward()
        engine_seconds = time.perf_counter() - start
        start = time.perf_counter()
        value, (slope,) = program.value_and_grad(1.0)
        program_seconds = time.perf_counter() - start
        print(f"10,000 ops: engine {engine_seconds * 1e3:.1f} ms, compiled program {program_seconds * 1e3:.2f} ms")
        assert slope == x.grad
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
        - take a real data set with `nn.data.load_csv`, or go on to 2-D convolutional networks (lesson 6 built a
          1-D one) and recurrent networks, whose backward passes are the same chain rule over bigger graphs.

        ## What to remember

        - Backprop is dynamic programming: paths can number $2^n$, backward visits each of the nodes once.
        - Iterative traversal makes depth harmless; `no_grad` skips recording when no gradient is needed.
        - `gradcheck` compares against central differences and raises `GradcheckError`; check every derivative you
          write at several points. `.data` inside a computation cuts the graph.
        - Forward mode (dual numbers) carries one input's derivative forwards: a gradient of $n$ inputs takes $n$
          passes. Reverse mode (backward) gets all $n$ in one backward pass, at the price of keeping the graph.
        - `create_graph=True` makes derivatives differentiable; $f''$ costs a recorded backward pass plus another
          one, and an $n$-input Hessian $n$ more. Newton's step $x - f'/f''$ goes to a minimum only where $f'' > 0$.
        - `detect_anomaly()` stops at the first NaN or infinity, forward or backward.
        - A backward pass is a program: `compiler.compile` traces a function once and writes its forward and
          backward passes as straight-line Python, one line per op and one per edge; branches become guards.
        """
    ),
]
