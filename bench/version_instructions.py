"""Instructions (not seconds) of class-set versions, for A/B comparisons on a busy machine.

CPU time on a shared 2-core machine moved by ±20% between back-to-back runs of the same code
(issue 14, 2026-12-02); valgrind's instruction count does not. Run under callgrind with
collection only inside the measured versions:

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out \\
        --collect-atstart=no --toggle-collect=map_next \\
        /path/to/python3.11 bench/version_instructions.py [ROOT] [VERSIONS]

and read "Collected" (instructions in versions 1..VERSIONS of the core bank, after the warm-up
and one unmeasured version). ROOT is the source tree to measure (default: this one); use the
real interpreter, not a pyenv shim (valgrind would trace the shell script). Slow: about three
minutes for 3 versions, most of it the imports. (Code run inside a nested map() iterator step in
the measured versions toggles collection off for that step; a few instructions per character
looked up, well under 0.1% here.)
"""

import sys
import tempfile
from pathlib import Path

root = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parent.parent)
versions = int(sys.argv[2]) if len(sys.argv) > 2 else 3
sys.path.insert(0, root)

from probgen.sheets.banks import load_bank  # noqa: E402
from probgen.sheets.classset import _render_version, _warm_up, version_seed  # noqa: E402

bank = load_bank("core")
tmp = tempfile.mkdtemp()
_warm_up(bank)
_render_version((str(bank.path), 999, version_seed("0" * 32, 2026, 999), None, tmp, "core-v999", "bench"))


def measured(_):
    for n in range(1, versions + 1):
        _render_version((str(bank.path), n, version_seed("0" * 32, 2026, n), None, tmp, f"core-v{n:03d}", "bench"))


list(map(measured, [0]))  # the one call of map's iterator (map_next) that callgrind collects in
