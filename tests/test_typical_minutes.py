"""The shipped typical minutes (sheets/typical_minutes.json) are what computing them gives, so an
exam balanced from the table is the exam balanced from scratch (issue 14)."""

import json

from probgen.sheets import assemble, typical
from probgen.sheets.banks import load_bank


def test_the_shipped_table_equals_a_fresh_computation():
    shipped = json.loads(typical.TABLE.read_text("utf-8"))
    fresh = typical.compute()
    stale = sorted(k for k in shipped.keys() | fresh.keys() if shipped.get(k) != fresh.get(k))
    assert not stale, ("typical minutes changed for " + ", ".join(stale[:8]) +
                       ": python -m probgen.sheets.typical --update (golden --update does it too)")


def test_an_exam_from_the_table_is_the_exam_computed_from_scratch(monkeypatch):
    bank = load_bank("optimization")
    assemble._typical.cache_clear()
    with_table = assemble.exam_sheet(bank, 7)
    assert typical.lookup("adam-trace", "medium", "course", ()) is not None
    monkeypatch.setattr(typical, "lookup", lambda *a: None)
    assemble._typical.cache_clear()
    try:
        computed = assemble.exam_sheet(bank, 7)
    finally:
        assemble._typical.cache_clear()
    assert [p.to_dict() for p in with_table.problems] == [p.to_dict() for p in computed.problems]
    assert with_table.time_minutes == computed.time_minutes
