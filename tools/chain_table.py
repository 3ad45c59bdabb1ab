"""Write probgen/kit/friendly_chains.json: the friendly gradient-magnitude chains
(optim_trace.search_chains) of every hyperparameter setting the optimizer-trace families use.

    python tools/chain_table.py           # rewrite the table
    python tools/chain_table.py --check   # exit 1 if the stored table differs from a fresh search

A cold exam with Adagrad/RMSProp/Adam traces searched several settings per draw (1-4 ms each);
optim_trace.friendly_chains reads them from the table and searches only a setting it lacks.
tests/test_optim_chains.py runs --check and holds the search equal to the Fraction definition.
Run it after changing the families' step counts, β or β₂ sets (the table is written with
sorted keys, so a change shows as a small diff)."""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from probgen.families import adam_trace, adaptive_trace  # noqa: E402
from probgen.kit.optim_trace import CHAIN_TABLE, chain_key, search_chains  # noqa: E402

MAX_STEPS = 2  # the families trace at most two steps (an easy draw may ask for a second step's table)


def settings() -> list[tuple]:
    """(steps, decay, inside, bias_correct, grid_step) of every table the families look up."""
    out = []
    for steps in range(1, MAX_STEPS + 1):
        for decay in (None, *map(repr, adaptive_trace.RMSPROP_BETAS)):
            out.append((steps, decay, "0", False, "0.05"))  # adaptive_trace.table
        for beta2 in adam_trace.BETA2:
            out.append((steps, repr(beta2), "0", True, "0.1"))  # adam_trace (Adam's v̂)
    return out


def table() -> dict[str, list[list[int]]]:
    """chain_key -> each chain as whole multiples of its grid step."""
    out = {}
    for s in settings():
        unit = Fraction(s[-1])
        out[chain_key(*s)] = [[int(g / unit) for g in chain] for chain in search_chains(*s)]
    return out


def dumps(data: dict) -> str:
    """One line per setting, chains compact: a small file whose diff shows what changed."""
    lines = [f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in sorted(data.items())]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the stored table differs")
    args = ap.parse_args()
    text = dumps(table())
    if args.check:
        stored = CHAIN_TABLE.read_text("utf-8") if CHAIN_TABLE.exists() else ""
        if stored != text:
            print(f"{CHAIN_TABLE} differs from a fresh search: python tools/chain_table.py", file=sys.stderr)
            return 1
        print(f"{CHAIN_TABLE}: up to date ({len(settings())} settings)")
        return 0
    CHAIN_TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {CHAIN_TABLE} ({len(settings())} settings, {len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
