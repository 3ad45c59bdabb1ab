"""`probgen progress`: the per-topic figures, the table, --json, --plot, and bad input."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from click.testing import CliRunner

from probgen.cli import cli, main
from probgen.practice.progress import bar, progress_data
from probgen.practice.store import History

from test_scheduler import sitting_rows

NOW = datetime.now(timezone.utc)


def history_with(path, rows):
    h = History(path)
    for r in rows:
        h.record(r)
    h.close()


def sample_rows():
    rows = sitting_rows("dropout", [(2, 2), (0, 3)], when=NOW - timedelta(days=2), problem_no=1,
                        mistake="forgot to scale by 1/(1-p)")
    rows += sitting_rows("dropout", [(0, 2), (3, 3)], when=NOW - timedelta(days=1), problem_no=2,
                         mistake="forgot to scale by 1/(1-p)")
    rows += sitting_rows("weight-penalty", [(1, 1), (0, 2)], when=NOW - timedelta(hours=5), problem_no=3,
                         mistake="L1's gradient taken as 2w")
    rows += sitting_rows("attention", [(1, 1)], when=NOW - timedelta(hours=2), problem_no=4)
    return rows


def test_figures_per_topic():
    data = progress_data(sample_rows(), NOW)
    topics = {t["topic"]: t for t in data["topics"]}
    reg, tr = topics["regularization"], topics["transformers"]
    assert (data["attempts"], data["problems"]) == (7, 4)
    assert reg["attempts"] == 6 and reg["problems"] == 3
    assert reg["recent_accuracy"] == round(3 / 6, 4)
    assert reg["mistakes"][0] == {"name": "forgot to scale by 1/(1-p)", "count": 2}
    assert reg["mistakes"][1] == {"name": "L1's gradient taken as 2w", "count": 1}
    # sittings' scores oldest first: 2/5, 3/5, 1/3; mastery by hand
    w = [1, 0.85, 0.85 ** 2]
    assert abs(reg["mastery"] - round((1 / 3 * w[0] + 3 / 5 * w[1] + 2 / 5 * w[2]) / (sum(w) + 1), 4)) < 1e-4
    assert tr["attempts"] == 1 and tr["recent_accuracy"] == 1 and tr["next_due"]
    assert topics["pooling"]["attempts"] == 0 and topics["pooling"]["status"] == "new"
    assert len(data["topics"]) == 15 and data["points"] == 7 and data["max_points"] == 14


def test_bars():
    assert bar(0) == "··········" and bar(1) == "██████████" and bar(0.55) == "█████▌····"
    assert bar(None).strip() == ""


def test_progress_table_json_and_plot(tmp_path):
    db = tmp_path / "h.sqlite3"
    history_with(db, sample_rows())
    runner = CliRunner()
    table = runner.invoke(cli, ["progress", "--db", str(db)])
    assert table.exit_code == 0, table.output
    line = next(line for line in table.output.splitlines() if line.startswith("regularization"))
    assert " 6 " in line and "50%" in line and "█████" in line
    assert "2×  regularization: forgot to scale by 1/(1-p)" in table.output
    assert all(len(line) <= 100 for line in table.output.splitlines()[:20])
    as_json = runner.invoke(cli, ["progress", "--db", str(db), "--json"])
    data = json.loads(as_json.output)
    assert {t["topic"]: t["attempts"] for t in data["topics"]}["regularization"] == 6
    png = tmp_path / "p.png"
    plotted = runner.invoke(cli, ["progress", "--db", str(db), "--plot", str(png)])
    assert plotted.exit_code == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def test_an_empty_history_says_how_to_start(tmp_path):
    out = CliRunner().invoke(cli, ["progress", "--db", str(tmp_path / "none.sqlite3")]).output
    assert "No practice recorded yet" in out and "probgen practice" in out


def test_bad_input_is_one_line_exit_2(tmp_path, capsys):
    damaged = tmp_path / "bad.sqlite3"
    damaged.write_bytes(b"garbage" * 1000)
    for args, needle in [(["--db", str(damaged)], "cannot read it"),
                         (["--plot", str(tmp_path / "chart.jpg")], ".png or .svg")]:
        try:
            main(["progress", *args])
            code = 0
        except SystemExit as exc:
            code = exc.code
        err = capsys.readouterr().err
        assert code == 2 and len(err.strip().splitlines()) == 1 and needle in err, err


def test_plot_replaces_only_its_own_chart(tmp_path, capsys):
    """--plot never overwrites a file that is not a chart it wrote, nor writes through a link."""
    db = tmp_path / "h.sqlite3"
    history_with(db, sample_rows())

    def run(*args):
        try:
            main(["progress", "--db", str(db), *args])
            code = 0
        except SystemExit as exc:
            code = exc.code
        return code, capsys.readouterr().err

    notes = tmp_path / "notes.png"
    notes.write_text("my notes\n")
    code, err = run("--plot", str(notes))
    assert code == 2 and "--force" in err and len(err.strip().splitlines()) == 1
    assert notes.read_text() == "my notes\n"
    target = tmp_path / "target.txt"
    target.write_text("keep\n")
    link = tmp_path / "link.png"
    link.symlink_to(target)
    code, err = run("--plot", str(link))
    assert code == 2 and "symbolic link" in err and target.read_text() == "keep\n" and link.is_symlink()
    chart = tmp_path / "chart.svg"
    for _ in range(2):  # a chart written earlier is replaced without --force (the history changes)
        code, err = run("--plot", str(chart))
        assert code == 0, err
    history_with(db, sample_rows())  # more attempts: a different chart
    assert run("--plot", str(chart))[0] == 0 and chart.read_bytes().startswith(b"<?xml")
    assert run("--plot", str(notes), "--force")[0] == 0 and notes.read_bytes()[:4] == b"\x89PNG"
