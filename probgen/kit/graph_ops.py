"""The operations of the scalar-graph engine (probgen.kit.graph), in the style of micrograd's
engine.py: each op keeps its forward rule and its local derivatives side by side.

`value(m, args, k)` is the forward rule and `local(m, args, out, k)` the derivative of the
node with respect to each argument, both written once against a math namespace `m`
(probgen.kit.scalar_math): floats, fractions, SymPy or 80-bit mpmath. `args` are the parents'
values (or symbols), `out` the node's own value, `k` the node's constants.

For the printed problem and its worked solution, `show*` return LaTeX (mathtext subset) for
argument strings, `slips` the common wrong local derivatives, and `domain_ok` where an input
keeps the numbers hand-workable.
"""

from __future__ import annotations

from ..core.numfmt import num, tnum


def grp(s: str) -> str:
    """Bracket a negative number or a compound term where it is multiplied or raised."""
    return f"({s})" if s.startswith("-") or " " in s else s


def _is_symbol(s: str) -> bool:
    return s.isalpha()


class Op:
    key = ""
    arity = 1
    constant_slope = False  # ReLU: the local derivative is 0 or 1, decided by the sign at the point

    def value(self, m, args, k): ...
    def local(self, m, args, out, k): ...
    def show(self, args, k) -> str: ...
    def show_local(self, args, out, k) -> list[str]: ...

    def slips(self, m, args, out, k):
        """Common wrong local derivatives: [(arg index, mistake name, wrong value)]."""
        return []

    def domain_ok(self, a: float) -> bool:
        return True


class Pow(Op):
    key = "pow"

    def value(self, m, args, k):
        return args[0] ** int(k[0])

    def local(self, m, args, out, k):
        n = int(k[0])
        return [n * args[0] ** (n - 1)]

    def show(self, args, k):
        return f"{grp(args[0])}^{{{int(k[0])}}}"

    def show_local(self, args, out, k):
        n = int(k[0])
        a = grp(args[0])
        if n == 2:
            return [f"2{a}" if _is_symbol(args[0]) else f"2 \\cdot {a}"]
        sep = "" if _is_symbol(args[0]) else " \\cdot "
        return [f"{n}{sep}{a}^{{{n - 1}}}"]

    def slips(self, m, args, out, k):
        n = int(k[0])
        return [(0, f"dropped the factor {n} of the power rule", args[0] ** (n - 1))]

    def domain_ok(self, a):
        return 0.25 <= abs(a) <= 4


class Affine(Op):
    key = "affine"

    def value(self, m, args, k):
        return m.number(k[0]) * args[0] + m.number(k[1])

    def local(self, m, args, out, k):
        return [m.number(k[0])]

    def show(self, args, k):
        c, d = k
        a = args[0]
        if c == 1:
            head = a
        elif c == -1:
            head = "-" + grp(a)
        else:
            head = f"{num(c)}{a}" if _is_symbol(a) else f"{num(c)} \\cdot {grp(a)}"
        if d == 0:
            return head
        return f"{head} {'-' if d < 0 else '+'} {num(abs(d))}"

    def show_local(self, args, out, k):
        return [tnum(k[0])]


class Exp(Op):
    key = "exp"

    def value(self, m, args, k):
        return m.exp(args[0])

    def local(self, m, args, out, k):
        return [out]

    def show(self, args, k):
        return f"e^{{{args[0]}}}"

    def show_local(self, args, out, k):
        return [f"e^{{{args[0]}}}"]

    def domain_ok(self, a):
        return a <= 2.5


class Log(Op):
    key = "log"

    def value(self, m, args, k):
        return m.log(args[0])

    def local(self, m, args, out, k):
        return [1 / args[0]]

    def show(self, args, k):
        return f"\\ln({args[0]})"

    def show_local(self, args, out, k):
        return [f"\\frac{{1}}{{{args[0]}}}"]

    def slips(self, m, args, out, k):
        return [(0, "took the derivative of ln(t) as ln(t)", out)]

    def domain_ok(self, a):
        return a >= 0.25 and abs(a - 1) >= 0.2


class Sin(Op):
    key = "sin"

    def value(self, m, args, k):
        return m.sin(args[0])

    def local(self, m, args, out, k):
        return [m.cos(args[0])]

    def show(self, args, k):
        return f"\\sin({args[0]})"

    def show_local(self, args, out, k):
        return [f"\\cos({args[0]})"]

    def slips(self, m, args, out, k):
        return [(0, "sign error: took the derivative of sin(t) as −cos(t)", -m.cos(args[0]))]

    def domain_ok(self, a):
        return abs(a) <= 4


class Cos(Op):
    key = "cos"

    def value(self, m, args, k):
        return m.cos(args[0])

    def local(self, m, args, out, k):
        return [-m.sin(args[0])]

    def show(self, args, k):
        return f"\\cos({args[0]})"

    def show_local(self, args, out, k):
        return [f"-\\sin({args[0]})"]

    def slips(self, m, args, out, k):
        return [(0, "sign error: took the derivative of cos(t) as +sin(t)", m.sin(args[0]))]

    def domain_ok(self, a):
        return abs(a) <= 4


