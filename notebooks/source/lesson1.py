"""Lesson 1: derivatives as slopes, measured with finite differences."""

from nbtools import check, code, exercise, md

FILENAME = "01_derivatives.ipynb"

CELLS = [
    md(
        r"""
        # Lesson 1 · Derivatives as slopes

        Backpropagation computes derivatives. Before any machinery, this lesson makes sure we agree on
        what a derivative *is* and how to **measure** one with nothing but a function and a calculator.
        Later lessons use such measurements as an independent witness against the engine.

        You will:
        - see the derivative as the slope of a curve, and estimate it from two points;
        - compare **forward** and **central** differences, and see why the central one is better;
        - plot the **error against the step $h$**: it falls, then rises again (a U-curve), because
          computers round;
        - build a **derivative checker** that tells a right derivative from a wrong one, whatever the size
          of the slope (exercise 1.1);
        - take **partial derivatives** of a function of several inputs.

        **Exercises.** Each one is a function to complete in place, followed by a `check(...)` cell. The
        check says *not attempted yet* while the stub is untouched, *correct* when your answer is right,
        and otherwise gives a hint that names what is off. Solutions are in `solutions/lesson1.py`; try
        first.
        """
    ),
    code(
        """
        %matplotlib inline
        import math
        import sys

        import matplotlib.pyplot as plt
        from checker import check
        """
    ),
    md(
        r"""
        ## The slope of a curve

        Take $f(x) = x^3 - 2x$. Its derivative, from the power rule, is $f'(x) = 3x^2 - 2$; at $x = 1.5$
        that is $3 \cdot 2.25 - 2 = 4.75$. It says: near $x = 1.5$, nudging $x$ by a small $h$ changes
        $f$ by about $4.75\,h$,

        $$f(x + h) \approx f(x) + f'(x)\,h .$$

        Check it with a small nudge:
        """
    ),
    code(
        """
        def f(x):
            return x**3 - 2 * x


        def df(x):  # the derivative, by the power rule
            return 3 * x**2 - 2


        x0, h = 1.5, 1e-3
        print(f"f'(1.5) = {df(x0)}")
        print(f"f(x0 + h)          = {f(x0 + h):.9f}")
        print(f"f(x0) + f'(x0) * h = {f(x0) + df(x0) * h:.9f}")
        assert df(x0) == 4.75
        assert abs(f(x0 + h) - (f(x0) + df(x0) * h)) < 1e-5  # what is left is of order h**2
        """
    ),
    md(
        r"""
        Turn it around: the slope of the line through two nearby points of the curve estimates the
        derivative. The **forward difference** uses $x$ and $x + h$:

        $$f'(x) \approx \frac{f(x+h) - f(x)}{h}.$$

        The line through the two points is a *secant*; as $h$ shrinks it turns into the *tangent*, the line
        with slope $f'(x)$:
        """
    ),
    code(
        """
        xs = [0.2 + i * 0.01 for i in range(231)]
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(xs, [f(x) for x in xs], color="black", label="$f(x) = x^3 - 2x$")
        ax.plot(xs, [f(x0) + df(x0) * (x - x0) for x in xs], color="tab:green", label="tangent, slope 4.75")
        for step, colour in ((1.0, "tab:red"), (0.5, "tab:orange")):
            slope = (f(x0 + step) - f(x0)) / step
            label = f"secant, h = {step}: slope {slope:.2f}"
            ax.plot(xs, [f(x0) + slope * (x - x0) for x in xs], "--", color=colour, label=label)
            ax.plot([x0 + step], [f(x0 + step)], "o", color=colour)
        ax.plot([x0], [f(x0)], "ko")
        ax.set_ylim(-3, 12)
        ax.set_xlabel("x")
        ax.legend(loc="upper left", fontsize=8)
        ax.set_title("secants turn into the tangent as h shrinks")
        plt.show()
        """
    ),
    md(
        r"""
        ## Forward versus central differences

        How wrong is the forward difference? Taylor's expansion
        $f(x+h) = f(x) + h f'(x) + \tfrac{h^2}{2} f''(x) + \tfrac{h^3}{6} f'''(x) + \dots$ gives

        $$\frac{f(x+h) - f(x)}{h} = f'(x) + \frac{h}{2} f''(x) + O(h^2):$$

        an error proportional to $h$. The **central difference** takes one point on each side; the $f''$
        terms cancel and the error is proportional to $h^2$:

        $$\frac{f(x+h) - f(x-h)}{2h} = f'(x) + \frac{h^2}{6} f'''(x) + O(h^4).$$

        For our cubic the expansions stop after $f'''$ (which is the constant 6), so the errors are exact
        formulas: forward $= 3xh + h^2$, central $= h^2$. Check:
        """
    ),
    code(
        """
        print(f"{'h':>8} {'forward':>12} {'error':>10} {'3xh + h^2':>10} {'central':>12} {'error':>10}")
        for h in (0.1, 0.01, 0.001):
            forward = (f(x0 + h) - f(x0)) / h
            central = (f(x0 + h) - f(x0 - h)) / (2 * h)
            errors = f"{forward - 4.75:10.2e} {3 * x0 * h + h * h:10.2e} {central:12.8f} {central - 4.75:10.2e}"
            print(f"{h:8g} {forward:12.8f} {errors}")
            assert math.isclose(forward - 4.75, 3 * x0 * h + h * h, rel_tol=1e-6)
            assert math.isclose(central - 4.75, h * h, rel_tol=1e-6)
        """
    ),
    md(
        r"""
        The same holds for any smooth function. With $f = \sin$ at $x = 1$ (so $f' = \cos$), halving $h$
        should halve the forward error and quarter the central one; and the scaled errors should approach
        the Taylor coefficients $f''(1)/2 = -\sin(1)/2$ and $f'''(1)/6 = -\cos(1)/6$:
        """
    ),
    code(
        """
        exact = math.cos(1.0)


        def forward_error(h):
            return (math.sin(1.0 + h) - math.sin(1.0)) / h - exact


        def central_error(h):
            return (math.sin(1.0 + h) - math.sin(1.0 - h)) / (2 * h) - exact


        h = 1e-3
        print(f"forward: error(h) / error(h/2) = {forward_error(h) / forward_error(h / 2):.4f}   (expected 2)")
        print(f"central: error(h) / error(h/2) = {central_error(h) / central_error(h / 2):.4f}   (expected 4)")
        print(f"forward error / h    = {forward_error(1e-5) / 1e-5:.6f},  -sin(1)/2 = {-math.sin(1.0) / 2:.6f}")
        print(f"central error / h**2 = {central_error(1e-3) / 1e-6:.6f},  -cos(1)/6 = {-math.cos(1.0) / 6:.6f}")
        assert abs(forward_error(h) / forward_error(h / 2) - 2) < 0.01
        assert abs(central_error(h) / central_error(h / 2) - 4) < 0.01
        assert math.isclose(forward_error(1e-5) / 1e-5, -math.sin(1.0) / 2, rel_tol=1e-3)
        assert math.isclose(central_error(1e-3) / 1e-6, -math.cos(1.0) / 6, rel_tol=1e-3)
        """
    ),
    md(
        r"""
        From now on the central difference is a function:
        """
    ),
    code(
        """
        def central_difference(f, x, h=1e-6):
            \"\"\"The slope of f at x, from one point on each side: error ~ h**2.\"\"\"
            return (f(x + h) - f(x - h)) / (2 * h)


        assert abs(central_difference(f, 1.5) - 4.75) < 1e-8
        assert abs(central_difference(math.sin, 1.0) - math.cos(1.0)) < 1e-9
        """
    ),
    md(
        r"""
        ## Smaller is not always better: the U-curve

        The formulas above say: shrink $h$ and the error shrinks. On a computer that stops working.
        A float carries about 16 significant digits ($\varepsilon \approx 2.2 \times 10^{-16}$), so $f(x+h)$
        and $f(x)$ are each off by about $\varepsilon |f(x)|$; their difference is divided by $h$, which
        magnifies that rounding error to about $\varepsilon |f(x)| / h$. The total error is roughly

        $$\text{forward: } \frac{h}{2}|f''(x)| + \frac{\varepsilon |f(x)|}{h}, \qquad
        \text{central: } \frac{h^2}{6}|f'''(x)| + \frac{\varepsilon |f(x)|}{h}.$$

        The first term falls with $h$, the second rises: the best $h$ balances them, near
        $h^* = \sqrt{2\varepsilon |f| / |f''|} \approx 10^{-8}$ for the forward difference and
        $h^* = (3 \varepsilon |f| / |f'''|)^{1/3} \approx 10^{-5}$ for the central one. Measure it:
        """
    ),
    code(
        """
        eps = sys.float_info.epsilon
        f0, f2, f3 = math.sin(1.0), -math.sin(1.0), -math.cos(1.0)  # f, f'' and f''' at x = 1
        hs = [10 ** (-k / 4) for k in range(4, 61)]  # 1e-1 ... 1e-15
        measured_forward = [abs(forward_error(h)) for h in hs]
        measured_central = [abs(central_error(h)) for h in hs]
        model_forward = [h / 2 * abs(f2) + eps * abs(f0) / h for h in hs]
        model_central = [h * h / 6 * abs(f3) + eps * abs(f0) / h for h in hs]

        fig, ax = plt.subplots(figsize=(6.5, 4))
        ax.loglog(hs, measured_forward, "o", ms=3, color="tab:red", label="forward, measured")
        ax.loglog(hs, model_forward, "-", color="tab:red", alpha=0.5, label="forward, model")
        ax.loglog(hs, measured_central, "s", ms=3, color="tab:blue", label="central, measured")
        ax.loglog(hs, model_central, "-", color="tab:blue", alpha=0.5, label="central, model")
        ax.set_xlabel("step h")
        ax.set_ylabel("|estimate - cos(1)|")
        ax.set_title("error against h: truncation on the right, rounding on the left")
        ax.legend(fontsize=8)
        plt.show()

        best_forward = hs[measured_forward.index(min(measured_forward))]
        best_central = hs[measured_central.index(min(measured_central))]
        h_star_forward = math.sqrt(2 * eps * abs(f0) / abs(f2))
        h_star_central = (3 * eps * abs(f0) / abs(f3)) ** (1 / 3)
        for name, best, h_star, errors in (
            ("forward", best_forward, h_star_forward, measured_forward),
            ("central", best_central, h_star_central, measured_central),
        ):
            print(f"{name}: best measured h = {best:.1e}, model h* = {h_star:.1e}, smallest error {min(errors):.1e}")
        assert h_star_forward / 10 < best_forward < h_star_forward * 10
        assert h_star_central / 10 < best_central < h_star_central * 10
        assert min(measured_central) < min(measured_forward) / 100
        """
    ),
    md(
        r"""
        Read the plot from right to left. The straight lines on the right have slopes 1 (forward) and 2
        (central): error $\propto h$ and $\propto h^2$. On the left, rounding takes over and both errors
        *grow* like $1/h$. The central difference reaches an error thousands of times smaller, at a
        larger $h$. That is why `autograd.gradcheck` uses central differences with $h = 10^{-6}$.

        ### Exercise 1.1 · a derivative checker

        A witness is only useful if it can tell a right derivative from a wrong one. Write
        `derivative_agrees(f, df, x)`: return `True` if the claimed derivative `df(x)` is the slope of `f` at
        `x`, judged by a central difference, and `False` otherwise. The check tries it on slopes of every size:
        `exp` at $x = 20$ (slope about $5 \times 10^{8}$), a curve whose slope is $0.001$, and a point where
        the slope is exactly 0. It must accept every right derivative and reject every claim that is off by
        1 % or more. Think before you code: which $h$ (the U-curve above)? And how do you compare two numbers
        when you do not know in advance whether they are near $10^{-3}$ or $10^{9}$?
        """
    ),
    exercise(
        "1.1",
        """
        def derivative_agrees(f, df, x):
            \"\"\"True if df(x) is the slope of f at x (judged by a central difference), else False.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("1.1", "derivative_agrees"),
    md(
        r"""
        Numerical derivatives are good **witnesses**, but each costs two evaluations of $f$ per input:
        a network with a million weights would need two million forward passes for one gradient.
        Backpropagation gets all of them from one forward and one backward pass; the next lessons show how.

        **A short history.** Getting every partial derivative from one backward pass is older than neural
        networks. Seppo Linnainmaa's master's thesis (1970) described what is now called the **reverse mode
        of automatic differentiation**: record a computation as a sequence of elementary operations, then
        propagate derivatives backwards through the record, at a cost of a small multiple of the computation
        itself (he used it to estimate how rounding errors accumulate). Paul Werbos proposed training neural
        networks by propagating derivatives backwards in his 1974 PhD thesis, and applied it to networks in
        the form used today in 1982. Rumelhart, Hinton and Williams' 1986 paper in *Nature*, *Learning
        representations by back-propagating errors*, showed that networks trained this way learn useful
        internal representations in their hidden units, and made **backpropagation** the standard way to
        train neural networks. Lessons 2 to 5 build it; lesson 7 compares it with the forward mode.

        ## Several inputs: partial derivatives

        For a function of several inputs, nudge **one input at a time** and hold the others still. Take
        $d = a b + c$: moving $a$ by $h$ moves $d$ by $b h$, so $\partial d / \partial a = b$; likewise
        $\partial d / \partial b = a$ and $\partial d / \partial c = 1$. At $a = 2, b = -3, c = 10$:
        """
    ),
    code(
        """
        def d_of(a, b, c):
            return a * b + c


        a, b, c = 2.0, -3.0, 10.0
        h = 1e-6
        slopes = {
            "∂d/∂a": (d_of(a + h, b, c) - d_of(a - h, b, c)) / (2 * h),
            "∂d/∂b": (d_of(a, b + h, c) - d_of(a, b - h, c)) / (2 * h),
            "∂d/∂c": (d_of(a, b, c + h) - d_of(a, b, c - h)) / (2 * h),
        }
        by_hand = {"∂d/∂a": b, "∂d/∂b": a, "∂d/∂c": 1.0}
        for name in slopes:
            print(f"{name}: measured {slopes[name]:+.8f}, by hand {by_hand[name]:+.1f}")
            assert abs(slopes[name] - by_hand[name]) < 1e-8
        """
    ),
    md(
        r"""
        The list of all partial derivatives is the **gradient**. In the next lesson the same three numbers
        come out of `backward()`.

        ### Exercise 1.2 · partial derivatives

        Write `numerical_gradient(f, inputs, h)`: `f` takes one argument per input (call it as
        `f(*inputs)`); return the list of its partial derivatives at `inputs`, each by a central difference.
        Leave the list `inputs` as you found it.
        """
    ),
    exercise(
        "1.2",
        """
        def numerical_gradient(f, inputs, h=1e-6):
            \"\"\"[df/d inputs[0], df/d inputs[1], ...] at `inputs`, by central differences.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("1.2", "numerical_gradient"),
    md(
        r"""
        ### Exercise 1.3 · a slope by hand

        Derive the derivative of $g(x) = x^2 \sin(x)$ on paper, then write it as `derivative_of_g(x)`.
        Use `central_difference` or your `derivative_agrees` to see whether your formula matches the curve.
        """
    ),
    exercise(
        "1.3",
        """
        def derivative_of_g(x):
            \"\"\"g'(x) for g(x) = x**2 * sin(x), by hand.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("1.3", "derivative_of_g"),
    md(
        r"""
        ## What to remember

        - A derivative is a slope: how much the output moves per unit nudge of the input.
        - Central differences, $(f(x+h) - f(x-h)) / 2h$, have error $\propto h^2$; forward ones $\propto h$.
        - Comparing a derivative with a measurement needs a tolerance relative to the slope's size (with a
          floor, for slopes near 0).
        - Too small an $h$ loses to rounding: the error-against-$h$ curve is a U, with its bottom near
          $h \approx 10^{-5}$ for central differences.
        - A partial derivative nudges one input and holds the rest.

        **Next:** [Lesson 2](02_value_and_graph.ipynb) records every operation of an expression in a graph
        and gets all partial derivatives in one backward pass.
        """
    ),
]
