"""Issue 14's figures, each as a ratio to `python -c "import sympy"` timed in the same run.

    python bench/bench_speed.py                    # everything (a few minutes)
    python bench/bench_speed.py --runs 5 --versions 100
    python bench/bench_speed.py --only cold        # cold commands only
    python bench/bench_speed.py --only version     # per-version CPU in a class set only
    python bench/bench_speed.py --only expr        # expression checks only
    python bench/bench_speed.py --only expr --code /tmp/old   # the same, of another tree
    python bench/bench_speed.py --only memory --versions 1000   # a whole class set: CPU, peak memory

CPU = user + system seconds of the whole process tree (the operating system's accounting of the
finished children), not wall time: the machine is shared, CPU time is what an idle core would
take. Commands run in turn (baseline, A, B, ..., baseline, A, B, ...) so a drift of the machine's
speed moves all of them; each figure is the median (and the minimum) of --runs runs, and its ratio
is to the baseline's median. Commands run as `python -m probgen` from the tree this script sits in,
with bytecode caching on, as in an installed package (pip compiles modules on install; this
machine's environment sets PYTHONDONTWRITEBYTECODE=1, which would make every cold run compile
probgen's sources again and the baseline, SymPy's compiled files, look cheap beside it).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
NUMERIC_FAMILIES = ("adam-trace", "architecture-trace", "conv-output-size", "conv-params", "conv2d-numeric",
                    "inception-concat", "momentum-trace", "pooling", "receptive-field", "sgd-trace")


def cpu_run(cmd: list[str], cwd: Path = ROOT) -> float:
    """CPU seconds of one run of `cmd` in `cwd` and every process it waited for (`python -m
    probgen` runs the tree in `cwd`)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, env=ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} (in {cwd}) failed: {proc.stderr.decode()[-500:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def numeric_sheet(folder: Path) -> tuple[Path, Path]:
    """A 10-problem key of numeric families (no expression part) and every answer typed in,
    a third of them wrong."""
    from probgen.core.build import build_problem
    from probgen.sheets.answer_key import dumps, make_key

    problems = [build_problem(fid, 11 + i, "medium") for i, fid in enumerate(NUMERIC_FAMILIES)]
    assert all(p.kind != "expression" for pr in problems for p in pr.parts)
    key = folder / "key.json"
    key.write_text(dumps(make_key(problems, kind="exam", title="bench", seed=11)), encoding="utf-8")
    lines = []
    for n, problem in enumerate(problems, start=1):
        for j, part in enumerate(problem.parts):
            if part.kind == "number":
                value = part.answer * 1.5 + 1 if (n + j) % 3 == 0 else part.answer
                text = repr(value)
            elif part.kind == "vector":
                text = "[" + ", ".join(repr(v) for v in part.answer) + "]"
            elif part.kind == "matrix":
                text = "[" + ", ".join("[" + ", ".join(repr(v) for v in r) + "]" for r in part.answer) + "]"
            elif part.kind == "shape":
                text = " x ".join(str(d) for d in part.answer)
            else:
                text = str(part.answer)
            lines.append(f"{n}{part.key}: {text}")
    answers = folder / "answers.txt"
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return key, answers


def table(rows: dict[str, list[float]], base: str) -> None:
    b = statistics.median(rows[base])
    print(f"{'command':58} {'median s':>9} {'min s':>7} {'ratio':>6}")
    for name, xs in rows.items():
        m = statistics.median(xs)
        print(f"{name:58} {m:9.3f} {min(xs):7.3f} {m / b:6.2f}")


def cold(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        key, answers = numeric_sheet(tmp)
        cmds = {
            'python -c "import sympy" (baseline)': [PY, "-c", "import sympy"],
            "probgen --help": [PY, "-m", "probgen", "--help"],
            "probgen list": [PY, "-m", "probgen", "list"],
            "probgen exam --bank optimization (cold)": [PY, "-m", "probgen", "exam", "--bank", "optimization",
                                                        "-o", str(tmp / "o")],
            "probgen exam --bank core (cold)": [PY, "-m", "probgen", "exam", "--bank", "core", "-o", str(tmp / "c")],
            "probgen check, 10-problem numeric sheet (cold)": [PY, "-m", "probgen", "check", str(key), str(answers)],
        }
        rows: dict[str, list[float]] = {k: [] for k in cmds}
        for k, c in cmds.items():  # one warm-up each (disk cache, bytecode)
            cpu_run(c)
        for _ in range(runs):
            for k, c in cmds.items():
                rows[k].append(cpu_run(c))
        print(f"cold commands, CPU of the process tree, {runs} runs each, interleaved:")
        table(rows, 'python -c "import sympy" (baseline)')


def per_version(runs: int, versions: int) -> None:
    """CPU of one class-set version (student PDF, key PDF, JSON key, with its generation), in a
    process that has already made a version, over `versions` versions of the core bank."""
    code = f"""
import sys, time, tempfile, statistics
sys.path.insert(0, {str(ROOT)!r})
from probgen.sheets.banks import load_bank
from probgen.sheets.classset import _render_version, _warm_up, version_seed
bank = load_bank("core")
tmp = tempfile.mkdtemp()
_warm_up(bank)
per = []
for n in range(1, {versions} + 1):
    t = time.process_time()
    _render_version((str(bank.path), n, version_seed("0" * 32, 2026, n), None, tmp, f"core-v{{n:03d}}", "bench"))
    per.append(time.process_time() - t)
print(len(bank.slots), statistics.median(per), min(per), sum(per))
"""
    base, ver = [], []
    problems = 0
    for _ in range(runs):
        base.append(cpu_run([PY, "-c", "import sympy"]))
        out = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                             env=ENV).stdout
        n, med, low, total = out.split()
        problems = int(n)
        ver.append(float(total) / versions)
    b = statistics.median(base)
    m = statistics.median(ver)
    print(f"class-set version of the core bank ({problems} problems), {versions} versions, one process, "
          f"{runs} runs: CPU per version median {m * 1000:.1f} ms (min {min(ver) * 1000:.1f} ms), "
          f"per exercise {m / problems * 1000:.2f} ms; ratio per exercise to import sympy "
          f"({b:.3f} s) {m / problems / b:.4f}")


def memory(versions: int, jobs: int) -> None:
    """A whole class set (`probgen exam --versions N`): CPU of the tree and peak memory of the
    largest process and of all processes together (sampled from /proc)."""
    with tempfile.TemporaryDirectory() as tmp:
        base = cpu_run([PY, "-c", "import sympy"])
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.Popen([PY, "-m", "probgen", "exam", "--bank", "core", "--versions", str(versions),
                                 "--seed", "2026", "--jobs", str(jobs), "-o", tmp], cwd=ROOT, env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        peak_tree = peak_pss = 0
        while proc.poll() is None:
            peak_tree = max(peak_tree, _tree_rss(proc.pid))
            peak_pss = max(peak_pss, _tree_rss(proc.pid, proportional=True))
            time.sleep(0.05)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode:
            raise SystemExit(proc.stderr.read().decode()[-500:])
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(f"class set, core bank, {versions} versions, {jobs} workers: CPU {cpu:.1f} s "
              f"({cpu / versions * 1000:.0f} ms per version, merged key included); peak of the largest "
              f"process {after.ru_maxrss / 1024:.0f} MiB; of the process tree (sampled every 0.05 s): resident "
              f"{peak_tree / 1024:.0f} MiB summed (pages workers share with the parent counted in each), "
              f"proportional {peak_pss / 1024:.0f} MiB (each shared page once); "
              f"import sympy {base:.3f} s")


def _pss(pid: int) -> int:
    """Proportional set size (KiB): each page shared by n processes counts 1/n in each, so the
    sum over a tree of forked workers counts the pages they share with their parent once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_rss(pid: int, proportional: bool = False) -> int:
    """Resident KiB of pid and its descendants (`proportional`: their PSS summed)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
            ppid = int(parts[1])
            rss[int(d)] = _pss(int(d)) if proportional else int(parts[21]) * resource.getpagesize() // 1024
            children.setdefault(ppid, []).append(int(d))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


def expression_checks(runs: int) -> None:
    """p50/p90 of one expression check with cold caches: in a process that has imported the
    grader and judged one answer (SymPy's lazily imported parts are loaded), every check starts
    with SymPy's cache and probgen's grading caches cleared (so it pays for reading the part's
    reference, definitions and mistakes, as one `probgen check` of a sheet does), with a fresh
    ProblemGrader. Two sets: the hand-made part of issue 14's first figure (no named mistakes),
    and backprop-chain's part d of 12 instances (seeds 0-3 at each difficulty) answered with the
    key's answer as typed (^ for **), each named mistake and a wrong answer (the answer + 1)."""
    code = f"""
import sys, time, functools, gc
sys.path.insert(0, {str(ROOT)!r})
from probgen.core.build import build_problem
from probgen.core.model import Part, Problem
from probgen.core.registry import get_family
from probgen.grading.judge import ProblemGrader
from sympy.core.cache import clear_cache
answers = ["y + 2*u^2*cos(x)", "2*u*cos(x) + y", "sin(u^2) + 2 u² cos(u^2)", "e^u + ln(x)",
           "σ(u) * tanh(x) - sqrt(y + 4)", "2*u^2*cos(u^2) + sin(u^2)", "exp(-u)/(1+exp(-u))^2",
           "1/(1 + e^(-x))", "(u + 1)^3 - u^3", "log(1 + u^2) / 2"]
part = Part(key="a", kind="expression", answer="2*u**2*cos(x) + y", tolerance=0,
            variables={{"u": None, "x": "u**2", "y": "sin(x)"}})
problem = Problem(family="bench", version=1, seed=0, difficulty="medium", convention=None, title="b",
                  section="fundamentals", topic="losses", params={{}}, statement="", parts=[part])
family = get_family("backprop-chain")
chain = []
for difficulty in ("easy", "medium", "hard"):
    for seed in range(4):
        p = build_problem("backprop-chain", seed, difficulty)
        d = p.part("d")
        texts = [d.answer.replace("**", "^")] + [m.value for m in d.misconceptions] + [f"{{d.answer}} + 1"]
        chain += [(p, d, t) for t in texts]
ProblemGrader(problem, 1).grade(part, "u")
caches = [f for m in list(sys.modules.values()) if getattr(m, "__name__", "").startswith("probgen.grading")
          for f in vars(m).values() if hasattr(f, "cache_clear")]
def timed(prob, prt, text, fam):
    clear_cache()
    for f in caches:
        f.cache_clear()
    gc.collect()
    t = time.process_time()
    ProblemGrader(prob, 1, fam).grade(prt, text)
    return time.process_time() - t
first = [timed(problem, part, a, None) for _ in range({runs}) for a in answers]
second = [timed(p, d, t, family) for _ in range(max(1, {runs} // 3)) for p, d, t in chain]
print(" ".join(map(str, first)))
print(" ".join(map(str, second)))
"""
    proc = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=ENV)
    lines = proc.stdout.split("\n")
    for label, line in (("hand-made part, 10 answers", lines[0]),
                        ("backprop-chain d, 12 instances, key + mistakes + a wrong answer", lines[1])):
        times = sorted(float(x) for x in line.split())
        p90 = times[int(0.9 * (len(times) - 1))]
        print(f"expression check, cold caches (SymPy's and probgen's grading caches cleared before each), "
              f"{label}, {len(times)} checks: median {statistics.median(times) * 1000:.2f} ms, "
              f"p90 {p90 * 1000:.2f} ms, max {times[-1] * 1000:.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--versions", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", choices=["cold", "version", "expr", "memory"])
    ap.add_argument("--code", help="measure the probgen tree at this path (e.g. an older commit's "
                    "`git archive`) with this script, for a before/after in the same run")
    args = ap.parse_args()
    if args.code:
        global ROOT
        ROOT = Path(args.code).resolve()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.2f}, "
          f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, code at {ROOT}")
    if args.only in (None, "cold"):
        cold(args.runs)
    if args.only in (None, "version"):
        per_version(max(1, args.runs // 2), args.versions)
    if args.only in (None, "expr"):
        expression_checks(max(3, args.runs))
    if args.only == "memory":
        memory(args.versions, args.jobs)
    print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
