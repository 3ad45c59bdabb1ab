"""Speed of a class set and of grading a whole class (issues 9 and 12).

    python bench/bench_grade_class.py [--versions 200] [--jobs 2]

Times, in one run on this machine:
  - baseline: `probgen check` of one midterm sheet, end to end (a fresh process);
  - a class set of N midterm versions (`exam --versions N`), and how long its merged key takes
    now that it is concatenated from the rendered key PDFs;
  - `probgen grade` of N filled-in sheets (a third of the numeric answers wrong), end to end,
    as seconds and as a multiple of the one-sheet baseline; sizes of the results.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_grade import typed  # noqa: E402



def fill(blank: str, key: dict) -> str:
    answers = {}
    for p in key["problems"]:
        for j, q in enumerate(p["parts"]):
            text = typed(SimpleNamespace(kind=q["kind"], answer=q["answer"]))
            if (p["number"] + j) % 3 == 0 and q["kind"] == "number":
                text = repr(float(q["answer"]) * 1.5 + 1)
            answers[f"{p['number']}{q['key']}"] = text
    out = []
    for line in blank.split("\n"):
        label = line.split(":", 1)[0].strip()
        out.append(f"{label}: {answers[label]}" if not line.startswith("#") and label in answers else line)
    return "\n".join(out)


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--versions", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    py = [sys.executable, "-m", "probgen"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t_set = timed(py + ["exam", "--versions", str(args.versions), "--seed", "2026", "--jobs", str(args.jobs),
                            "-o", str(tmp / "cs")])
        manifest = json.loads((tmp / "cs" / "midterm-class-set.json").read_text())
        from probgen.sheets.merged_key import merge_keys

        keys = [json.loads((tmp / "cs" / r["key_json"]).read_text()) for r in manifest["versions"]]
        t0 = time.perf_counter()
        merge_keys(keys, [tmp / "cs" / r["key_pdf"] for r in manifest["versions"]], manifest["title"],
                   manifest["secret"], tmp / "merged.pdf")
        t_merge = time.perf_counter() - t0
        (tmp / "in").mkdir()
        for r, key in zip(manifest["versions"], keys):
            blank = (tmp / "cs" / r["answer_sheet"]).read_text()
            (tmp / "in" / r["answer_sheet"]).write_text(fill(blank, key))
        first = manifest["versions"][0]
        t_one = min(timed(py + ["check", str(tmp / "cs" / first["key_json"]), str(tmp / "in" / first["answer_sheet"])])
                    for _ in range(3))
        t_grade = timed(py + ["grade", str(tmp / "cs" / "midterm-class-set.json"), str(tmp / "in"),
                              "-o", str(tmp / "results")])
        size = sum(p.stat().st_size for p in (tmp / "results").rglob("*") if p.is_file())
        merged_mb = (tmp / "cs" / manifest["merged_key"]).stat().st_size / 1e6
    n = args.versions
    print(f"baseline: probgen check, one midterm sheet, end to end: {t_one:.2f} s")
    print(f"class set of {n} midterm versions, {args.jobs} workers: {t_set:.1f} s "
          f"(merged key {merged_mb:.1f} MB, assembled from the key PDFs in {t_merge:.2f} s)")
    print(f"probgen grade, {n} sheets, end to end: {t_grade:.1f} s = {t_grade / t_one:.0f}x one check "
          f"({t_grade / n * 1000:.0f} ms a sheet); results {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
