"""Lesson 3: the chain rule in the notation of neural networks; units with several inputs and outputs."""

from nbtools import check, code, exercise, md

FILENAME = "03_chain_rule.ipynb"

CELLS = [
    md(
        r"""
        # Lesson 3 · The chain rule and its notation

        Texts on backprop write the same idea in several notations: $\Delta w_{i\to j} = -\eta\, \delta_j z_i$
        in one, $\partial C/\partial w^{(L)} = \frac{\partial z^{(L)}}{\partial w^{(L)}}
        \frac{\partial a^{(L)}}{\partial z^{(L)}} \frac{\partial C}{\partial a^{(L)}}$ in another, where the same
        letter $z$ means something else. The notation is the hard part; the idea is lesson 2's walk. This
        course uses **one** notation, stated once in the card below and used by every later lesson; the last
        column translates other texts into it.

        <a id="notation-card"></a>
        ## The notation card

        | meaning | unit notation (this course) | layer notation | code | other texts write |
        |---|---|---|---|---|
        | weight from unit $i$ to unit $j$ | $w_{i\to j}$ | $W^{(\ell)}[j, i]$: row = receiving unit, out × in (as PyTorch) | `layer.neurons[j].w[i]` | $w^{(L)}_{jk}$, $w_{ji}$ |
        | bias of unit $j$ | $b_j$ | $b^{(\ell)}$ | `neuron.b` | $b^{(L)}$ |
        | weighted input of unit $j$ | $s_j = \sum_i w_{i\to j} z_i + b_j$ | $s^{(\ell)} = W^{(\ell)} z^{(\ell-1)} + b^{(\ell)}$ | the `Value` before the activation | $z^{(L)}$, $z_j$, net$_j$ |
        | output (activation) of unit $j$ | $z_j = f(s_j)$; inputs $z_i = x_i$ | $z^{(\ell)} = f(s^{(\ell)})$, $z^{(0)} = x$ | `neuron(x)` | $a^{(L)}$, $a_j$, $o_j$ |
        | error of unit $j$ | $\delta_j = \partial E/\partial s_j$ | $\delta^{(\ell)} = f'(s^{(\ell)}) \odot W^{(\ell+1)\top} \delta^{(\ell+1)}$ | `s.grad` | $\delta^{(L)} = \partial C/\partial z^{(L)}$ |
        | cost (loss) | $E = \tfrac12 \sum_k (\hat y_k - y_k)^2$ | $E$ | `loss` | $C$, $L$, $J$ |
        | learning rate | $\eta$ | $\eta$ | `lr` | $\alpha$ |
        | logits (softmax inputs) | $s_k$, $p_k = e^{s_k} / \sum_m e^{s_m}$ | $s^{(L)}$ | the `Value`s fed to softmax | $z_k$ |

        - $\ell$ numbers the layers $1, \dots, L$; **$L$ is the last layer, never the loss**. The network's
          prediction is $\hat y = z^{(L)}$.
        - $f$ is the activation; in this lesson $f = \sigma$, $\sigma(s) = 1/(1 + e^{-s})$.
        - The **½** in $E$ is there so that the derivative has no stray 2:
          $\partial E/\partial \hat y_k = \hat y_k - y_k$.
        - Two kinds of derivative, always written differently: the **flowing gradient** $\partial E/\partial x$
          (how the cost changes with $x$, all paths counted; what `x.grad` holds) and the **local derivative**
          $\partial e/\partial a$ of one operation $e$ with respect to one of its inputs $a$.
        """
    ),
    code(
        """
        %matplotlib inline
        import math

        import matplotlib.pyplot as plt
        from checker import check

        from autograd import Value, draw_dot, explain
        from autograd import sum as vsum


        def sigmoid(s):
            return 1.0 / (1.0 + math.exp(-s))
        """
    ),
    md(
        r"""
        ## One neuron per layer

        The smallest network: two layers of one neuron each, an input $a^{(0)}$ and a target $y$.
        """
    ),
    code(
        """
        a0 = Value(0.8, label="a(0)")
        w1, b1 = Value(1.2, label="w(1)"), Value(-0.5, label="b(1)")
        w2, b2 = Value(-0.9, label="w(2)"), Value(0.3, label="b(2)")
        y = 1.0

        wa1 = w1 * a0
        wa1.label = "w(1)a(0)"
        z1 = wa1 + b1
        z1.label = "z(1)"
        a1 = z1.sigmoid()
        a1.label = "a(1)"
        wa2 = w2 * a1
        wa2.label = "w(2)a(1)"
        z2 = wa2 + b2
        z2.label = "z(2)"
        a2 = z2.sigmoid()
        a2.label = "a(2)"
        error = a2 - y
        error.label = "a(2)-y"
        C = error**2
        C.label = "C"
        C.backward()
        draw_dot(C, rankdir="LR")
        """
    ),
    md(
        r"""
        ## The last layer: three factors

        $w^{(L)}$ changes $C$ only through $z^{(L)}$, which changes $C$ only through $a^{(L)}$. So the chain
        rule multiplies three local derivatives:

        $$\frac{\partial C}{\partial w^{(L)}} = \frac{\partial z^{(L)}}{\partial w^{(L)}}
        \cdot \frac{\partial a^{(L)}}{\partial z^{(L)}} \cdot \frac{\partial C}{\partial a^{(L)}}
        = a^{(L-1)} \cdot \sigma'(z^{(L)}) \cdot 2\,(a^{(L)} - y).$$

        The bias and the previous activation differ only in the first factor:
        $\partial z^{(L)}/\partial b^{(L)} = 1$ and $\partial z^{(L)}/\partial a^{(L-1)} = w^{(L)}$. With
        $L = 2$, and $\sigma'(z) = \sigma(z)(1 - \sigma(z))$ (checked below):
        """
    ),
    code(
        """
        dz_dw = a1.data  # z(2) = w(2) a(1) + b(2)
        da_dz = a2.data * (1 - a2.data)  # sigma'(z(2))
        dC_da = 2 * (a2.data - y)
        by_formula = {
            "dC/dw(2)": dz_dw * da_dz * dC_da,
            "dC/db(2)": 1.0 * da_dz * dC_da,
            "dC/da(1)": w2.data * da_dz * dC_da,
        }
        by_backward = {"dC/dw(2)": w2.grad, "dC/db(2)": b2.grad, "dC/da(1)": a1.grad}
        print(f"dz/dw = {dz_dw:.6f}, da/dz = {da_dz:.6f}, dC/da = {dC_da:.6f}")
        for name, value in by_formula.items():
            print(f"{name}: formula {value:+.12f}   backward {by_backward[name]:+.12f}")
            assert abs(value - by_backward[name]) < 1e-12
        """
    ),
    md(
        r"""
        `explain` lists every path from a node to the output with its product of local derivatives. There
        is one path from $w^{(2)}$; the engine's graph has two extra nodes on it (the product $w^{(2)}a^{(1)}$
        and the difference $a^{(2)} - y$), whose local derivatives are 1, so its five factors are the
        three above:
        """
    ),
    code(
        """
        why = explain(C, w2)
        print(why)
        assert why.path_count == 1 and abs(why.total - w2.grad) < 1e-12
        """
    ),
    md(
        r"""
        In Jupyter the same explanation also renders as a formula:
        """
    ),
    code(
        """
        why
        """
    ),
    md(
        r"""
        ### Exercise 3.1 · the sigmoid's slope

        Write `sigmoid_prime(s)`, $\sigma'(s) = \sigma(s)\,(1 - \sigma(s))$. (A `sigmoid(s)` function is
        defined at the top of this notebook.)
        """
    ),
    exercise(
        "3.1",
        """
        def sigmoid_prime(s):
            \"\"\"The slope of the sigmoid at s.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("3.1", "sigmoid_prime"),
    md(
        r"""
        The identity $\sigma'(s) = \sigma(s)(1 - \sigma(s))$ follows from
        $\sigma'(s) = e^{-s}/(1 + e^{-s})^2$. Checked against central differences, and plotted: the slope is
        at most $\sigma'(0) = 1/4$.
        """
    ),
    code(
        """
        for s in (-4.0, -1.0, 0.0, 0.5, 3.0):
            measured = (sigmoid(s + 1e-6) - sigmoid(s - 1e-6)) / 2e-6
            assert abs(sigmoid(s) * (1 - sigmoid(s)) - measured) < 1e-9
            assert abs(math.exp(-s) / (1 + math.exp(-s)) ** 2 - measured) < 1e-9
        assert sigmoid(0.0) * (1 - sigmoid(0.0)) == 0.25

        ss = [i / 10 for i in range(-60, 61)]
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.plot(ss, [sigmoid(s) for s in ss], label=r"$\\sigma(s)$")
        ax.plot(ss, [sigmoid(s) * (1 - sigmoid(s)) for s in ss], label=r"$\\sigma'(s) = \\sigma(s)(1-\\sigma(s))$")
        ax.axhline(0.25, color="gray", lw=0.5, ls="--")
        ax.set_xlabel("s")
        ax.legend()
        plt.show()
        """
    ),
    md(
        r"""
        ### Exercise 3.2 · the last layer's gradients

        For one layer $z = w\,a_{\text{prev}} + b$, $a = \sigma(z)$, $C = (a - y)^2$, write
        `last_layer_grads(a_prev, w, b, y)` returning the tuple
        $(\partial C/\partial w,\ \partial C/\partial b,\ \partial C/\partial a_{\text{prev}})$ with plain floats,
        each as a product of three factors.
        """
    ),
    exercise(
        "3.2",
        """
        def last_layer_grads(a_prev, w, b, y):
            \"\"\"(dC/dw, dC/db, dC/da_prev) for C = (sigmoid(w * a_prev + b) - y)**2.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("3.2", "last_layer_grads"),
    md(
        r"""
        ## One layer further back

        $\partial C/\partial a^{(L-1)}$ is the gradient arriving at the previous layer's output. From there the
        walk repeats with the previous layer's factors:

        $$\frac{\partial C}{\partial w^{(L-1)}} = \frac{\partial z^{(L-1)}}{\partial w^{(L-1)}}
        \cdot \frac{\partial a^{(L-1)}}{\partial z^{(L-1)}} \cdot \frac{\partial C}{\partial a^{(L-1)}}
        = a^{(L-2)} \cdot \sigma'(z^{(L-1)}) \cdot \frac{\partial C}{\partial a^{(L-1)}}.$$
        """
    ),
    code(
        """
        dC_da1 = by_formula["dC/da(1)"]
        dC_dw1 = a0.data * a1.data * (1 - a1.data) * dC_da1
        print(f"dC/dw(1): formula {dC_dw1:+.12f}   backward {w1.grad:+.12f}")
        assert abs(dC_dw1 - w1.grad) < 1e-12
        print(explain(C, w1))
        """
    ),
    md(
        r"""
        ### Exercise 3.3 · one layer further back

        Write `first_layer_grad(a0, w1, b1, w2, b2, y)`: $\partial C/\partial w^{(1)}$ for the two-layer chain
        above ($z^{(1)} = w^{(1)} a^{(0)} + b^{(1)}$, ..., $C = (a^{(2)} - y)^2$), with plain floats.
        """
    ),
    exercise(
        "3.3",
        """
        def first_layer_grad(a0, w1, b1, w2, b2, y):
            \"\"\"dC/dw(1) for two one-neuron sigmoid layers and C = (a(2) - y)**2.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("3.3", "first_layer_grad"),
    md(
        r"""
        ### Deep chains of sigmoids

        Each layer back multiplies the gradient by $w^{(l)} \sigma'(z^{(l)})$, and $\sigma' \le 1/4$. With ten
        layers of weight 1, the first layer's gradient is at least $4^{9}$ times smaller than the last
        one's: the **vanishing gradient** that made deep sigmoid networks hard to train.
        """
    ),
    code(
        """
        weights = [Value(1.0, label=f"w({layer})") for layer in range(1, 11)]
        a = Value(0.5, label="a(0)")
        for w in weights:
            a = (w * a).sigmoid()
        cost = (a - 1.0) ** 2
        cost.backward()
        sizes = [abs(w.grad) for w in weights]
        for layer in range(1, 10):  # each layer back shrinks the gradient by w * sigma'(z) <= 1/4
            assert sizes[layer - 1] <= sizes[layer] / 4
        assert sizes[0] < sizes[-1] / 4**9

        fig, ax = plt.subplots(figsize=(6, 2.8))
        ax.bar(range(1, 11), sizes)
        ax.set_yscale("log")
        ax.set_xlabel("layer l")
        ax.set_ylabel(r"$|\\partial C / \\partial w^{(l)}|$")
        ax.set_title("ten sigmoid layers: gradients vanish towards the input")
        plt.show()
        """
    ),
    md(
        r"""
        ## A unit with several inputs

        Inside a layer a unit $j$ reads the outputs $z_i$ of several units. Its weighted input and output are

        $$s_j = \sum_i w_{i\to j} z_i + b_j, \qquad z_j = \sigma(s_j).$$

        Since $\partial s_j / \partial w_{i\to j} = z_i$, every incoming weight gets the **same** upstream
        gradient $\partial C/\partial s_j$ times its own input:

        $$\frac{\partial C}{\partial w_{i\to j}} = \frac{\partial C}{\partial s_j}\, z_i, \qquad
        \frac{\partial C}{\partial z_i} = \frac{\partial C}{\partial s_j}\, w_{i\to j}.$$
        """
    ),
    code(
        """
        z = [Value(v, label=f"z{i}") for i, v in enumerate((0.9, -0.4, 0.3), start=1)]
        w = [Value(v, label=f"w{i}->j") for i, v in enumerate((0.5, 1.5, -2.0), start=1)]
        b_j = Value(0.1, label="b_j")
        s_j = vsum([wi * zi for wi, zi in zip(w, z)] + [b_j])
        s_j.label = "s_j"
        z_j = s_j.sigmoid()
        z_j.label = "z_j"
        C = (z_j - 1.0) ** 2
        C.label = "C"
        C.backward()
        for wi, zi in zip(w, z):
            print(f"dC/d{wi.label} = {wi.grad:+.6f} = dC/ds_j * {zi.label} = {s_j.grad:+.6f} * {zi.data:+.1f}")
            assert abs(wi.grad - s_j.grad * zi.data) < 1e-15
            assert abs(zi.grad - s_j.grad * wi.data) < 1e-15
        draw_dot(C)
        """
    ),
    md(
        r"""
        ## A unit with several outputs

        Now the other way round: unit $i$ feeds two units $k = 1, 2$, with $s_k = w_{i\to k} z_i$ (biases left
        out to keep the picture small). Its output reaches the cost along **two paths**, and (lesson 2) the
        contributions add:

        $$\frac{\partial C}{\partial z_i} = \sum_k \frac{\partial C}{\partial s_k}\, w_{i\to k},
        \qquad\text{and so}\qquad
        \frac{\partial C}{\partial s_i} = \sigma'(s_i) \sum_k w_{i\to k} \frac{\partial C}{\partial s_k}.$$

        The second formula is the hidden unit's **delta** that lesson 5 derives in full.
        """
    ),
    code(
        """
        s_i = Value(0.4, label="s_i")
        z_i = s_i.sigmoid()
        z_i.label = "z_i"
        w_out = [Value(0.8, label="w_i->k1"), Value(-1.1, label="w_i->k2")]
        targets = [1.0, 0.0]
        s_k, squares = [], []
        for k, (w_ik, target) in enumerate(zip(w_out, targets), start=1):
            s = w_ik * z_i
            s.label = f"s_k{k}"
            z = s.sigmoid()
            z.label = f"z_k{k}"
            e = z - target
            e.label = f"e_k{k}"
            square = e**2
            square.label = f"e_k{k}^2"
            s_k.append(s)
            squares.append(square)
        C = vsum(squares)
        C.label = "C"
        C.backward()

        dC_dz_i = sum(s.grad * w_ik.data for s, w_ik in zip(s_k, w_out))
        delta_i = z_i.data * (1 - z_i.data) * dC_dz_i
        print(f"dC/dz_i: sum over k {dC_dz_i:+.12f}, backward {z_i.grad:+.12f}")
        print(f"dC/ds_i: sigma'(s_i) * sum {delta_i:+.12f}, backward {s_i.grad:+.12f}")
        assert abs(dC_dz_i - z_i.grad) < 1e-12 and abs(delta_i - s_i.grad) < 1e-12
        draw_dot(C)
        """
    ),
    code(
        """
        print(explain(C, z_i))
        """
    ),
    md(
        r"""
        ## What to remember

        - $\partial C / \partial w^{(L)} = a^{(L-1)}\, \sigma'(z^{(L)})\, 2(a^{(L)} - y)$: one local derivative per
          step of the path from $w^{(L)}$ to $C$.
        - Going one layer back reuses $\partial C/\partial a^{(L-1)}$; each layer adds a factor
          $w\, \sigma'(z)$, which is why gradients can vanish.
        - Several inputs: each weight's gradient is the unit's $\partial C/\partial s_j$ times its own input.
        - Several outputs: the gradients coming back along each outgoing weight add up.

        **Next:** [Lesson 4](04_single_layer.ipynb) trains the simplest models built from one layer of such
        units.
        """
    ),
]
