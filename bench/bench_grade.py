"""Speed of grading.

    python bench/bench_grade.py

Targets (issue 4):
  - `probgen check` on a 10-problem sheet: < 0.5 s end to end (a fresh process: start-up,
    imports, key verification by regeneration, parsing, judging, report);
  - >= 10,000 numeric parts a second judged in-process (parse + judge, key already loaded);
  - an expression check (parse, substitute definitions, decide equivalence) <= 5 ms.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from probgen.sheets.answer_key import dumps, make_key
from probgen.core.build import build_problem
from probgen.grading.judge import ProblemGrader
from probgen.core.model import Part, Problem
from probgen.core.registry import load_all


def typed(part) -> str:
    if part.kind == "number":
        return repr(part.answer)
    if part.kind == "vector":
        return "[" + ", ".join(repr(v) for v in part.answer) + "]"
    if part.kind == "matrix":
        return "[" + ", ".join("[" + ", ".join(repr(v) for v in row) + "]" for row in part.answer) + "]"
    if part.kind == "shape":
        return " x ".join(part.answer)
    return str(part.answer)


def ten_problem_sheet(folder: Path) -> tuple[Path, Path, list[str]]:
    """A key of 10 problems from 10 different families (each one's template compiled, as in an
    exam) and the sheet with every answer filled in, a third of them wrong."""
    fids = sorted(load_all())
    step = max(1, len(fids) // 10)
    chosen, problems = [], []
    for fid in fids[::step] + fids:  # spread over the registry; skip a family still being written
        if len(chosen) == 10 or fid in chosen:
            continue
        try:
            problems.append(build_problem(fid, 7 + len(chosen), "medium"))
            chosen.append(fid)
        except Exception as exc:  # noqa: BLE001
            print(f"(skipped {fid}: {type(exc).__name__})", file=sys.stderr)
    key = folder / "key.json"
    key.write_text(dumps(make_key(problems, kind="exam", title="bench", seed=7)), encoding="utf-8")
    lines = []
    for n, problem in enumerate(problems, start=1):
        for j, part in enumerate(problem.parts):
            text = typed(part)
            if (n + j) % 3 == 0 and part.kind == "number":
                text = repr(part.answer * 1.5 + 1)
            lines.append(f"{n}{part.key}: {text}")
    sheet = folder / "answers.txt"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return key, sheet, chosen


def median_run(command: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def end_to_end(key: Path, sheet: Path) -> tuple[float, float]:
    """`probgen check`, and the floor under it on this machine right now: a process that only
    imports SymPy (which regenerating any problem needs)."""
    check = median_run(["probgen", "check", str(key), str(sheet)])
    floor = median_run([sys.executable, "-c", "import sympy"])
    return check, floor


def numeric_parts_per_second(n: int = 30000) -> float:
    problem = Problem(family="bench", version=1, seed=0, difficulty="medium", convention=None, title="b",
                      section="fundamentals", topic="losses", params={}, statement="",
                      parts=[Part(key="a", kind="number", answer=0.123456, points=1),
                             Part(key="b", kind="vector", answer=[0.25, -1.5, 3.0], points=1)])
    texts = ["0.123456", "0.123", "3/4", "-1.5e-3", "ln(2)"]
    a, b = problem.parts
    t0 = time.perf_counter()
    for i in range(n):
        grader = ProblemGrader(problem, 1)
        grader.grade(a, texts[i % 5])
    single = n / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for i in range(n // 3):
        ProblemGrader(problem, 1).grade(b, "[0.25, -1.5, 3]" if i % 2 else "[0.25, −1.6, 3/1]")
    vector_entries = 3 * (n // 3) / (time.perf_counter() - t0)
    return single, vector_entries


def expression_check_ms(n: int = 200) -> tuple[float, float]:
    part = Part(key="a", kind="expression", answer="2*u**2*cos(x) + y", tolerance=0,
                variables={"u": None, "x": "u**2", "y": "sin(x)"})
    problem = Problem(family="bench", version=1, seed=0, difficulty="medium", convention=None, title="b",
                      section="fundamentals", topic="losses", params={}, statement="", parts=[part])
    answers = ["y + 2*u^2*cos(x)", "2*u*cos(x) + y", "sin(u^2) + 2 u² cos(u^2)", "e^u + ln(x)",
               "σ(u) * tanh(x) - sqrt(y + 4)"]
    t0 = time.perf_counter()
    ProblemGrader(problem, 1).grade(part, answers[0])  # the first check pays for loading SymPy
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(n):
        ProblemGrader(problem, 1).grade(part, answers[i % len(answers)])
    return first * 1000, (time.perf_counter() - t0) / n * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        key, sheet, chosen = ten_problem_sheet(Path(folder))
        e2e, floor = end_to_end(key, sheet)
    single, entries = numeric_parts_per_second()
    first_ms, expr_ms = expression_check_ms()
    print(f"families on the 10-problem sheet: {', '.join(chosen)}")
    print(f"`probgen check` on a 10-problem sheet: {e2e:.3f} s median of 7 (target < 0.5 s); "
          f"`python -c 'import sympy'` alone: {floor:.3f} s")
    print(f"numeric parts judged in-process: {single:,.0f} /s (target >= 10,000 /s)")
    print(f"vector entries judged in-process: {entries:,.0f} /s")
    print(f"expression check: {expr_ms:.2f} ms mean over 200 (target <= 5 ms); first one {first_ms:.0f} ms "
          "(loads SymPy)")


if __name__ == "__main__":
    sys.exit(main())
