import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# Tests that start `python -c "from probgen..."` in another folder must run this checkout's code,
# not whichever copy happens to be installed (a worktree, a stale editable install).
_ROOT = str(Path(__file__).resolve().parent.parent)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)

# Seeds per difficulty in the seed sweeps. CI runs 120 (the suite stays near six minutes); a full sweep: PROBGEN_SWEEP_SEEDS=2000 pytest -m sweep
# Whether the sweep size was asked for: the grading sweep (every family, every mistake graded)
# runs a small CI size unless it was.
os.environ.setdefault("PROBGEN_SWEEP_ASKED", "1" if "PROBGEN_SWEEP_SEEDS" in os.environ else "0")
os.environ.setdefault("PROBGEN_SWEEP_SEEDS", "120")

# Cross-checks call torch on tiny tensors thousands of times; its thread pool only adds overhead
# there (and contends on a 2-core machine): one thread makes those calls ~100x faster.
import torch  # noqa: E402

torch.set_num_threads(1)


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _private_history(tmp_path_factory, monkeypatch):
    """Every test (and every process it starts) records practice history in a folder of its own,
    never in the user's data directory."""
    monkeypatch.setenv("PROBGEN_HOME", str(tmp_path_factory.mktemp("probgen-home")))


def pytest_collection_modifyitems(config, items):
    """Every family test sweeps seeds: mark them `sweep`, with the shared stress tests (one hook: a
    second definition would replace this one)."""
    for item in items:
        if "/tests/families/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.sweep)
