"""What the optimizer-trace families share: friendly gradient tables and the step-by-step trace.

A trace family describes one optimizer step as an ordered list of `Rule`s (one per quantity the
student writes down: m, v, m̂, v̂, w, ...). `run_trace` applies them for t = 1..T and names each
quantity a part (a, b, c, ...). The same rules run on exact numbers in `solve` (Fractions, with
SymPy only for an irrational root; the answers become SymPy Rationals) and on floats for the
named mistakes and in `follow_on`, where a student's own value of a quantity replaces the
reference before the later quantities are computed (error carried forward).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import isqrt
from pathlib import Path
from string import ascii_lowercase
from typing import Any, Callable

from ..core.lazy import sympy as sp
from ..core.model import Misconception, Part
from . import exactfmt
from .rounding import Rounded, rounded_sqrt
from .solver import number_part, vector_part

# Gradient magnitudes the tables draw from: multiples of `grid_step` (0.05 by default) up to 4;
# the sign is drawn separately.
MAX_GRADIENT = 4


def friendly_root(q: Fraction, max_denominator: int = 100) -> Fraction | None:
    """√q when it is a decimal with at most two places (√0.25 = 0.5), else None."""
    if q <= 0:
        return None
    a, b = isqrt(q.numerator), isqrt(q.denominator)
    if a * a != q.numerator or b * b != q.denominator or max_denominator % b:
        return None
    return Fraction(a, b)


@lru_cache(maxsize=None)
def friendly_chains(steps: int, decay: str | None, inside: str, bias_correct: bool = False,
                    grid_step: str = "0.05") -> tuple[tuple[Fraction, ...], ...]:
    """Every sequence of `steps` gradient magnitudes with a friendly root at each step (see
    `search_chains`, which defines them). The settings the trace families use are shipped,
    computed ahead, in friendly_chains.json (tools/chain_table.py writes it; the search took 1-4 ms
    a setting, several per draw); any other setting is searched."""
    unit = Fraction(grid_step)
    stored = _shipped_chains().get(chain_key(steps, decay, inside, bias_correct, grid_step))
    if stored is None:
        return search_chains(steps, decay, inside, bias_correct, grid_step)
    return tuple(tuple(unit * k for k in chain) for chain in stored)


CHAIN_TABLE = Path(__file__).with_name("friendly_chains.json")


def chain_key(steps: int, decay: str | None, inside: str, bias_correct: bool, grid_step: str) -> str:
    return f"{steps}|{decay or ''}|{inside}|{int(bias_correct)}|{grid_step}"


@lru_cache(maxsize=1)
def _shipped_chains() -> dict[str, list[list[int]]]:
    """chain_key -> the chains as multiples of the grid step; empty if the file is unreadable."""
    try:
        return json.loads(CHAIN_TABLE.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def search_chains(steps: int, decay: str | None, inside: str, bias_correct: bool = False,
                  grid_step: str = "0.05") -> tuple[tuple[Fraction, ...], ...]:
    """Every sequence of `steps` gradient magnitudes (multiples of `grid_step` up to
    MAX_GRADIENT) for which each step's square root is friendly (`friendly_root`: a decimal with
    at most two places). The accumulator is v ← v + g² (`decay` None) or v ← βv + (1 − β)g²
    (`decay` = β); the root is √(v + `inside`) (`inside` = ε for the course's Adagrad/RMSProp,
    "0" otherwise), or √(v / (1 − β^t)) with `bias_correct` (Adam's v̂). In the order of a
    depth-first search over the grid, smallest magnitudes first. Arguments are decimal strings.

    The search runs on integers (a Fraction search took 25–70 ms per setting at two steps, a
    third of a cold optimization exam): with g = k·u (u = `grid_step`), β = p/D and ε = e/f,
    V_t = v_t·D^t/u² is an integer, V_t = p·V_{t−1} + (D − p)·D^(t−1)·k² (V_t = V_{t−1} + k²
    without decay), and a root is friendly exactly when 10⁴ × its argument is the square of an
    integer (tests/test_optim_chains.py holds this equal to the Fraction definition)."""
    unit = Fraction(grid_step)
    shift = Fraction(inside)
    un, ud = unit.numerator, unit.denominator
    u2n, u2d = un * un, ud * ud  # u² = u2n / u2d
    ks = range(1, int(MAX_GRADIENT / unit) + 1)
    squares = [k * k for k in ks]
    beta = None if decay is None else Fraction(decay)
    p, big_d = (1, 1) if beta is None else (beta.numerator, beta.denominator)
    en, ed = shift.numerator, shift.denominator

    def extend(t: int, big_v: int, chain: tuple[int, ...]) -> None:
        if t == steps:
            found.append(chain)
            return
        # Step t + 1: V = keep·big_v + new·k², and 10⁴ × the root's argument is (c + e·k²) / den.
        keep, new = (1, 1) if beta is None else (p, (big_d - p) * big_d ** t)
        dt = big_d ** (t + 1)
        if bias_correct:  # v / (1 − β^t) = V·u² / (D^t − p^t)
            a, b, den = 10000 * u2n, 0, u2d * (dt - p ** (t + 1))
        else:  # v + ε = (V·u²·f + e·u²_d·D^t) / (u²_d·D^t·f), with u² = u²_n/u²_d and ε = e/f
            a, b, den = 10000 * u2n * ed, 10000 * en * u2d * dt, u2d * dt * ed
        c, e = a * keep * big_v + b, a * new
        for k, k2 in zip(ks, squares):
            q, r = divmod(c + e * k2, den)
            if not r and q > 0:
                root = isqrt(q)
                if root * root == q:  # friendly: 10⁴ × the argument is a perfect square
                    extend(t + 1, keep * big_v + new * k2, chain + (k,))

    found: list[tuple[int, ...]] = []
    extend(0, 0, ())
    grid = {k: unit * k for k in ks}
    return tuple(tuple(grid[k] for k in chain) for chain in found)


def draw_gradients(draw, chains, steps: int, dims: int) -> list[list[float]]:
    """Gradients g[t][j] for `steps` steps and `dims` coordinates: each coordinate follows a
    chain drawn from `chains` (its first `steps` entries), with a random sign per entry."""
    columns = []
    for _ in range(dims):
        chain = draw.choice(chains)
        columns.append([float(draw.sign() * chain[t]) for t in range(steps)])
    return [[columns[j][t] for j in range(dims)] for t in range(steps)]


@dataclass
class Rule:
    """One quantity of a step. `update(env, t)` returns its new value (a list, one entry per
    coordinate) from the state in `env`; `inputs` names the earlier quantities it reads (for
    depends_on); `mistakes(env, t)` gives the values named mistakes produce (solve only)."""

    name: str
    inputs: tuple[str, ...]
    update: Callable[[dict, int], list]
    points: int = 1
    mistakes: Callable[[dict, int], dict[str, list]] | None = None


@dataclass
class Ops:
    """The arithmetic the rules run on: exact numbers (EXACT_OPS) or plain floats (FLOAT_OPS)."""

    num: Callable[[Any], Any]
    sqrt: Callable[[Any], Any]


def _fraction(x) -> Fraction:
    """An exact rational from a param as the student reads it: 0.1 -> 1/10."""
    if isinstance(x, bool):
        raise TypeError("booleans are not numbers here")
    if isinstance(x, Fraction):
        return x
    return Fraction(repr(x)) if isinstance(x, float) else Fraction(x)


def _exact_sqrt(q):
    """The exact root: a Fraction when q is a perfect square (the tables make every root in a
    reference answer one), else a SymPy surd."""
    if isinstance(q, Fraction) and q >= 0:
        a, b = isqrt(q.numerator), isqrt(q.denominator)
        if a * a == q.numerator and b * b == q.denominator:
            return Fraction(a, b)
        return sp.sqrt(sp.Rational(q.numerator, q.denominator))
    return sp.sqrt(q)


# Exact arithmetic: Python Fractions (fast) with SymPy only for a root that is not rational.
EXACT_OPS = Ops(num=_fraction, sqrt=_exact_sqrt)
FLOAT_OPS = Ops(num=float, sqrt=math.sqrt)
# Every value a student reaches by rounding intermediate results to 3 significant figures
# (see kit/rounding.py): the rules run on ranges and give each part's propagated range.
ROUNDING_OPS = Ops(num=Rounded.exact, sqrt=rounded_sqrt)


def _sympy(x):
    return sp.Rational(x.numerator, x.denominator) if isinstance(x, Fraction) else x


def _floats(env: dict) -> dict:
    return {k: (_floats(v) if isinstance(v, dict) else [float(x) for x in v]) for k, v in env.items()}


@dataclass
class TraceEntry:
    key: str
    t: int
    name: str
    value: list
    depends_on: list[str]
    env_before: dict


def run_trace(rules: list[Rule], env: dict, steps: int, given: dict[str, Any] | None = None) -> list[TraceEntry]:
    """Apply `rules` for t = 1..steps starting from `env` (name -> list; env["prev"] holds the
    state at the start of the current step). With `given` (part key -> a student's value),
    that value replaces the computed one before going on."""
    env = dict(env)
    producer: dict[str, str] = {}
    entries = []
    keys = iter(ascii_lowercase)
    for t in range(1, steps + 1):
        env["prev"] = {k: v for k, v in env.items() if k != "prev"}  # the state at the step's start
        for rule in rules:
            key = next(keys)
            before = dict(env)
            value = rule.update(env, t)
            deps = sorted({producer[n] for n in rule.inputs if n in producer})
            entries.append(TraceEntry(key, t, rule.name, value, deps, before))
            student = _as_list(given.get(key), len(value)) if given else None
            env[rule.name] = student if student is not None else value
            producer[rule.name] = key
    return entries


def _as_list(value, size: int) -> list[float] | None:
    """A student's parsed answer as a list of `size` floats, or None if it has another shape."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, (list, tuple)) or len(value) != size:
        return None
    try:
        out = [float(v) for v in value]
    except (TypeError, ValueError):
        return None
    return out if all(math.isfinite(v) for v in out) else None


def rounding_ranges(rules: Callable, initial_state: Callable, params: dict, steps: int) -> dict[str, list]:
    """Part key -> [low, high] per coordinate: every value reachable by rounding intermediate
    results to 3 significant figures (ROUNDING_OPS). Empty where the ranges cannot be
    propagated (a divisor's range holding 0): the tolerance rule alone then applies."""
    try:
        entries = run_trace(rules(params, ROUNDING_OPS), initial_state(params, ROUNDING_OPS), steps)
    except ArithmeticError:
        return {}
    return {e.key: [[Rounded.exact(x).lo, Rounded.exact(x).hi] for x in e.value] for e in entries}


def trace_parts(float_rules: list[Rule], entries: list[TraceEntry], ranges: dict[str, list] | None = None):
    """Answer parts from an exact trace: a number part for one coordinate, a vector part
    otherwise. The named mistakes' values come from `float_rules` (the same rules on floats)
    applied to the correct state before each quantity. `ranges` (see `rounding_ranges`) become
    each part's propagated rounding range (`accepted`, completed by the build)."""
    by_name = {r.name: r for r in float_rules}
    parts = []
    for e in entries:
        rule = by_name[e.name]
        if all(isinstance(x, Fraction) for x in e.value):
            part = _rational_part(e.key, e.value, rule.points, e.depends_on)
        else:
            exact_value = [_sympy(x) for x in e.value]
            if len(e.value) == 1:
                part = number_part(e.key, exact_value[0], rule.points, depends_on=e.depends_on)
            else:
                part = vector_part(e.key, exact_value, rule.points, depends_on=e.depends_on)
        mistakes = rule.mistakes(_floats(e.env_before), e.t) if rule.mistakes else {}
        part.misconceptions = [Misconception(name=name, value=value[0] if len(value) == 1 else list(value))
                               for name, value in mistakes.items()]
        if ranges and e.key in ranges:
            part.accepted = ranges[e.key][0] if len(e.value) == 1 else ranges[e.key]
        parts.append(part)
    return parts


def _rational_part(key: str, values: list[Fraction], points: int, depends_on: list[str]) -> Part:
    """What number_part / vector_part build, straight from Fractions: float(Fraction) is
    correctly rounded, str(Fraction) ("-3/4") is SymPy syntax and exactfmt.latex prints a
    Fraction as SymPy prints the Rational, so SymPy is not even imported."""
    if len(values) == 1:
        x = values[0]
        return Part(key=key, kind="number", answer=float(x), exact=str(x), latex=exactfmt.latex(x),
                    points=points, depends_on=list(depends_on))
    return Part(key=key, kind="vector", answer=[float(x) for x in values], exact=[str(x) for x in values],
                points=points, depends_on=list(depends_on))


def trace_work(entries: list[TraceEntry]) -> dict:
    """For the template: steps[t-1][name] = {"key": part key, "value": list of floats}."""
    steps: list[dict] = []
    for e in entries:
        while len(steps) < e.t:
            steps.append({})
        steps[e.t - 1][e.name] = {"key": e.key, "value": [float(x) for x in e.value]}
    return {"steps": steps}


def follow_on_values(rules: list[Rule], env: dict, steps: int, given: dict[str, Any]) -> dict[str, Any]:
    """Every dependent part's value recomputed from the student's earlier values."""
    out = {}
    for e in run_trace(rules, env, steps, given):
        if e.depends_on:
            out[e.key] = e.value[0] if len(e.value) == 1 else list(e.value)
    return out


def elementwise(f, *columns) -> list:
    return [f(*xs) for xs in zip(*columns)]
