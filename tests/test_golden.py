"""Refactors leave every byte of every family's JSON key and PDFs as recorded (tests/golden)."""

import json

from golden.golden import HASHES, compute


def test_every_family_prints_the_recorded_bytes():
    recorded = json.loads(HASHES.read_text())
    now = compute()
    assert now.keys() == recorded.keys()
    changed = sorted(k for k in recorded if recorded[k] != now[k])
    assert not changed, ("output changed for " + ", ".join(changed[:10]) +
                         " (if intended: python -m tests.golden.golden --update, and say so in the commit)")
