"""Checks for lesson 4, single-layer models: perceptrons for logic gates, a stable softmax, softmax regression."""

from __future__ import annotations

import math

from autograd import Value
from autograd import sum as vsum
from nn.losses import cross_entropy

from .core import Hint, call, close, exercise, fmt, number, numbers_list

GATES = {
    "AND": lambda p, q: p and q,
    "OR": lambda p, q: p or q,
    "NAND": lambda p, q: not (p and q),
}


@exercise("4.1", "a perceptron for each logic gate", "gate_weights")
def check_gate_weights(answer) -> str:
    for gate, truth in GATES.items():
        result = call(answer, gate)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise Hint(f"gate_weights({gate!r}) should return a pair (w, b) with w = [w1, w2]; got {result!r}.")
        w = numbers_list(result[0], 2, f"the w of gate_weights({gate!r})")
        b = number(result[1], f"the b of gate_weights({gate!r})")
        for x1 in (0, 1):
            for x2 in (0, 1):
                score = w[0] * x1 + w[1] * x2 + b
                y_hat = 1 if score >= 0 else 0
                want = int(truth(x1, x2))
                if y_hat != want:
                    raise Hint(
                        f"for {gate} with w = {w}, b = {fmt(b)}: the input ({x1}, {x2}) scores "
                        f"w1*x1 + w2*x2 + b = {fmt(score)}, so the perceptron says {y_hat}, but {x1} {gate} {x2} "
                        f"is {want}. The score must be >= 0 exactly where the gate is 1."
                    )
    return "No such (w, b) exists for XOR: the lesson shows why."


@exercise("4.2", "a softmax that does not overflow", "softmax")
def check_softmax(answer) -> str:
    for s in ([1.0, 2.0, 3.0], [0.0, 0.0], [-1.0, 0.5, 2.0, 0.0], [1000.0, 1001.0, 999.0], [-1000.0, -1000.0]):
        try:
            result = call(answer, list(s))
        except Hint as hint:
            if "Overflow" in str(hint) or "ZeroDivision" in str(hint):
                raise Hint(
                    f"{hint} exp(1000) does not fit in a float (and exp(-1000) rounds to 0). "
                    "Subtract m = max(s) from every logit first: softmax(s - m) = softmax(s), and every "
                    "exponent is then <= 0."
                ) from None
            raise
        got = numbers_list(result, len(s), f"softmax({s})")
        m = max(s)
        exps = [math.exp(v - m) for v in s]
        want = [e / sum(exps) for e in exps]
        if all(close(g, t, abs_tol=1e-15) for g, t in zip(got, want)):
            continue
        if any(math.isnan(g) or math.isinf(g) for g in got):
            raise Hint(
                f"softmax({s}) gave {got}: exp of large logits overflowed. Subtract max(s) from every logit first."
            )
        if not close(sum(got), 1.0, rel=1e-9):
            raise Hint(
                f"softmax({s}) sums to {fmt(sum(got))}; probabilities must sum to 1: divide each exponential by "
                "the sum of all of them."
            )
        raise Hint(f"softmax({s}) should be {[round(v, 6) for v in want]}, got {[round(v, 6) for v in got]}.")
    return None


@exercise("4.3", "the gradients of softmax regression", "softmax_regression_grads")
def check_softmax_regression_grads(answer) -> str:
    cases = (
        ([[0.5, -1.0], [1.2, 0.3], [-0.4, 0.8]], [0.1, -0.2, 0.0], [1.5, -0.5], 2),
        ([[1.0, 0.0, -0.5], [0.2, -0.3, 0.9]], [0.0, 0.4], [0.3, 2.0, -1.0], 0),
    )
    for W, b, x, c in cases:
        result = call(answer, [list(row) for row in W], list(b), list(x), c)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise Hint(f"return a pair (dW, db); got {result!r:.80}.")
        dW_got, db_got = result
        if not isinstance(dW_got, (list, tuple)) or len(dW_got) != len(W):
            raise Hint(f"dW should have one row per class ({len(W)} rows of {len(x)}), like W; got {dW_got!r:.60}.")
        dW = [numbers_list(row, len(x), f"dW[{k}]") for k, row in enumerate(dW_got)]
        db = numbers_list(db_got, len(b), "db")
        Wv = [[Value(w) for w in row] for row in W]
        bv = [Value(v) for v in b]
        logits = [vsum([w * xi for w, xi in zip(row, x)]) + bk for row, bk in zip(Wv, bv)]
        cross_entropy([logits], [c]).backward()
        want_dW = [[w.grad for w in row] for row in Wv]
        want_db = [v.grad for v in bv]
        flat = [v for row in dW for v in row]
        want_flat = [v for row in want_dW for v in row]
        where = f"for W = {W}, b = {b}, x = {x}, c = {c}"
        if all(close(g, t) for g, t in zip(flat + db, want_flat + want_db)):
            continue
        if all(close(g, -t) for g, t in zip(flat + db, want_flat + want_db)):
            raise Hint(f"{where}: every entry has the wrong sign: dE/ds_k = p_k - [k == c].")
        if all(close(g, t) for g, t in zip(db, want_db)):
            raise Hint(
                f"{where}: db is right but dW is not: dE/dW[k][i] = (p_k - [k == c]) * x_i, the class's "
                "delta times the input that weight multiplies."
            )
        p = [t + (1.0 if k == c else 0.0) for k, t in enumerate(want_db)]
        if all(close(g, pk) for g, pk in zip(db, p)):
            raise Hint(f"{where}: db holds the probabilities p; subtract 1 at the correct class: p_k - [k == c].")
        k = next(k for k, (g, t) in enumerate(zip(db, want_db)) if not close(g, t))
        raise Hint(
            f"{where}: db[{k}] = dE/db_{k} = p_{k} - [{k} == {c}] should be {fmt(want_db[k])}, got {fmt(db[k])}."
        )
    return "Each class's weights move by its delta p_k - [k == c] times the input."
