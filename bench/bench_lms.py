"""Size and time of LMS exports.

    python bench/bench_lms.py

Measured: `probgen lms moodle midterm --variants 20` and `probgen lms canvas midterm --variants 20`
end to end (a fresh process each: imports, generating the 180 problems, graph PNGs, writing), the
median of 3 runs in CPU seconds of the process (and wall seconds), with the file size; and, as the baseline timed in the same run, a fresh
process that only builds the same 180 problems (`resolve`), so the ratio says what the export adds.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3


def timed(args: list[str], cwd: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child): on a shared machine the CPU time is the steadier."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


SECRET = "0123456789abcdef" * 2  # the same problems (and bytes) in every run: a rerun may replace the file


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        baseline = [timed([sys.executable, "-c", "from probgen.lms.source import resolve; "
                                                 f"resolve('midterm', 20, 1, None, None, '{SECRET}')"], tmp) for _ in range(RUNS)]
        base = statistics.median(c for _, c in baseline)
        print(f"baseline (build the 180 problems of midterm x 20 in a fresh process): {base:.2f} s CPU "
              f"({statistics.median(w for w, _ in baseline):.2f} s wall), median of {RUNS}")
        for fmt, name in (("moodle", "m.xml"), ("canvas", "c.zip")):
            runs = [timed([sys.executable, "-m", "probgen", "lms", fmt, "midterm", "--variants", "20", "--seed", "1",
                           "--secret", SECRET, "-o", name], tmp) for _ in range(RUNS)]
            cpu, wall = statistics.median(c for _, c in runs), statistics.median(w for w, _ in runs)
            size = (Path(tmp) / name).stat().st_size
            print(f"probgen lms {fmt} midterm --variants 20: {cpu:.2f} s CPU ({wall:.2f} s wall), median of {RUNS} "
                  f"({cpu / base:.2f}x the baseline's CPU), {size:,} bytes")


if __name__ == "__main__":
    main()
