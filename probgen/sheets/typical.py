"""The typical minutes of each family in the slots of the built-in banks, computed ahead and
shipped as `typical_minutes.json` (issue 14).

An exam balances its slot alternatives against the bank's expected work, the median minutes of
each alternative over TYPICAL_SEEDS seeds (`assemble._typical`). Computing that builds nine
problems per alternative before the exam draws its own: most of a cold `probgen exam`. The
table holds exactly what that computation returns for every slot of every bank in banks/; a
slot that is not in it (a bank of one's own) is computed as before.

    python -m probgen.sheets.typical --update     # write the table anew (golden --update does too)

tests/test_typical_minutes.py holds the table equal to a fresh computation."""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("typical_minutes.json")


def slot_key(family_id: str, difficulty: str, convention: str | None, parts: tuple) -> str:
    return f"{family_id}|{difficulty}|{convention or ''}|{','.join(parts)}"


@lru_cache(maxsize=1)
def _table() -> dict[str, float]:
    try:
        return json.loads(TABLE.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def lookup(family_id: str, difficulty: str, convention: str | None, parts: tuple) -> float | None:
    """The shipped typical minutes of a slot, or None when the table does not have it."""
    return _table().get(slot_key(family_id, difficulty, convention, parts))


def compute() -> dict[str, float]:
    """The table, computed afresh for every slot alternative of the built-in banks."""
    from .assemble import compute_typical
    from .banks import bank_names, load_bank

    slots = set()
    for name in bank_names():
        for slot in load_bank(name).slots:
            for fid in slot.families:
                slots.add((fid, slot.difficulty_for(fid), slot.convention, tuple(slot.parts or ())))
    return {slot_key(*s): compute_typical(*s) for s in sorted(slots, key=lambda s: slot_key(*s))}


def write() -> Path:
    TABLE.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    _table.cache_clear()
    return TABLE


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        raise SystemExit("usage: python -m probgen.sheets.typical --update")
    print(f"wrote {write()}")