class Sigmoid(Op):
    key = "sigmoid"

    def value(self, m, args, k):
        return m.sigmoid(args[0])

    def local(self, m, args, out, k):
        return [out * (1 - out)]

    def show(self, args, k):
        return f"\\sigma({args[0]})"

    def show_local(self, args, out, k):
        o = grp(out)
        return [f"{o}(1 - {o})" if _is_symbol(out) else f"{o} \\cdot (1 - {o})"]

    def slips(self, m, args, out, k):
        return [(0, "took the sigmoid's derivative as σ(t) instead of σ(t)(1 − σ(t))", out)]

    def domain_ok(self, a):
        return 0.25 <= abs(a) <= 3


class Tanh(Op):
    key = "tanh"

    def value(self, m, args, k):
        return m.tanh(args[0])

    def local(self, m, args, out, k):
        return [1 - out**2]

    def show(self, args, k):
        return f"\\tanh({args[0]})"

    def show_local(self, args, out, k):
        return [f"1 - {grp(out)}^{{2}}"]

    def slips(self, m, args, out, k):
        return [(0, "took the derivative of tanh(t) as 1 − tanh(t) instead of 1 − tanh²(t)", 1 - out)]

    def domain_ok(self, a):
        return 0.25 <= abs(a) <= 2


class Relu(Op):
    key = "relu"
    constant_slope = True

    def value(self, m, args, k):
        return m.relu(args[0])

    def local(self, m, args, out, k):
        return [m.step(args[0])]

    def show(self, args, k):
        return f"\\mathrm{{ReLU}}({args[0]})"

    def show_local(self, args, out, k):
        return [f"\\mathrm{{ReLU}}'({args[0]})"]

    def slips(self, m, args, out, k):
        if args[0] > 0:
            return []
        return [(0, "passed the gradient through a ReLU that is off (its input is negative)", m.number(1))]

    def domain_ok(self, a):
        return 0.25 <= abs(a) <= 4


class Mul(Op):
    key = "mul"
    arity = 2

    def value(self, m, args, k):
        return args[0] * args[1]

    def local(self, m, args, out, k):
        return [args[1], args[0]]

    def show(self, args, k):
        return f"{grp(args[0])} \\cdot {grp(args[1])}"

    def show_local(self, args, out, k):
        return [args[1], args[0]]


class Add(Op):
    key = "add"
    arity = 2

    def value(self, m, args, k):
        return args[0] + args[1]

    def local(self, m, args, out, k):
        return [m.number(1), m.number(1)]

    def show(self, args, k):
        b = args[1]
        return f"{args[0]} - {b[1:]}" if b.startswith("-") else f"{args[0]} + {b}"

    def show_local(self, args, out, k):
        return ["1", "1"]


class Sub(Op):
    key = "sub"
    arity = 2

    def value(self, m, args, k):
        return args[0] - args[1]

    def local(self, m, args, out, k):
        return [m.number(1), m.number(-1)]

    def show(self, args, k):
        return f"{args[0]} - {grp(args[1])}"

    def show_local(self, args, out, k):
        return ["1", "-1"]

    def slips(self, m, args, out, k):
        return [(1, "sign error: took the derivative of a − b with respect to b as +1", m.number(1))]


class Lin(Op):
    """c·a + d·b with small integer weights (easy graphs)."""

    key = "lin"
    arity = 2

    def value(self, m, args, k):
        return m.number(k[0]) * args[0] + m.number(k[1]) * args[1]

    def local(self, m, args, out, k):
        return [m.number(k[0]), m.number(k[1])]

    def show(self, args, k):
        def term(c, a):
            return f"{num(abs(c))}{a}" if _is_symbol(a) else f"{num(abs(c))} \\cdot {grp(a)}"

        c, d = k
        first = ("-" if c < 0 else "") + term(c, args[0])
        return f"{first} {'-' if d < 0 else '+'} {term(d, args[1])}"

    def show_local(self, args, out, k):
        return [tnum(k[0]), tnum(k[1])]


class Identity(Op):
    """A linear output unit: ŷ = z."""

    key = "identity"

    def value(self, m, args, k):
        return args[0]

    def local(self, m, args, out, k):
        return [m.number(1)]


class Linear(Op):
    """A neuron's pre-activation b + Σ wᵢ·aᵢ; args are the n inputs, the n weights, the bias
    (weights and bias are nodes too, so their gradients come out of the same pass)."""

    key = "linear"
    arity = None  # 2n + 1

    def value(self, m, args, k):
        n = len(args) // 2
        return m.linear(args[n:2 * n], args[:n], args[-1])

    def local(self, m, args, out, k):
        n = len(args) // 2
        return [*args[n:2 * n], *args[:n], m.number(1)]


class SquaredError(Op):
    """(a − y)² for the target y = k[0]."""

    key = "sqerr"

    def value(self, m, args, k):
        return (args[0] - m.number(k[0])) ** 2

    def local(self, m, args, out, k):
        return [(args[0] - m.number(k[0])) * 2]


class BinaryCrossEntropy(Op):
    """−y ln a − (1 − y) ln(1 − a) for a label y = k[0] of 0 or 1 (one term vanishes)."""

    key = "bce"

    def value(self, m, args, k):
        return -m.log(args[0]) if k[0] == 1 else -m.log(1 - args[0])

    def local(self, m, args, out, k):
        return [-1 / args[0]] if k[0] == 1 else [1 / (1 - args[0])]


OPS = {op.key: op for op in (Pow(), Affine(), Exp(), Log(), Sin(), Cos(), Sigmoid(), Tanh(), Relu(),
                             Mul(), Add(), Sub(), Lin(), Identity(), Linear(), SquaredError(),
                             BinaryCrossEntropy())}
