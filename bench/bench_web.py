"""Speed of `probgen serve` and the size of the practice history.

    python bench/bench_web.py [--browser]

Measures, on a real server (waitress on 127.0.0.1, a fresh history):
  - a problem page load over HTTP: first load of a problem (generate + solve + template + HTML
    with MathML) and a reload (the problem cached);
  - an answer round trip: POST /answer, the grader, the history write, the redirect and the
    page it leads to;
  - with --browser: the same page loaded in headless chromium (navigation to 'load');
  - the history after 10,000 attempts: its size on disk, the time to record them one by one
    (each its own transaction, as the apps do), `probgen progress`'s computation and the
    "what I need" choice over them, and the progress page.
Baseline, timed in the same run: the terminal's cost of showing the same problem
(build_problem + render_problem), which every figure is also given as a multiple of.
"""

from __future__ import annotations

import http.cookiejar
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

FAMILIES = ["dropout", "sgd-trace", "attention", "tiny-network", "conv-output-size", "normalization",
            "adam-trace", "backprop-chain", "vae-elbo", "cross-entropy"]


def timed(fn, repeat=1):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(browser: bool) -> None:
    from probgen.core.build import build_problem
    from probgen.render.text import render_problem
    from probgen.web.server import make_server

    folder = Path(tempfile.mkdtemp(prefix="probgen-bench-web-"))
    _, server = make_server("127.0.0.1", 0, str(folder / "h.sqlite3"), threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    get = lambda path: opener.open(base + path, timeout=60).read()  # noqa: E731
    get("/")  # the visit cookie; imports warmed

    # baseline: the terminal showing a problem, new seeds each time (no cache)
    baseline = statistics.median(timed(lambda f=f, s=s: render_problem(build_problem(f, s, "medium"), 1))
                                 for f in FAMILIES for s in (101, 102))
    first, reload_, answer = [], [], []
    for i, family in enumerate(FAMILIES):
        url = f"/practice?family={family}&difficulty=medium&seed={500 + i}"
        first.append(timed(lambda: get(url)))
        reload_.append(timed(lambda: get(url), repeat=5))
        page = get(url).decode()
        sitting = page.split('name="sitting" value="')[1].split('"')[0]
        started = page.split('name="started" value="')[1].split('"')[0]
        problem = build_problem(family, 500 + i, "medium")
        part = problem.parts[0]
        fields = {"family": family, "difficulty": "medium", "seed": str(500 + i), "sitting": sitting,
                  "started": started, "check": part.key}
        from probgen.web.forms import field_names

        for name in field_names(part):
            fields[name] = "1"
        data = urllib.parse.urlencode(fields).encode()
        answer.append(timed(lambda: opener.open(base + "/answer", data=data, timeout=60).read()))
    rows = [("baseline: terminal build + render of a problem", baseline),
            ("problem page, first load (HTTP)", statistics.median(first)),
            ("problem page, reload (HTTP)", statistics.median(reload_)),
            ("answer round trip: POST, grade, record, redirect, page", statistics.median(answer))]
    if browser:
        rows.append(("problem page in headless chromium (to 'load')", browser_load(base)))
    db_rows = history_figures(folder, opener, base)
    server.close()
    print(f"{'measure':<58} {'median':>10} {'x baseline':>11}")
    for name, seconds in rows + db_rows[0]:
        print(f"{name:<58} {seconds * 1000:>8.1f} ms {seconds / baseline:>10.1f}x")
    for name, value in db_rows[1]:
        print(f"{name:<58} {value}")


def browser_load(base: str) -> float:
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"]
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = b.new_page()
        page.goto(base + "/")
        times = []
        for i, family in enumerate(FAMILIES):
            url = f"{base}/practice?family={family}&difficulty=medium&seed={900 + i}"
            t0 = time.perf_counter()
            page.goto(url, wait_until="load")
            times.append(time.perf_counter() - t0)
        b.close()
    return statistics.median(times)


def history_figures(folder: Path, opener, base: str):
    from probgen.core.registry import load_all, sort_families
    from probgen.practice.progress import progress_data
    from probgen.practice.scheduler import plan
    from probgen.practice.store import Attempt, History, read_attempts

    path = folder / "big.sqlite3"
    fams = sort_families(load_all().values())
    h = History(path)
    t0 = time.perf_counter()
    for i in range(10_000):
        fam = fams[(i // 5) % len(fams)]
        h.record(Attempt(family=fam.id, version=1, seed=i // 5, difficulty=("easy", "medium", "hard")[i % 3],
                         convention=None, topic=fam.topic, part="abcde"[i % 5], answer="[0.25, -1.5]",
                         verdict="correct" if i % 3 else "wrong", points=1.0 if i % 3 else 0.0, max_points=1.0,
                         mistake=None if i % 3 else "forgot the bias correction", seconds=12.5,
                         source="practice", session=f"s{i // 200}", problem_no=i // 5,
                         at=f"2026-{1 + (i * 11) // 10_000:02d}-{1 + i % 27:02d}T10:{i % 60:02d}:00+00:00"))
    record_time = (time.perf_counter() - t0) / 10_000
    h.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    h.close()
    size = path.stat().st_size
    attempts = read_attempts(path)
    read_time = timed(lambda: read_attempts(path), repeat=3)
    progress_time = timed(lambda: progress_data(attempts), repeat=3)
    plan_time = timed(lambda: plan(attempts, fams), repeat=3)
    times = [("record one attempt (own transaction, WAL)", record_time),
             ("read 10,000 attempts", read_time),
             ("progress figures over 10,000 attempts", progress_time),
             ("'what I need' choice over 10,000 attempts", plan_time)]
    return times, [("history size after 10,000 attempts", f"{size / 1024:.0f} KiB ({size / 10_000:.0f} bytes an attempt)")]


if __name__ == "__main__":
    main("--browser" in sys.argv[1:])
