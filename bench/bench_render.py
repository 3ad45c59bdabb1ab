"""Rendering speed: a 10-problem exam with its key (both PDFs and the JSON), and a class set.

    python bench/bench_render.py                 # exam timings + a 100-version class set on 2 workers
    python bench/bench_render.py --versions 20   # a smaller class set
    python bench/bench_render.py --no-class-set

The exam comes from a temporary 10-slot bank cycling through the registered families (so it
grows with the project); "warm" means the process has imported everything and rendered one exam.
Each timed exam uses a fresh seed, so its formulas are new to the typesetting cache, unless
marked "same seed"."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from probgen.sheets.assemble import exam_sheet  # noqa: E402
from probgen.sheets.banks import load_bank  # noqa: E402
from probgen.sheets.publish import write_sheet  # noqa: E402
from probgen.core.registry import load_all, sort_families  # noqa: E402


def ten_slot_bank(folder: Path) -> Path:
    from probgen.core.build import build_problem

    fams = []
    for fam in sort_families(load_all().values()):
        try:  # families still being written by someone else may not build yet
            build_problem(fam.id, 0, "medium")
            fams.append(fam)
        except Exception as exc:  # noqa: BLE001
            print(f"skipping {fam.id}: {exc.__class__.__name__}")
    lines = ['title = "Benchmark exam"', 'time_minutes = 90', ""]
    for i in range(10):
        fam = fams[i % len(fams)]
        lines += ["[[slot]]", f'family = "{fam.id}"', 'difficulty = "medium"', ""]
    path = folder / "bench10.toml"
    path.write_text("\n".join(lines))
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--versions", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-class-set", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bank = load_bank(str(ten_slot_bank(tmp)))
        print(f"load average at start: {os.getloadavg()[0]:.2f} (2 cores shared)")
        t = time.perf_counter()
        write_sheet(exam_sheet(bank, 0), tmp / "out", "warm")
        print(f"first exam in a fresh process (imports, fonts): {time.perf_counter() - t:.3f} s")
        build, total, cpu = [], [], []
        for seed in range(1, args.runs + 1):
            c0 = time.process_time()
            t0 = time.perf_counter()
            sheet = exam_sheet(bank, seed)
            t1 = time.perf_counter()
            write_sheet(sheet, tmp / "out", f"exam{seed}")
            t2 = time.perf_counter()
            build.append(t1 - t0)
            total.append(t2 - t0)
            cpu.append(time.process_time() - c0)
        same = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            write_sheet(exam_sheet(bank, 1), tmp / "out", "again")
            same.append(time.perf_counter() - t0)
        pages = sum(1 for _ in (tmp / "out").glob("exam*.pdf"))
        print(f"10-problem exam + key (2 PDFs + JSON), warm, fresh seeds: median {statistics.median(total):.3f} s, "
              f"min {min(total):.3f} s (of which generate+solve median {statistics.median(build):.3f} s) over {args.runs} seeds")
        print(f"  CPU time per exam (what an idle core would take): median {statistics.median(cpu):.3f} s")
        print(f"same seed again (formula cache warm): median {statistics.median(same):.3f} s")
        del pages
        if not args.no_class_set:
            from probgen.sheets.classset import make_class_set

            for label, b, folder in (("midterm bank", load_bank("midterm"), "class"),
                                     ("10-problem bank", bank, "class10")):
                before = os.times()
                t = time.perf_counter()
                make_class_set(b, 2026, tmp / folder, versions=args.versions, jobs=args.jobs)
                dt = time.perf_counter() - t
                after = os.times()
                cpu_s = sum(getattr(after, f) - getattr(before, f)
                            for f in ("user", "system", "children_user", "children_system"))
                print(f"class set, {label} ({len(b.slots)} problems), {args.versions} versions, {args.jobs} workers: "
                      f"{dt:.2f} s wall ({dt / args.versions * 1000:.0f} ms per version); "
                      f"CPU {cpu_s:.1f} s in all, i.e. {cpu_s / args.jobs:.1f} s on {args.jobs} idle cores")
        print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
