"""optim_trace.search_chains searches on integers (issue 14: the Fraction search was a third of a
cold optimization exam), and friendly_chains reads the settings the families use from a shipped
table (kit/friendly_chains.json, tools/chain_table.py). Both are held equal, order included, to
the definition computed plainly with Fractions, for every hyperparameter setting the trace
families use and a few more (an ε inside the root, other grids: searched, not in the table)."""

from fractions import Fraction
import subprocess
import sys
from math import isqrt
from pathlib import Path

import pytest

from probgen.families import adam_trace, adaptive_trace
from probgen.kit.optim_trace import MAX_GRADIENT, _shipped_chains, chain_key, friendly_chains, search_chains

ROOT = Path(__file__).resolve().parent.parent


def _friendly(q: Fraction) -> bool:
    """√q is a positive decimal with at most two places: √q = n/100 for a whole n > 0."""
    if q <= 0:
        return False
    n = isqrt(int(q * 10000))  # the largest candidate n with (n/100)² ≤ q
    return Fraction(n, 100) ** 2 == q


def _reference(steps, decay, inside, bias_correct=False, grid_step="0.05"):
    """Depth-first over the grid, smallest first: every chain whose root is friendly at each step."""
    beta = None if decay is None else Fraction(decay)
    unit = Fraction(grid_step)
    grid = [unit * k for k in range(1, int(MAX_GRADIENT / unit) + 1)]
    out = []

    def walk(chain, v):
        if len(chain) == steps:
            out.append(tuple(chain))
            return
        t = len(chain) + 1
        for g in grid:
            nv = v + g * g if beta is None else beta * v + (1 - beta) * g * g
            arg = nv / (1 - beta ** t) if bias_correct else nv + Fraction(inside)
            if _friendly(arg):
                walk(chain + [g], nv)

    walk([], Fraction(0))
    return tuple(out)


def _family_settings():
    steps = sorted({s for s, _ in adaptive_trace.SHAPE.values()} | {s for s, _ in adam_trace.SHAPE.values()})
    out = []
    for n in steps:
        out += [(n, None, "0")] + [(n, repr(b), "0") for b in adaptive_trace.RMSPROP_BETAS]
        out += [(n, repr(b), "0", True, "0.1") for b in adam_trace.BETA2]
    return out


@pytest.mark.parametrize("setting", _family_settings() + [
    (2, None, "0.01"), (2, "0.9", "0.21"), (1, "0.96", "0.0001"), (2, "0.75", "0", True, "0.05"),
    (1, None, "0", False, "0.25"), (2, "0.5", "0", False, "0.1")], ids=str)
def test_integer_search_equals_the_fraction_definition(setting):
    expected = _reference(*setting)
    for got in (search_chains(*setting), friendly_chains(*setting)):
        assert got == expected
        assert all(type(g) is Fraction for chain in got for g in chain)


def test_the_table_holds_every_setting_the_families_use_and_nothing_else_is_stale():
    keys = {chain_key(*(s + (False, "0.05") if len(s) == 3 else s)) for s in _family_settings()}
    assert keys == set(_shipped_chains())
    tool = subprocess.run([sys.executable, str(ROOT / "tools" / "chain_table.py"), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert tool.returncode == 0, tool.stderr


def test_the_tables_are_not_trivial():
    # the definition's own examples: √(0.25) = 0.5 is friendly, one step of Adagrad takes every g
    assert len(friendly_chains(1, None, "0")) == int(MAX_GRADIENT / Fraction("0.05"))
    assert (Fraction(1, 2), Fraction(1, 2)) not in friendly_chains(2, None, "0")  # √0.5 is not a decimal
    assert (Fraction(3, 20), Fraction(1, 5)) in friendly_chains(2, None, "0")  # √(0.0225 + 0.04) = 0.25
