"""Lesson 3: the notation card; the chain rule through layers; vanishing and exploding gradients; several inputs and outputs."""

from nbtools import check, code, exercise, md

FILENAME = "03_chain_rule.ipynb"

CELLS = [
    md(
        r"""
        # Lesson 3 · The chain rule and its notation

        Texts on backprop write the same idea in several notations, and the same letter can mean different
        things in two of them ($z$ is a weighted input in one text and a unit's output in another). The
        notation is the hard part; the idea is lesson 2's walk. This course uses **one** notation, stated
        once in the card below and used by every later lesson. The last column translates other texts into
        it, so you can read them alongside.

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
        | the last layer's chain rule | $\frac{\partial E}{\partial w} = \frac{\partial s}{\partial w} \frac{\partial z}{\partial s} \frac{\partial E}{\partial z}$ | $\frac{\partial E}{\partial w^{(L)}} = z^{(L-1)} f'(s^{(L)}) \frac{\partial E}{\partial z^{(L)}}$ | `w.grad` | $\frac{\partial C}{\partial w^{(L)}} = \frac{\partial z^{(L)}}{\partial w^{(L)}} \frac{\partial a^{(L)}}{\partial z^{(L)}} \frac{\partial C}{\partial a^{(L)}}$ |

        - $\ell$ numbers the layers $1, \dots, L$; **$L$ is the last layer, never the loss**. The network's
          prediction is $\hat y = z^{(L)}$.
        - $f$ is the activation; in this lesson $f = \sigma$, $\sigma(s) = 1/(1 + e^{-s})$.
        - The **½** in $E$ is there so that the derivative has no stray 2:
          $\partial E/\partial \hat y_k = \hat y_k - y_k$. (Any constant factor only rescales $\eta$.)
        - Where code indexes weights, the **row is the receiving unit**: `W[j][i]` is $w_{i\to j}$, a matrix of
          shape out × in, like PyTorch's `nn.Linear.weight`.
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


        def sigmoid_prime(s):
            return sigmoid(s) * (1.0 - sigmoid(s))
        """
    ),
    md(
        r"""
        The sigmoid's slope has a convenient form, $\sigma'(s) = \sigma(s)\,(1 - \sigma(s))$: differentiate
        $\sigma(s) = (1 + e^{-s})^{-1}$ to get $e^{-s}/(1 + e^{-s})^2$, then split it as
        $\frac{1}{1 + e^{-s}} \cdot \frac{e^{-s}}{1 + e^{-s}}$. Checked against central differences, and
        plotted: the slope is at most $\sigma'(0) = 1/4$, which matters below.
        """
    ),
    code(
        """
        for s in (-4.0, -1.0, 0.0, 0.5, 3.0):
            measured = (sigmoid(s + 1e-6) - sigmoid(s - 1e-6)) / 2e-6
            assert abs(sigmoid_prime(s) - measured) < 1e-9
            assert abs(math.exp(-s) / (1 + math.exp(-s)) ** 2 - measured) < 1e-9
        assert sigmoid_prime(0.0) == 0.25

        ss = [i / 10 for i in range(-60, 61)]
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.plot(ss, [sigmoid(s) for s in ss], label=r"$\\sigma(s)$")
        ax.plot(ss, [sigmoid_prime(s) for s in ss], label=r"$\\sigma'(s) = \\sigma(s)(1-\\sigma(s))$")
        ax.axhline(0.25, color="gray", lw=0.5, ls="--")
        ax.set_xlabel("s")
        ax.legend()
        plt.show()
        """
    ),
    md(
        r"""
        ## One unit per layer

        The smallest network: two layers of one unit each, an input $x = z^{(0)}$ and a target $y$. In the
        card's notation

        $$s^{(1)} = w^{(1)} x + b^{(1)},\quad z^{(1)} = \sigma(s^{(1)}),\quad
        s^{(2)} = w^{(2)} z^{(1)} + b^{(2)},\quad z^{(2)} = \sigma(s^{(2)}),\quad
        E = \tfrac12 (z^{(2)} - y)^2,$$

        so $L = 2$ and $\hat y = z^{(2)}$. The difference $z^{(2)} - y$ is the **residual** $r$.
        """
    ),
    code(
        """
        x = Value(0.8, label="x")
        w1, b1 = Value(1.2, label="w(1)"), Value(-0.5, label="b(1)")
        w2, b2 = Value(-0.9, label="w(2)"), Value(0.3, label="b(2)")
        y = 1.0

        s1 = w1 * x + b1
        s1.label = "s(1)"
        z1 = s1.sigmoid()
        z1.label = "z(1)"
        s2 = w2 * z1 + b2
        s2.label = "s(2)"
        z2 = s2.sigmoid()
        z2.label = "z(2)"
        r = z2 - y
        r.label = "r"
        E = 0.5 * r**2
        E.label = "E"
        E.backward()
        draw_dot(E, rankdir="TB")
        """
    ),
    md(
        r"""
        ## The last layer: two local derivatives and one flowing gradient

        $w^{(L)}$ changes $E$ only through $s^{(L)}$, which changes $E$ only through $z^{(L)}$. So the chain
        rule multiplies two **local** derivatives by the **flowing** gradient that has arrived at $z^{(L)}$:

        $$\frac{\partial E}{\partial w^{(L)}} = \underbrace{\frac{\partial s^{(L)}}{\partial w^{(L)}}}_{\text{local}}
        \cdot \underbrace{\frac{\partial z^{(L)}}{\partial s^{(L)}}}_{\text{local}}
        \cdot \underbrace{\frac{\partial E}{\partial z^{(L)}}}_{\text{flowing}}
        = z^{(L-1)} \cdot \sigma'(s^{(L)}) \cdot (z^{(L)} - y).$$

        The last factor has no 2 thanks to the ½ in $E$. The bias and the previous output differ only in the
        first factor: $\partial s^{(L)}/\partial b^{(L)} = 1$ and $\partial s^{(L)}/\partial z^{(L-1)} = w^{(L)}$.
        The product of the last two factors is the unit's **error** $\delta^{(L)} = \partial E/\partial s^{(L)}$.
        With $L = 2$:
        """
    ),
    code(
        """
        ds_dw = z1.data  # local: s(2) = w(2) z(1) + b(2)
        dz_ds = sigmoid_prime(s2.data)  # local: z(2) = sigma(s(2))
        dE_dz = z2.data - y  # flowing: E = 1/2 (z(2) - y)^2
        delta2 = dz_ds * dE_dz  # the error of the last unit, dE/ds(2)
        by_formula = {"∂E/∂w(2)": ds_dw * delta2, "∂E/∂b(2)": 1.0 * delta2, "∂E/∂z(1)": w2.data * delta2}
        by_backward = {"∂E/∂w(2)": w2.grad, "∂E/∂b(2)": b2.grad, "∂E/∂z(1)": z1.grad}
        print(f"local   ∂s(2)/∂w(2) = z(1)      = {ds_dw:.6f}")
        print(f"local   ∂z(2)/∂s(2) = σ'(s(2))  = {dz_ds:.6f}")
        print(f"flowing ∂E/∂z(2)    = z(2) - y  = {dE_dz:+.6f}")
        print(f"error   δ(2) = ∂E/∂s(2)         = {delta2:+.6f}   (backward: s2.grad = {s2.grad:+.6f})")
        for name, value in by_formula.items():
            print(f"{name}: formula {value:+.12f}   backward {by_backward[name]:+.12f}")
            assert abs(value - by_backward[name]) < 1e-12
        assert abs(delta2 - s2.grad) < 1e-15
        """
    ),
    md(
        r"""
        `explain` lists every path from a node to the output with its product of local derivatives. There
        is one path from $w^{(2)}$; the engine's graph has a few extra nodes on it (the product
        $w^{(2)} z^{(1)}$, the residual $r$, its square and the ½), whose local derivatives multiply to the
        $z^{(2)} - y$ above:
        """
    ),
    code(
        """
        why = explain(E, w2)
        print(why)
        assert why.path_count == 1 and abs(why.total - w2.grad) < 1e-12
        """
    ),
    md(
        r"""
        ### Exercise 3.1 · the last layer's gradients

        For one layer $s = w\,z_{\text{prev}} + b$, $z = \sigma(s)$, $E = \tfrac12 (z - y)^2$, write
        `last_layer_grads(z_prev, w, b, y)` returning the tuple
        $(\partial E/\partial w,\ \partial E/\partial b,\ \partial E/\partial z_{\text{prev}})$ with plain floats,
        each as a product of three factors. (`sigmoid` and `sigmoid_prime` are defined at the top.)
        """
    ),
    exercise(
        "3.1",
        """
        def last_layer_grads(z_prev, w, b, y):
            \"\"\"(dE/dw, dE/db, dE/dz_prev) for E = 1/2 (sigmoid(w * z_prev + b) - y)**2.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("3.1", "last_layer_grads"),
    md(
        r"""
        ## One layer further back

        $\partial E/\partial z^{(L-1)}$ is the flowing gradient arriving at the previous layer's output. From
        there the walk repeats with the previous layer's local derivatives:

        $$\frac{\partial E}{\partial w^{(L-1)}} = \frac{\partial s^{(L-1)}}{\partial w^{(L-1)}}
        \cdot \frac{\partial z^{(L-1)}}{\partial s^{(L-1)}} \cdot \frac{\partial E}{\partial z^{(L-1)}}
        = z^{(L-2)} \cdot \sigma'(s^{(L-1)}) \cdot \frac{\partial E}{\partial z^{(L-1)}}.$$
        """
    ),
    code(
        """
        dE_dz1 = by_formula["∂E/∂z(1)"]
        dE_dw1 = x.data * sigmoid_prime(s1.data) * dE_dz1
        print(f"∂E/∂w(1): formula {dE_dw1:+.12f}   backward {w1.grad:+.12f}")
        assert abs(dE_dw1 - w1.grad) < 1e-12
        print(explain(E, w1))
        """
    ),
    md(
        r"""
        ### Exercise 3.2 · one layer further back

        Write `first_layer_grad(x, w1, b1, w2, b2, y)`: $\partial E/\partial w^{(1)}$ for the two-layer chain
        above ($s^{(1)} = w^{(1)} x + b^{(1)}$, ..., $E = \tfrac12 (z^{(2)} - y)^2$), with plain floats.
        """
    ),
    exercise(
        "3.2",
        """
        def first_layer_grad(x, w1, b1, w2, b2, y):
            \"\"\"dE/dw(1) for two one-unit sigmoid layers and E = 1/2 (z(2) - y)**2.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("3.2", "first_layer_grad"),
    md(
        r"""
        ## Every layer in one backward sweep

        For $L$ layers, writing out each weight's product of $2L$ factors would repeat most of the work:
        $\partial E/\partial w^{(1)}$ and $\partial E/\partial w^{(2)}$ share all factors from layer 2 up. Backprop
        computes the shared part once per layer, from the top down, and reuses it: **dynamic programming**.
        The quantity carried from layer to layer is the flowing gradient at each output,

        $$\frac{\partial E}{\partial z^{(\ell-1)}} = w^{(\ell)}\, \sigma'(s^{(\ell)})\,
        \frac{\partial E}{\partial z^{(\ell)}}, \qquad
        \frac{\partial E}{\partial w^{(\ell)}} = z^{(\ell-1)}\, \sigma'(s^{(\ell)})\, \frac{\partial E}{\partial z^{(\ell)}}.$$

        ### Exercise 3.3 · a backward sweep through $L$ layers

        Write `chain_grads(x, ws, bs, y)`: `ws` and `bs` hold $w^{(1)}, \dots, w^{(L)}$ and
        $b^{(1)}, \dots, b^{(L)}$ of a chain of one-unit sigmoid layers; return the list
        $[\partial E/\partial w^{(1)}, \dots, \partial E/\partial w^{(L)}]$ for $E = \tfrac12 (z^{(L)} - y)^2$, with
        plain floats, in **one forward and one backward loop** (no product written out per weight). Keep the
        forward pass's $s^{(\ell)}$ and $z^{(\ell)}$ in lists: the backward loop needs them.
        """
    ),
    exercise(
        "3.3",
        """
        def chain_grads(x, ws, bs, y):
            \"\"\"[dE/dw(1), ..., dE/dw(L)] for a chain of one-unit sigmoid layers, E = 1/2 (z(L) - y)**2.\"\"\"
            # your code here
            raise NotImplementedError("your code here")
        """,
    ),
    check("3.3", "chain_grads"),
    md(
        r"""
        ## Deep chains: vanishing gradients

        The backward sweep multiplies the flowing gradient by $w^{(\ell)} \sigma'(s^{(\ell)})$ at every layer.
        This holds exactly for the gradient at the **outputs**, $\partial E/\partial z^{(\ell)}$; a weight's
        gradient has one more factor, its input $z^{(\ell-1)}$, which changes from layer to layer, so for
        weights it holds only roughly. Since $\sigma' \le 1/4$, with ten layers of weight 1 every step back
        shrinks $\partial E/\partial z^{(\ell)}$ at least fourfold: by layer 1 it is more than $4^{9}$ times
        smaller than at the top. This is the **vanishing gradient** that made deep sigmoid networks hard to
        train.
        """
    ),
    code(
        """
        def deep_chain(ws, bs, x=0.5, y=1.0):
            \"\"\"E of a chain of one-unit sigmoid layers, and its lists of s and z Values.\"\"\"
            zs, ss = [Value(x, label="x")], []
            for layer, (w, b) in enumerate(zip(ws, bs), start=1):
                s = w * zs[-1] + b
                s.label = f"s({layer})"
                z = s.sigmoid()
                z.label = f"z({layer})"
                ss.append(s)
                zs.append(z)
            E = 0.5 * (zs[-1] - y) ** 2
            E.backward()
            return E, ss, zs


        ws = [Value(1.0, label=f"w({layer})") for layer in range(1, 11)]
        bs = [Value(0.0, label=f"b({layer})") for layer in range(1, 11)]
        E, ss, zs = deep_chain(ws, bs)
        for layer in range(10, 0, -1):  # zs[layer] is z(layer); the exact factor between neighbours
            factor = ws[layer - 1].data * sigmoid_prime(ss[layer - 1].data)
            assert abs(zs[layer - 1].grad - factor * zs[layer].grad) < 1e-12 * abs(zs[layer].grad)
            assert factor <= 0.25
        outputs = [abs(z.grad) for z in zs[1:]]
        weights = [abs(w.grad) for w in ws]
        print(f"|∂E/∂z(10)| = {outputs[-1]:.2e}, |∂E/∂z(1)| = {outputs[0]:.2e}, ratio {outputs[-1] / outputs[0]:.2e}")
        assert outputs[0] < outputs[-1] / 4**9
        """
    ),
    md(
        r"""
        ## Exploding gradients, and clipping

        The same product can also **grow**. With weights of 8 and biases of −4, every unit sits at
        $s^{(\ell)} = 0$, where $\sigma' = 1/4$, so each layer back multiplies $\partial E/\partial z^{(\ell)}$ by
        $8 \cdot \tfrac14 = 2$: after nine layers, $2^9 = 512$. Large weights, or activations whose slope does
        not stay below 1, make gradients **explode**: a gradient step then moves the first layers' weights
        far more than the last ones'. The two pictures side by side:
        """
    ),
    code(
        """
        big_ws = [Value(8.0, label=f"w({layer})") for layer in range(1, 11)]
        big_bs = [Value(-4.0, label=f"b({layer})") for layer in range(1, 11)]
        E_big, ss_big, zs_big = deep_chain(big_ws, big_bs, y=0.7)
        for layer in range(10, 0, -1):
            factor = big_ws[layer - 1].data * sigmoid_prime(ss_big[layer - 1].data)
            assert abs(zs_big[layer - 1].grad - factor * zs_big[layer].grad) < 1e-12 * abs(zs_big[layer].grad)
            assert factor == 2.0  # s = 8 * 0.5 - 4 = 0 in every layer
        exploding = [abs(z.grad) for z in zs_big[1:]]
        assert math.isclose(exploding[0], exploding[-1] * 2**9, rel_tol=1e-12)

        fig, axes = plt.subplots(1, 2, figsize=(9, 3))
        axes[0].bar(range(1, 11), outputs, color="tab:blue")
        axes[0].set_title("w = 1: gradients vanish towards the input", fontsize=10)
        axes[1].bar(range(1, 11), exploding, color="tab:red")
        axes[1].set_title("w = 8, b = -4: gradients explode", fontsize=10)
        for ax in axes:
            ax.set_yscale("log")
            ax.set_xlabel(r"layer $\\ell$")
            ax.set_ylabel(r"$|\\partial E / \\partial z^{(\\ell)}|$")
        fig.tight_layout()
        plt.show()
        """
    ),
    md(
        r"""
        **Gradient clipping** bounds the damage of one exploded gradient. Collect every parameter's gradient
        into one vector $g$; if its length $\lVert g \rVert$ exceeds a threshold $c$, scale it down to length
        $c$:

        $$g \leftarrow g \cdot \min\!\Big(1, \frac{c}{\lVert g \rVert}\Big).$$

        The direction is kept, so the step still goes downhill; only its length is capped. (PyTorch calls this
        `clip_grad_norm_`; it is standard for recurrent networks, whose long chains explode easily.) On the
        exploding chain, a plain step with $\eta = 0.1$ has length $\eta \lVert g \rVert \approx 3$ and
        jumps over the valley: the cost goes **up**. The same step with the gradient clipped to $c = 0.01$ goes
        down, as the gradient promised:
        """
    ),
    code(
        """
        def clip_by_norm(grads, max_norm):
            \"\"\"The gradient vector scaled to length max_norm if it is longer; direction unchanged.\"\"\"
            norm = math.sqrt(sum(g * g for g in grads))
            scale = min(1.0, max_norm / norm)
            return [g * scale for g in grads]


        params = big_ws + big_bs
        g = [p.grad for p in params]
        clipped = clip_by_norm(g, 0.01)
        norm = math.sqrt(sum(v * v for v in g))
        clipped_norm = math.sqrt(sum(v * v for v in clipped))
        cosine = sum(u * v for u, v in zip(g, clipped)) / (norm * clipped_norm)
        print(f"‖g‖ = {norm:.2f}, clipped ‖g‖ = {clipped_norm:.4f}, cosine between them = {cosine:.6f}")
        assert math.isclose(clipped_norm, 0.01, rel_tol=1e-12) and math.isclose(cosine, 1.0, rel_tol=1e-12)
        assert clip_by_norm([0.003, 0.004], 0.01) == [0.003, 0.004]  # short gradients are left alone

        eta, n = 0.1, len(big_ws)


        def cost_after(step):
            new_ws = [Value(p.data - eta * d) for p, d in zip(params[:n], step[:n])]
            new_bs = [Value(p.data - eta * d) for p, d in zip(params[n:], step[n:])]
            return deep_chain(new_ws, new_bs, y=0.7)[0].data


        plain, with_clipping = cost_after(g), cost_after(clipped)
        print(f"E before: {E_big.data:.4f}   after a plain step: {plain:.4f}   after a clipped step: {with_clipping:.4f}")
        assert plain > E_big.data > with_clipping
        """
    ),
    md(
        r"""
        Clipping treats the symptom. The causes are treated by choosing the initial weights' scale so that
        $|w\,f'|$ stays near 1 (lesson 6) and by activations whose slope does not shrink, such as relu.

        ## A unit with several inputs

        Inside a layer a unit $j$ reads the outputs $z_i$ of several units (two in the picture). Its weighted input and output are

        $$s_j = \sum_i w_{i\to j} z_i + b_j, \qquad z_j = \sigma(s_j).$$

        Since the local derivative $\partial s_j / \partial w_{i\to j} = z_i$, every incoming weight gets the
        **same** flowing gradient $\partial E/\partial s_j = \delta_j$ times its own input:

        $$\frac{\partial E}{\partial w_{i\to j}} = \delta_j\, z_i, \qquad
        \frac{\partial E}{\partial z_i} = \delta_j\, w_{i\to j}.$$

        The first formula is the **delta rule**: gradient descent moves the weight by
        $\Delta w_{i\to j} = -\eta\, \delta_j z_i$.
        """
    ),
    code(
        """
        z_in = [Value(v, label=f"z{i}") for i, v in enumerate((0.9, -0.4), start=1)]
        w_in = [Value(v, label=f"w{i}→j") for i, v in enumerate((0.5, 1.5), start=1)]
        b_j = Value(0.1, label="b_j")
        s_j = vsum([wi * zi for wi, zi in zip(w_in, z_in)] + [b_j])
        s_j.label = "s_j"
        z_j = s_j.sigmoid()
        z_j.label = "z_j"
        E = 0.5 * (z_j - 1.0) ** 2
        E.label = "E"
        E.backward()
        for wi, zi in zip(w_in, z_in):
            print(f"∂E/∂{wi.label} = {wi.grad:+.6f} = δ_j · {zi.label} = {s_j.grad:+.6f} · {zi.data:+.1f}")
            assert abs(wi.grad - s_j.grad * zi.data) < 1e-15
            assert abs(zi.grad - s_j.grad * wi.data) < 1e-15
        picture = draw_dot(E, rankdir="TB")
        picture.attr(size="8.5,12")  # graphviz shrinks a drawing wider than 8.5 inches: it fits the page
        picture
        """
    ),
    md(
        r"""
        ## A unit with several outputs

        Now the other way round: unit $i$ feeds two units $k = 1, 2$, with $s_k = w_{i\to k} z_i$ (biases left
        out to keep the picture small) and $E = \tfrac12 \sum_k (z_k - y_k)^2$. Its output reaches the cost
        along **two paths**, and (lesson 2) the contributions add:

        $$\frac{\partial E}{\partial z_i} = \sum_k \delta_k\, w_{i\to k},
        \qquad\text{and so}\qquad
        \delta_i = \frac{\partial E}{\partial s_i} = \sigma'(s_i) \sum_k w_{i\to k}\, \delta_k.$$

        The second formula is the hidden unit's **error** (delta) that lesson 5 derives in full.
        """
    ),
    code(
        """
        s_i = Value(0.4, label="s_i")
        z_i = s_i.sigmoid()
        z_i.label = "z_i"
        w_out = [Value(0.8, label="w_i→k1"), Value(-1.1, label="w_i→k2")]
        targets = [1.0, 0.0]
        s_k, squares = [], []
        for k, (w_ik, target) in enumerate(zip(w_out, targets), start=1):
            s = w_ik * z_i
            s.label = f"s_k{k}"
            z = s.sigmoid()
            z.label = f"z_k{k}"
            r = z - target
            r.label = f"r_k{k}"
            s_k.append(s)
            squares.append(r**2)
        E = 0.5 * vsum(squares)
        E.label = "E"
        E.backward()

        dE_dz_i = sum(s.grad * w_ik.data for s, w_ik in zip(s_k, w_out))
        delta_i = sigmoid_prime(s_i.data) * dE_dz_i
        print(f"∂E/∂z_i: sum over k of δ_k w_i→k {dE_dz_i:+.12f}, backward {z_i.grad:+.12f}")
        print(f"δ_i = ∂E/∂s_i: σ'(s_i) · that sum  {delta_i:+.12f}, backward {s_i.grad:+.12f}")
        assert abs(dE_dz_i - z_i.grad) < 1e-12 and abs(delta_i - s_i.grad) < 1e-12
        draw_dot(E, rankdir="TB")
        """
    ),
    code(
        """
        print(explain(E, z_i))
        """
    ),
    md(
        r"""
        ## What to remember

        - One notation: $s$ is a weighted input, $z$ a unit's output, $E$ the cost, $L$ the last layer,
          $\delta = \partial E/\partial s$ (the card above; later lessons link back to it).
        - $\partial E / \partial w^{(L)} = z^{(L-1)}\, \sigma'(s^{(L)})\, (z^{(L)} - y)$: local derivatives along the
          path times the flowing gradient; the ½ in $E$ removes the 2.
        - Going back one layer multiplies $\partial E/\partial z$ by $w\, \sigma'(s)$: computed once per layer
          (dynamic programming), it makes gradients **vanish** when $|w \sigma'| < 1$ and **explode** when
          $|w \sigma'| > 1$. Clipping caps the step's length and keeps its direction.
        - Several inputs: each weight's gradient is the unit's $\delta_j$ times its own input (the delta rule).
        - Several outputs: the gradients coming back along each outgoing weight add up.

        **Next:** [Lesson 4](04_single_layer.ipynb) trains the simplest models built from one layer of such
        units.
        """
    ),
]
