"""Mini backprop chains: scalar computational graphs with fan-out (the deck's Problem 4).

Input u, intermediates x, y (and w on some hard instances), output z. Every graph has fan-out,
so dz/du is a sum over paths (the multivariate chain rule).

Each operation keeps its forward rule and its local derivatives side by side (as in micrograd),
written once against a math namespace: SymPy gives the exact values and the symbolic
"in terms of u, x and y" answer, mpmath (80 bits) every decimal that goes into a problem, and
plain floats the error-carried-forward values computed from a student's numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from ..core.lazy import sympy as sp
from ..core.numfmt import num, tnum
from ..core.model import Misconception, Part
from ..core.registry import Family, Solution, family
from ..kit.exactfmt import display as _display, finite_numbers as _numbers, latex as _latex, text as _text
from ..kit.solver import exact

# ---------------------------------------------------------------------------------------------
# Math namespaces: the same rule evaluated exactly (SymPy), at 80 bits (mpmath) or in floats.


class FloatMath:
    exp = staticmethod(math.exp)
    log = staticmethod(math.log)
    sin = staticmethod(math.sin)
    cos = staticmethod(math.cos)
    tanh = staticmethod(math.tanh)

    @staticmethod
    def sigmoid(a):
        return 1.0 / (1.0 + math.exp(-a))

    @staticmethod
    def relu(a):
        return a if a > 0 else 0.0

    @staticmethod
    def step(a):
        return 1.0 if a > 0 else 0.0

    @staticmethod
    def number(k):
        return float(k)


class SymMath:
    """SymPy functions; `step` (ReLU's slope) only ever sees exact numbers."""

    def __getattr__(self, name):
        return getattr(sp, name)

    @staticmethod
    def sigmoid(a):
        return 1 / (1 + sp.exp(-a))

    @staticmethod
    def relu(a):
        return sp.Max(0, a)

    @staticmethod
    def step(a):
        return sp.Integer(1 if a > 0 else 0)

    @staticmethod
    def number(k):
        return exact(k)


class PreciseMath:
    """mpmath at 80 bits: every decimal that goes into a problem (answers, mistakes, the worked
    solution, generate's checks) is deterministic on every machine (pure arbitrary-precision
    arithmetic, no platform libm) and far cheaper to get than from SymPy's evalf.

    `degrees` and `log10` give the calculator slips: trig in degree mode, log base 10 for ln."""

    def __init__(self, degrees: bool = False, log10: bool = False):
        import mpmath

        ctx = self.ctx = mpmath.MPContext()
        ctx.prec = 80
        self.exp, self.tanh = ctx.exp, ctx.tanh
        self.log = ctx.log10 if log10 else ctx.log
        if degrees:
            self.sin = lambda a: ctx.sin(ctx.radians(a))
            self.cos = lambda a: ctx.cos(ctx.radians(a))
        else:
            self.sin, self.cos = ctx.sin, ctx.cos

    def sigmoid(self, a):
        return 1 / (1 + self.ctx.exp(-a))

    def relu(self, a):
        return a if a > 0 else self.ctx.mpf(0)

    def step(self, a):
        return self.ctx.mpf(1 if a > 0 else 0)

    def number(self, k):
        return self.ctx.mpf(str(k))


class FractionMath:
    """Exact rational arithmetic for polynomial graphs: as exact as SymPy, far faster."""

    @staticmethod
    def number(k):
        return Fraction(str(k))


RATIONAL_OPS = {"pow", "affine", "mul", "add", "sub", "lin"}
FLOAT = FloatMath()
SYM = SymMath()
FRACTION = FractionMath()
_precise: dict = {}


def precise(degrees: bool = False, log10: bool = False) -> PreciseMath:
    key = (degrees, log10)
    if key not in _precise:  # mpmath is imported on first use (CLI start-up time)
        _precise[key] = PreciseMath(degrees, log10)
    return _precise[key]

# ---------------------------------------------------------------------------------------------
# Operations. `args` are the parents' values (or symbols), `out` the node's own value, `k` the
# node's constants. `show*` return LaTeX (mathtext subset) for argument strings.


def _grp(s: str) -> str:
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
        return f"{_grp(args[0])}^{{{int(k[0])}}}"

    def show_local(self, args, out, k):
        n = int(k[0])
        a = _grp(args[0])
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
            head = "-" + _grp(a)
        else:
            head = f"{num(c)}{a}" if _is_symbol(a) else f"{num(c)} \\cdot {_grp(a)}"
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
        o = _grp(out)
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
        return [f"1 - {_grp(out)}^{{2}}"]

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
        return f"{_grp(args[0])} \\cdot {_grp(args[1])}"

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
        return f"{args[0]} - {_grp(args[1])}"

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
            return f"{num(abs(c))}{a}" if _is_symbol(a) else f"{num(abs(c))} \\cdot {_grp(a)}"

        c, d = k
        first = ("-" if c < 0 else "") + term(c, args[0])
        return f"{first} {'-' if d < 0 else '+'} {term(d, args[1])}"

    def show_local(self, args, out, k):
        return [tnum(k[0]), tnum(k[1])]


OPS = {op.key: op for op in (Pow(), Affine(), Exp(), Log(), Sin(), Cos(), Sigmoid(), Tanh(), Relu(),
                             Mul(), Add(), Sub(), Lin())}

# ---------------------------------------------------------------------------------------------
# Graph shapes: (node, parents) in topological order; the last node is z. Every shape fans out.

SHAPES = {
    "diamond": [("x", ["u"]), ("y", ["u"]), ("z", ["x", "y"])],           # u→x→z, u→y→z
    "skip-x": [("x", ["u"]), ("y", ["x"]), ("z", ["x", "y"])],            # u→x→z, u→x→y→z
    "skip-u": [("x", ["u"]), ("y", ["x"]), ("z", ["u", "y"])],            # u→z, u→x→y→z
    "three-path": [("x", ["u"]), ("y", ["u", "x"]), ("z", ["x", "y"])],   # three paths
    "two-branch": [("x", ["u"]), ("y", ["x"]), ("w", ["x"]), ("z", ["y", "w"])],
    "join": [("x", ["u"]), ("y", ["u"]), ("w", ["x", "y"]), ("z", ["w", "x"])],
    "long-skip": [("x", ["u"]), ("y", ["x"]), ("w", ["y"]), ("z", ["x", "w"])],
    "long-three": [("x", ["u"]), ("y", ["x"]), ("w", ["u", "y"]), ("z", ["w", "x"])],
}

U_VALUES = {
    "easy": (-3, -2, -1.5, -0.5, 0.5, 1.5, 2, 3),  # not ±1: powers of ±1 teach nothing
    "medium": (-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2),
    "hard": (-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2),
}


@dataclass(frozen=True)
class Plan:
    """What each difficulty draws from: graph shapes, unary ops, the unary ops one node is
    guaranteed to use (the level's new material), binary ops."""

    shapes: tuple
    unary: tuple
    featured: tuple
    binary: tuple


PLANS = {
    "easy": Plan(("diamond", "skip-x", "skip-u"), ("pow", "affine"), ("pow",), ("mul", "add", "sub", "lin")),
    "medium": Plan(("diamond", "skip-x", "skip-u", "three-path"),
                   ("pow", "affine", "exp", "log", "sin", "cos"), ("exp", "log", "sin", "cos"),
                   ("mul", "add", "sub")),
    "hard": Plan(("skip-x", "skip-u", "three-path", "two-branch", "join", "long-skip", "long-three"),
                 ("pow", "affine", "exp", "log", "sin", "cos", "sigmoid", "tanh", "relu"),
                 ("sigmoid", "tanh", "relu"), ("mul", "add", "sub")),
}

MAX_ATTEMPTS = 500
CURVED = {"pow", "exp", "log", "sin", "cos", "sigmoid", "tanh", "mul"}
INVERSES = {("exp", "log"), ("log", "exp")}  # ln(e^u) = u would collapse the graph


def _constants(draw, op_key, a):
    if op_key == "pow":
        return [3 if abs(a) <= 1.5 and draw.coin(0.3) else 2]
    if op_key == "affine":
        return [draw.choice((-3, -2, -1, 2, 3)), draw.choice((-2, -1, 0, 1, 2))]
    if op_key == "lin":
        return [draw.choice((-2, 2, 3)), draw.choice((-3, -1, 2, 3))]
    return []


def _draw_graph(draw, difficulty):
    plan = PLANS[difficulty]
    shape = SHAPES[draw.choice(plan.shapes)]
    u = draw.choice(U_VALUES[difficulty])
    unary_nodes = [name for name, parents in shape if len(parents) == 1]
    featured = draw.choice(unary_nodes)
    hp = precise()
    values = {"u": hp.number(u)}
    nodes = []
    for name, parents in shape:
        if len(parents) == 1:
            a = values[parents[0]]
            pool = plan.featured if name == featured else plan.unary
            parent_op = next((n["op"] for n in nodes if n["name"] == parents[0]), None)
            candidates = [key for key in pool if OPS[key].domain_ok(a) and (parent_op, key) not in INVERSES]
            if not candidates:
                return None
            key = draw.choice(candidates)
        else:
            key = draw.choice(plan.binary)
        k = _constants(draw, key, values[parents[0]])
        nodes.append({"name": name, "op": key, "args": list(parents), "k": k})
        values[name] = OPS[key].value(hp, [values[p] for p in parents], k)
    if not any(n["op"] in CURVED for n in nodes):
        return None  # piecewise-linear graph: dz/du would be a bare constant
    return {"u": u, "nodes": nodes}


# ---------------------------------------------------------------------------------------------
# Graph arithmetic shared by solve, follow_on and generate's checks.


def edges(nodes):
    """Local derivatives in the order the problem lists them: (child, parent, arg index)."""
    return [(n["name"], p, i) for n in nodes for i, p in enumerate(n["args"])]


def paths(nodes):
    """Every path from u to z, as lists of edges (child, parent, arg index)."""
    into = {n["name"]: [(n["name"], p, i) for i, p in enumerate(n["args"])] for n in nodes}

    def back(name):
        if name == "u":
            return [[]]
        return [prefix + [e] for e in into[name] for prefix in back(e[1])]

    return back(nodes[-1]["name"])


def forward(m, nodes, u):
    values = {"u": u}
    for n in nodes:
        values[n["name"]] = OPS[n["op"]].value(m, [values[p] for p in n["args"]], n["k"])
    return values


def local_derivatives(m, nodes, values):
    """{(child, parent, i): d child / d parent} at the given node values."""
    out = {}
    for n in nodes:
        args = [values[p] for p in n["args"]]
        for i, d in enumerate(OPS[n["op"]].local(m, args, values[n["name"]], n["k"])):
            out[(n["name"], n["args"][i], i)] = d
    return out


def path_products(all_paths, local):
    """The product of the local derivatives along each path."""
    out = []
    for path in all_paths:
        prod = 1
        for e in path:
            prod = prod * local[e]
        out.append(prod)
    return out


def path_sum(all_paths, local):
    """dz/du: the multivariate chain rule adds the path products."""
    return sum(path_products(all_paths, local))


def degenerate(params) -> bool:
    nodes = params["nodes"]
    try:
        hp = precise()
        values = forward(hp, nodes, hp.number(params["u"]))
        local = local_derivatives(hp, nodes, values)
    except (ValueError, OverflowError, ZeroDivisionError):
        return True
    relu_off = set()
    for n in nodes:
        op = OPS[n["op"]]
        a = values[n["args"][0]]
        if op.arity == 1 and not op.domain_ok(a):
            return True
        if n["op"] == "relu" and a < 0:
            relu_off.add(n["name"])
    for name, v in values.items():
        if name == "u":
            continue
        if abs(v) > 40 or (abs(v) < 0.1 and name not in relu_off):
            return True
    for (child, _, _), d in local.items():
        if abs(d) > 40 or (abs(d) < 0.1 and child not in relu_off):
            return True
    products = path_products(paths(nodes), local)
    total = sum(products)
    # no zero total, no paths that (nearly) cancel, at least two live paths, no huge gradient
    live = [p for p in products if p != 0]
    if len(live) < 2 or abs(total) < 0.2 or abs(total) > 150 or abs(total) < 0.15 * max(abs(p) for p in live):
        return True
    # Paths that cancel exactly mean the graph collapses algebraically (x + (u - x) = u).
    biggest = max(abs(p) for p in live)
    for mask in range(1, 2 ** len(live)):
        chosen = [p for i, p in enumerate(live) if mask >> i & 1]
        if len(chosen) >= 2 and abs(sum(chosen)) < 1e-9 * biggest:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Printing: exact strings and LaTeX come from probgen.kit.exactfmt (order="none"); with the 80-bit
# floats of `PreciseMath` this keeps generate+solve of 1,000 graphs inside the 2 s budget.


def _decimal_is_exact(e) -> bool:
    """An exact value whose short decimal is the whole truth (2.25, -3), not a rounding."""
    if not isinstance(e, Fraction):
        if not e.is_Rational:
            return False
        e = Fraction(int(e.p), int(e.q))
    q = e.denominator
    while q % 2 == 0:
        q //= 2
    while q % 5 == 0:
        q //= 5
    return q == 1 and len(num(float(e), 12)) <= 10


def _eq(e) -> str:
    return "=" if _decimal_is_exact(e) else r"\approx"


def _d(child, parent) -> str:
    return f"\\frac{{\\partial {child}}}{{\\partial {parent}}}"


def _path_label(path, arrow: str = " → ") -> str:
    return arrow.join(["u"] + [e[0] for e in path])


@family
class BackpropChain(Family):
    id = "backprop-chain"
    section = "fundamentals"
    topic = "backprop"
    title = "Mini backpropagation"

    def generate(self, draw, difficulty, convention):
        # Domains are respected by construction (each op is drawn only where its input fits);
        # the few graphs whose paths nearly cancel or whose numbers grow too large are redrawn
        # from the same stream, so the result is still a pure function of the seed.
        for _ in range(MAX_ATTEMPTS):
            params = _draw_graph(draw, difficulty)
            if params is not None and not degenerate(params):
                return params
        raise RuntimeError("backprop-chain: no usable graph drawn")  # never seen in sweeps

    def solve(self, params):
        nodes = params["nodes"]
        names = [n["name"] for n in nodes]
        order = edges(nodes)
        all_paths = paths(nodes)

        # Exact values and local derivatives (SymPy), and the same at 80 bits (mpmath) for the
        # reference decimals, the worked solution and the mistakes' values.
        ex = FRACTION if all(n["op"] in RATIONAL_OPS for n in nodes) else SYM
        values = forward(ex, nodes, ex.number(params["u"]))
        local = local_derivatives(ex, nodes, values)
        products = path_products(all_paths, local)
        total = sum(products[1:], products[0]) if ex is FRACTION else sp.Add(*products)
        hp = precise()
        fvalues = forward(hp, nodes, hp.number(params["u"]))
        flocal = local_derivatives(hp, nodes, fvalues)
        fproducts = path_products(all_paths, flocal)
        ftotal = path_sum(all_paths, flocal)

        # dz/du in terms of u and the intermediates: each local derivative written in the node
        # symbols (ReLU's slope is the constant 0 or 1 that holds around the point).
        syms = {name: sp.Symbol(name) for name in ["u"] + names[:-1]}
        sym_local = {}
        definitions = {"u": None}
        for n in nodes:
            op = OPS[n["op"]]
            args = [syms[p] for p in n["args"]]
            if n["name"] in syms:
                definitions[n["name"]] = op.value(SYM, args, n["k"])
            if op.constant_slope:
                sym_local.update({e: local[e] for e in order if e[0] == n["name"]})
            else:
                for i, d in enumerate(op.local(SYM, args, syms.get(n["name"]), n["k"])):
                    sym_local[(n["name"], n["args"][i], i)] = d
        sym_products = path_products(all_paths, sym_local)
        symbolic = sp.Add(*sym_products)

        parts = [
            Part("a", "vector", [float(fvalues[n]) for n in names], [_text(values[n]) for n in names],
                 points=3),
            Part("b", "vector", [float(flocal[e]) for e in order], [_text(local[e]) for e in order],
                 points=4, depends_on=["a"]),
            Part("c", "number", float(ftotal), _text(total), _display(total), points=3,
                 depends_on=["b"]),
            Part("d", "expression", _text(symbolic), _text(symbolic), _latex(symbolic),
                 tolerance=0, points=5,
                 variables={k: None if v is None else _text(v) for k, v in definitions.items()},
                 misconceptions=[
                     Misconception(f"missed the path {_path_label(path)}",
                                   _text(sp.Add(*(q for j, q in enumerate(sym_products) if j != i))))
                     for i, path in enumerate(all_paths)
                 ]),
        ]
        mistakes = self._mistakes(params, nodes, order, all_paths, fvalues, flocal, fproducts, ftotal)
        for part in parts[:3]:
            part.misconceptions = [Misconception(name, value) for name, value in mistakes[part.key].items()]

        work = self._work(params, nodes, order, all_paths, fvalues, flocal, fproducts, values, local, total)
        figure = {
            "type": "graph",
            "nodes": [{"id": "u", "label": "u"}]
            + [{"id": n["name"], "label": n["name"],
                "op": f"{n['name']} = {OPS[n['op']].show(n['args'], n['k'])}"} for n in nodes],
            "edges": [{"from": p, "to": n["name"], "label": ""} for n in nodes for p in n["args"]],
            "output": nodes[-1]["name"],
        }
        return Solution(parts=parts, work=work, figure=figure)

    @staticmethod
    def _mistakes(params, nodes, order, all_paths, fvalues, flocal, fproducts, ftotal):
        """{part key: {mistake name: the value it gives}} (80-bit values, stored as floats)."""
        names = [n["name"] for n in nodes]
        hp = precise()
        ops_used = {n["op"] for n in nodes}
        forward_mistakes = {}
        if ops_used & {"sin", "cos"}:
            deg = forward(precise(degrees=True), nodes, hp.number(params["u"]))
            forward_mistakes["evaluated sin/cos in degrees instead of radians"] = [deg[n] for n in names]
        if "log" in ops_used:
            l10 = forward(precise(log10=True), nodes, hp.number(params["u"]))
            if all(hp.ctx.isfinite(l10[n]) and hp.ctx.im(l10[n]) == 0 for n in names):
                forward_mistakes["used log base 10 instead of the natural log ln"] = [l10[n] for n in names]

        local_mistakes, total_mistakes = {}, {}
        fvec = [flocal[e] for e in order]
        for n in nodes:
            op = OPS[n["op"]]
            args = [fvalues[p] for p in n["args"]]
            for i, label, wrong in op.slips(hp, args, fvalues[n["name"]], n["k"]):
                e = (n["name"], n["args"][i], i)
                name = f"{label} (in ∂{e[0]}/∂{e[1]})"
                local_mistakes[name] = [wrong if edge == e else v for edge, v in zip(order, fvec)]
                total_mistakes[name] = path_sum(all_paths, {**flocal, e: wrong})
        for e in order:
            if flocal[e] not in (0, 1):
                total_mistakes[f"forgot the local derivative ∂{e[0]}/∂{e[1]} (used 1)"] = path_sum(
                    all_paths, {**flocal, e: 1})
        for path, prod in zip(all_paths, fproducts):
            total_mistakes[f"missed the path {_path_label(path)}"] = ftotal - prod
        product_of_paths = 1
        for prod in fproducts:
            product_of_paths *= prod
        total_mistakes["multiplied the path products instead of adding them"] = product_of_paths

        def as_float(v):
            return [float(x) for x in v] if isinstance(v, list) else float(v)

        return {key: {name: as_float(v) for name, v in found.items()}
                for key, found in (("a", forward_mistakes), ("b", local_mistakes), ("c", total_mistakes))}

    @staticmethod
    def _work(params, nodes, order, all_paths, fvalues, flocal, fproducts, values, local, total):
        """Lines of the worked solution (LaTeX), with the numbers substituted."""
        inner = [n["name"] for n in nodes[:-1]]
        shown = {"u": tnum(params["u"])}
        definitions, forward_lines = [], []
        for n in nodes:
            op = OPS[n["op"]]
            definition = op.show(n["args"], n["k"])
            substituted = op.show([shown[p] for p in n["args"]], n["k"])
            shown[n["name"]] = tnum(fvalues[n["name"]])
            definitions.append(f"{n['name']} = {definition}")
            forward_lines.append(f"{n['name']} = {definition} = {substituted} "
                                 f"{_eq(values[n['name']])} {shown[n['name']]}")
        local_lines = []
        for n in nodes:
            op = OPS[n["op"]]
            sym_forms = op.show_local(n["args"], n["name"], n["k"])
            num_forms = op.show_local([shown[p] for p in n["args"]], shown[n["name"]], n["k"])
            for i, p in enumerate(n["args"]):
                e = (n["name"], p, i)
                value = tnum(flocal[e])
                line = f"{_d(n['name'], p)} = {sym_forms[i]}"
                if num_forms[i] != sym_forms[i]:
                    line += f" = {num_forms[i]}"
                if num_forms[i] != value:
                    line += f" {_eq(local[e])} {value}"
                if n["op"] == "relu":
                    line += r"\quad (\mathrm{the\ ReLU\ is\ " + ("on" if fvalues[p] > 0 else "off") + "})"
                local_lines.append(line)
        path_lines = []
        for path, prod, exact_prod in zip(all_paths, fproducts, path_products(all_paths, local)):
            path_lines.append({
                "label": _path_label(path, r" \to "),
                "factors": " ".join(_d(c, p) for c, p, _ in reversed(path)),
                "numbers": r" \cdot ".join(_grp(tnum(flocal[e])) for e in reversed(path)),
                "value": f"{_eq(exact_prod)} {tnum(prod)}",
            })
        notes = []
        ops_used = {n["op"] for n in nodes}
        if ops_used & {"sin", "cos"}:
            notes.append("angles are in radians")
        if "log" in ops_used:
            notes.append(r"$\ln$ is the natural logarithm")
        if "sigmoid" in ops_used:
            notes.append(r"$\sigma(t) = \frac{1}{1 + e^{-t}}$")
        if "relu" in ops_used:
            notes.append(r"$\mathrm{ReLU}(t) = \max(0, t)$")
        return {
            "definitions": definitions,
            "forward": forward_lines,
            "locals": local_lines,
            "order": [_d(c, p) for c, p, _ in order],
            "paths": path_lines,
            "path_sum": " + ".join(p["factors"] for p in path_lines),
            "total": tnum(sum(fproducts)),
            "total_eq": _eq(total),
            "nodes": [n["name"] for n in nodes],
            "inner": inner,
            "notes": notes,
            "has_relu": "relu" in ops_used,
        }

    def follow_on(self, params, given):
        """b from the student's forward values (a); c from the student's local derivatives (b),
        or from (a) when b is not given. Local derivatives use the forms of the worked solution
        (e.g. dy/dx = y for y = e^x, y(1 - y) for y = sigma(x))."""
        nodes = params["nodes"]
        names = [n["name"] for n in nodes]
        order = edges(nodes)
        all_paths = paths(nodes)
        out = {}
        local = None
        if _numbers(given.get("a"), len(names)):
            values = {"u": float(params["u"]), **{n: float(v) for n, v in zip(names, given["a"])}}
            try:
                local = local_derivatives(FLOAT, nodes, values)
                out["b"] = [local[e] for e in order]
            except (ValueError, ZeroDivisionError, OverflowError):
                local = None
        if _numbers(given.get("b"), len(order)):
            local = {e: float(v) for e, v in zip(order, given["b"])}
        if local is not None:
            out["c"] = path_sum(all_paths, local)
        return {k: v for k, v in out.items() if all(map(math.isfinite, v if isinstance(v, list) else [v]))}
