"""Lesson 2: Value and the computation graph; backprop by hand, fan-out, topological order, the player."""

from nbtools import check, code, exercise, md

FILENAME = "02_value_and_graph.ipynb"

CELLS = [
    md(
        r"""
        # Lesson 2 · `Value` and the computation graph

        A `Value` is a number that remembers how it was made. Build an expression out of `Value`s and you
        get, for free, a **graph** of every operation. Walking that graph backwards, multiplying local
        derivatives, gives the derivative of the output with respect to every node: that walk is
        **backpropagation**.

        You will:
        - build an expression and draw its graph with `draw_dot`;
        - backpropagate **by hand**, node by node, then let `backward()` do it and compare;
        - see why gradients **add** where a node is used more than once (`a + a`);
        - see why the walk must follow a **topological order**;
        - step through the backward pass of **your own** expression with `animate_backward`.
        """
    ),
    code(
        """
        import math
        from pathlib import Path
        from tempfile import gettempdir

        from autograd import Value, draw_dot, topological_order
        from autograd.viz import animate_backward
        from checker import check
        from IPython.display import SVG, display
        """
    ),
    md(
        r"""
        ## An expression is a graph

        $E = (a \cdot b + c) \cdot f$, built in steps so that every intermediate result has a name. The output is
        called $E$ because that is the course's name for the cost, the number whose derivatives we want (the
        [notation card](03_chain_rule.ipynb#notation-card) in lesson 3 lists every symbol):
        """
    ),
    code(
        """
        a = Value(2.0, label="a")
        b = Value(-3.0, label="b")
        c = Value(10.0, label="c")
        f = Value(-2.0, label="f")
        e = a * b
        e.label = "e"
        d = e + c
        d.label = "d"
        E = d * f
        E.label = "E"
        print(E)
        print("op:", E.op, "| parents:", [p.label for p in E.parents], "| local_grads:", list(E.local_grads))
        """
    ),
    md(
        r"""
        Each op records its **parents** (the operands, in order) and its **local derivatives**, as numbers,
        at the moment it runs. These are the derivatives of **one operation** with respect to its own inputs;
        to keep them apart from the gradients of $E$ we write them with the operation spelled out. For the
        product $d \cdot f$ they are $\partial (d \cdot f)/\partial d = f$ and $\partial (d \cdot f)/\partial f = d$;
        for the sum $e + c$ both are 1:
        """
    ),
    code(
        """
        assert E.local_grads[:2] == (f.data, d.data)  # ∂(d·f)/∂d = f = -2, ∂(d·f)/∂f = d = 4
        assert d.local_grads[:2] == (1.0, 1.0)
        assert e.local_grads[:2] == (b.data, a.data)  # ∂(a·b)/∂a = b, ∂(a·b)/∂b = a
        print("local derivatives as expected")
        """
    ),
    md(
        r"""
        `draw_dot` draws the graph: one box per `Value` (name | data | grad), one oval per op. Inputs are
        blue, the output green. No gradient has been computed yet, so every grad is 0:
        """
    ),
    code(
        """
        draw_dot(E, rankdir="TB")
        """
    ),
    md(
        r"""
        ## Backprop by hand, node by node

        We want $\partial E / \partial x$ for every node $x$. Start at the output: $\partial E/\partial E = 1$.
        Then walk back one op at a time. If node $x$ feeds op $y$, the **chain rule** says

        $$\underbrace{\frac{\partial E}{\partial x}}_{\text{flowing, at } x} =
        \underbrace{\frac{\partial E}{\partial y}}_{\text{flowing, at } y} \cdot
        \underbrace{\frac{\partial y}{\partial x}}_{\text{local}}:$$

        the **flowing gradient** that has arrived at $y$ (how $E$ changes with $y$), times the **local
        derivative** of the one operation $y$ with respect to its input $x$. The two are different things and
        the course always writes them differently: flowing gradients are derivatives *of $E$*, local ones are
        derivatives *of one operation*.
        """
    ),
    code(
        """
        walk = [  # (node, the op that uses it, that op's local derivative with respect to the node, in words)
            ("d", "E", f.data, "∂(d·f)/∂d = f"),
            ("f", "E", d.data, "∂(d·f)/∂f = d"),
            ("e", "d", 1.0, "∂(e+c)/∂e = 1"),
            ("c", "d", 1.0, "∂(e+c)/∂c = 1"),
            ("a", "e", b.data, "∂(a·b)/∂a = b"),
            ("b", "e", a.data, "∂(a·b)/∂b = a"),
        ]
        dE = {"E": 1.0}  # flowing gradients dE/dnode, filled from the output back
        for node, user, local, words in walk:
            dE[node] = dE[user] * local
            print(f"∂E/∂{node} = ∂E/∂{user} · {words}  =  {dE[user]:+.1f} · {local:+.1f}  =  {dE[node]:+.1f}")
        """
    ),
    md(
        r"""
        Now let the engine do the same walk, and add a third opinion: central differences (lesson 1) on a
        plain-float version of $E$.
        """
    ),
    code(
        """
        E.backward()


        def E_of(a, b, c, f):
            return (a * b + c) * f


        nodes = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "E": E}
        inputs = {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0}
        h = 1e-6
        print(f"{'node':>4} {'by hand':>8} {'backward':>9} {'measured':>12}")
        for name, node in nodes.items():
            measured = ""
            if name in inputs:
                up = {**inputs, name: inputs[name] + h}
                down = {**inputs, name: inputs[name] - h}
                slope = (E_of(**up) - E_of(**down)) / (2 * h)
                measured = f"{slope:+12.6f}"
                assert abs(slope - node.grad) < 1e-6
            print(f"{name:>4} {dE[name]:+8.1f} {node.grad:+9.1f} {measured}")
            assert dE[name] == node.grad
        """
    ),
    code(
        """
        draw_dot(E, rankdir="TB")
        """
    ),
    md(
        r"""
        `animate_backward` replays the same walk one node per step, with the chain rule written out in
        numbers. Here are its captions; the last section of this lesson plays it as a picture. Each one reads
        *flowing += flowing · local*, and the local derivative is marked `local` and named after its op's
        result. The last op's result is $E$ itself, and `local ∂E/∂d` would read exactly like the flowing
        gradient it helps compute, so there the op is written out: `local ∂(d·f)/∂d`, the product's
        $\partial(d \cdot f)/\partial d = f$.
        """
    ),
    code(
        """
        player = animate_backward(E)
        for frame in player.frames:
            print(frame.caption)
            assert frame.result == frame.current.grad  # each step's number is the gradient backward() stored
        """
    ),
    md(
        r"""
        ## Fan-out: gradients add

        What if a node is used twice? In $b = a + a$, nudging $a$ by $h$ moves **both** operands, so $b$
        moves by $2h$: $\partial b/\partial a = 2$. The graph has two edges from $a$ to the `+`, each with
        local derivative 1, and each edge brings its own contribution. The contributions **add**:
        """
    ),
    code(
        """
        a = Value(3.0, label="a")
        b = a + a
        b.label = "b"
        b.backward()
        contributions = [b.grad * local for local in b.local_grads]  # one per edge a -> b
        print("parents of b:", [p.label for p in b.parents])
        print("contributions:", contributions, "-> a.grad =", a.grad)
        assert a.grad == sum(contributions) == 2.0
        assert abs(((3.0 + h) + (3.0 + h) - (3.0 - h) - (3.0 - h)) / (2 * h) - 2.0) < 1e-9  # measured
        draw_dot(b)
        """
    ),
    md(
        r"""
        This is the **multivariable chain rule**: when $x$ reaches $E$ through several nodes $y_1, y_2, \dots$,

        $$\frac{\partial E}{\partial x} = \sum_k \frac{\partial E}{\partial y_k} \frac{\partial y_k}{\partial x}.$$

        A backward pass that *overwrote* `a.grad` with the last contribution would report 1, not 2: gradients
        are added with `+=`. Leaves also keep adding across separate `backward()` calls (as in PyTorch), so
        reset them before a second one:
        """
    ),
    code(
        """
        x = Value(3.0, label="x")
        y = x * x  # dy/dx = 2x = 6: two edges, contributions x and x
        y.backward()
        print("after one backward:", x.grad)
        y.backward()
        print("after a second backward, without resetting:", x.grad, "(6 + 6: leaves accumulate)")
        x.grad = 0.0
        y.backward()
        print("after resetting x.grad to 0:", x.grad)
        assert x.grad == 6.0
        """
    ),
    md(
        r"""
        ### Exercise 2.1 · backprop by hand

        For $\text{out} = (x \cdot y + z) \cdot x$, i.e. $q = x y$, $r = q + z$, $\text{out} = r \cdot x$, write
        `grads_by_hand(x, y, z)` that returns `{"x": ..., "y": ..., "z": ...}`, the three partial derivatives
        of `out`, computed node by node with plain floats as above. Careful: $x$ is used twice.
        """
    ),
    exercise(
        "2.1",
        """
        def grads_by_hand(x, y, z):
            \"\"\"d out / d x, y, z for out = (x*y + z) * x, by backprop with plain floats.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("2.1", "grads_by_hand"),
    md(
        r"""
        ## Why a topological order

        A node may pass its gradient on only when that gradient is **complete**, that is, after every node
        that uses it has sent its contribution. Take $q = \tanh(p)$, $r = p \cdot q$, $E = r + q$. Node $q$ is
        used by $r$ and by $E$. Done right, $\partial E / \partial q = \underbrace{1}_{\text{via } E} +
        \underbrace{p}_{\text{via } r}$. If $q$ is visited before $r$, it passes on a gradient with the
        contribution from $r$ still missing:
        """
    ),
    code(
        """
        p = Value(1.5, label="p")
        q = p.tanh()
        q.label = "q"
        r = p * q
        r.label = "r"
        E = r + q
        E.label = "E"
        E.backward()
        dq_dp = 1 - q.data**2  # local: d tanh(p)/dp

        # right order: E, r, q, p. q's gradient is complete before it is passed to p
        dE_dr = 1.0
        dE_dq = 1.0 * 1.0 + dE_dr * p.data  # from E = r + q, and from r = p * q
        dE_dp_right = dE_dr * q.data + dE_dq * dq_dp  # from r, and from q = tanh(p)

        # wrong order: E, q, r, p. q passes its gradient on before r has contributed
        dE_dq_early = 1.0  # only the contribution from E has arrived
        dE_dp_wrong = dE_dq_early * dq_dp + dE_dr * q.data

        def E_of_p(p):
            return p * math.tanh(p) + math.tanh(p)


        measured = (E_of_p(1.5 + h) - E_of_p(1.5 - h)) / (2 * h)
        print(f"∂E/∂p: right order {dE_dp_right:.6f}, wrong order {dE_dp_wrong:.6f}")
        print(f"       backward() {p.grad:.6f}, measured {measured:.6f}")
        assert dE_dq == q.grad == 1 + p.data
        assert abs(dE_dp_right - p.grad) < 1e-12 and abs(measured - p.grad) < 1e-8
        assert abs(dE_dp_wrong - p.grad) > 0.1
        """
    ),
    md(
        r"""
        A **topological order** lists every node after all of its parents. Walking it **backwards** visits
        every consumer before the nodes it consumes, so each gradient is complete when it is read. The
        engine computes it with a loop, not recursion, so graphs may be very deep (lesson 7):
        """
    ),
    code(
        """
        order = topological_order(E)
        print("topological order:        ", [n.label for n in order])
        print("backward visits them as:  ", [n.label for n in reversed(order)])
        position = {n: i for i, n in enumerate(order)}
        assert all(position[parent] < position[n] for n in order for parent in n.parents)
        """
    ),
    md(
        r"""
        ### Exercise 2.2 · is it a topological order?

        Write `is_topological(order)`: `order` is a list of `Value`s (all the nodes of a graph); return
        `True` if every node comes after all of its parents (`node.parents`), else `False`.
        """
    ),
    exercise(
        "2.2",
        """
        def is_topological(order):
            \"\"\"True if each node of `order` comes after all of its parents.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("2.2", "is_topological"),
    md(
        r"""
        ### Exercise 2.3 · a backward pass of your own

        You now have every piece of `backward()`. Write `my_backward(root)`: set `root.grad = 1.0`, then
        visit the nodes in `reversed(topological_order(root))`, and for each `parent` of a node (with its
        local derivative, `zip(node.parents, node.local_grads)`) add `node.grad * local` to `parent.grad`.
        The check runs it on fresh graphs (all grads 0) and compares with the engine.
        """
    ),
    exercise(
        "2.3",
        """
        def my_backward(root):
            \"\"\"Fill .grad of every node below root with d root / d node.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("2.3", "my_backward"),
    md(
        r"""
        ## Your own expression, step by step

        Change the expression below to anything you like (any mix of `+ - * / **`, `tanh`, `exp`, `log`,
        `sigmoid`, `relu`, ... with labels of your choice), re-run, and step through its backward pass. In
        Jupyter the player is a widget: press *play* or drag the slider. The highlighted node is the one
        whose gradient is being finished; the caption shows the chain rule with its numbers.
        """
    ),
    code(
        """
        x = Value(0.5, label="x")
        w = Value(-1.5, label="w")
        b = Value(0.8, label="b")
        s = w * x + b
        s.label = "s"  # labels are optional: captions give unlabelled nodes a generated name
        y = s.tanh()
        y.label = "y"
        loss = 0.5 * (y - 1.0) ** 2
        loss.label = "E"

        player = animate_backward(loss, rankdir="TB")
        player
        """
    ),
    md(
        r"""
        A widget does not play on GitHub, so here are two of its frames as pictures: the start, and the step
        that finishes $\partial E/\partial w$.
        """
    ),
    code(
        """
        loss.backward()
        for frame in player.frames:  # every caption's number is the gradient backward() computes
            assert abs(frame.result - frame.current.grad) < 1e-12

        step_w = next(i for i, frame in enumerate(player.frames) if frame.current is w)
        for step in (0, step_w):
            print(f"step {step + 1} of {len(player.frames)}:\\n{player.frames[step].caption}")
            display(SVG(player.svg(step)))
        """
    ),
    md(
        r"""
        The same player can be saved as one self-contained HTML file that plays in any browser, offline:
        """
    ),
    code(
        """
        path = player.save_html(Path(gettempdir()) / "chaingrad_backward.html")
        print(f"saved {path.stat().st_size // 1024} KiB; open it in a browser: {path.name}")
        """
    ),
    md(
        r"""
        ## What to remember

        - Every op records its parents and its local derivatives; the graph *is* the record.
        - Backprop multiplies the gradient arriving at a node by each edge's local derivative and sends it
          to the parent: $\partial E/\partial x = \partial E/\partial y \cdot \partial y/\partial x$, flowing
          gradient times local derivative.
        - Where a node fans out, contributions **add** (`a + a` gives 2); leaves keep adding across
          `backward()` calls until you reset them.
        - Walking a topological order backwards finishes each gradient before it is passed on.

        **Next:** [Lesson 3](03_chain_rule.ipynb) writes the same chain rule in the notation of neural
        networks (weighted inputs $s$, outputs $z$, layers $\ell = 1, \dots, L$), stated once in a notation card.
        """
    ),
]
