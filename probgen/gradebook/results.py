"""Grade every sheet of a class set and write the results folder:

    gradebook.csv          student id, name, version, points per problem, total, max, status
                           (+ hand max and pending when written answers are graded by hand)
    hand-grading.csv/.txt  every written answer waiting for a person, with model answer and rubric
    gradebook-canvas.csv   the same totals in Canvas's gradebook-import columns
    feedback/<id>-feedback.txt/.pdf  each graded student's `probgen check` report
    item-analysis.csv/.txt per part: fraction correct, mean score, point-biserial, named mistakes
    item-analysis.png      the same as a bar chart
    not-graded.txt         missing, extra, duplicate, unreadable, wrong-version and other-set sheets

RESULTS_DIR is checked and written by folder.py: never the sheets folder (or inside it, or
holding it); results built beside it and swapped in whole, and no file grade did not write is
ever deleted. Every CSV cell is escaped against formula injection."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ProbgenError
from ..sheets.publish import safe_name
from ..sheets.roster import csv_text
from .analysis import item_analysis, plot_png, table_rows, text_table
from .collect import Issue, load_manifest, match_sheets
from .feedback import feedback_pdf
from .folder import check_target, write_folder
from .hand import HAND_COLUMNS, hand_max, hand_rows, hand_text, pending


@dataclass
class ClassResults:
    rows: list[dict]
    issues: list[Issue]
    items: list
    graded: int
    written: list[Path] = field(default_factory=list)
    table: str = ""


def _points(x: float) -> str:
    x = round(x, 2)
    return str(int(x)) if x == int(x) else f"{x:g}"


def grade_class(manifest_path: str, sheets_dir: str, results_dir: str, force: bool = False) -> ClassResults:
    from ..grading import grade_sheet
    from ..grading.keyfile import load_key
    from ..grading.report import text_report
    from ..grading.sheet import SheetError, read_sheet

    manifest = load_manifest(manifest_path)
    out = Path(results_dir)
    check_target(out, sheets_dir, force)  # before any grading: results apart from the sheets
    sheets, issues = match_sheets(manifest, sheets_dir)
    problem_count = 0
    rows, graded, feedback = [], [], {}
    written_rows: list[dict] = []
    written_text: list[str] = []
    any_hand = False
    taken = {i.version for i in issues if i.kind == "duplicate"}
    for n, v in sorted(manifest.versions.items()):
        row = {"Student ID": v.id, "Name": v.name, "Version": n}
        if n not in sheets:
            row["Status"] = "duplicate sheets" if n in taken else "missing"
            if n not in taken:
                issues.append(Issue("missing", "", f"version {n}" + (f" ({v.id}, {v.name})" if v.id else "")
                                    + ": no answer sheet", n))
            rows.append(row)
            continue
        path, _text = sheets[n]
        try:
            key = load_key(str(v.key_json))
        except ProbgenError as exc:
            issues.append(Issue("key", path.name, f"{path.name}: version {n}'s key cannot be used: {exc}", n))
            row["Status"] = "key problem"
            rows.append(row)
            continue
        try:
            entries = read_sheet(str(path), key.labels)
        except SheetError as exc:
            issues.append(Issue("unreadable", path.name, f"{exc}; not graded", n))
            row["Status"] = "unreadable sheet"
            rows.append(row)
            continue
        results = grade_sheet(key, entries)
        graded.append(results)
        problem_count = max(problem_count, len(results))
        for pr in results:
            row[f"P{pr.number}"] = _points(pr.points)
        hand, waiting = hand_max(results), pending(results)
        row["Total"] = _points(sum(pr.points for pr in results))  # the automatic points only
        row["Max"] = _points(sum(pr.max_points for pr in results) - hand)
        row["Status"] = "graded" if any(e.text for e in entries.values()) else "graded (no answers found)"
        if hand:
            any_hand = True
            row["Hand max"], row["Pending"] = _points(hand), _points(waiting)
            if waiting:
                row["Status"] += f"; {_points(waiting)} pts of written answers pending hand grading"
                who = {"Student ID": v.id, "Name": v.name, "Version": n}
                written_rows += hand_rows(results, who)
                written_text += hand_text(results, f"{v.id or f'version {n}'} {v.name or ''}".strip())
        rows.append(row)
        stem = f"{safe_name(v.id) if v.id else f'v{n:02d}'}-feedback"
        report = text_report(results, key_name=v.key_json.name, sheet_name=path.name, title=manifest.title)
        feedback[f"{stem}.txt"] = report
        feedback[f"{stem}.pdf"] = feedback_pdf(report, f"{manifest.title}: feedback for {v.id or f'version {n}'}")
    items = item_analysis(graded)
    columns = ["Student ID", "Name", "Version"] + [f"P{i}" for i in range(1, problem_count + 1)] + \
              ["Total", "Max"] + (["Hand max", "Pending"] if any_hand else []) + ["Status"]
    table = text_table(items)
    files = {
        "gradebook.csv": csv_text(rows, columns),
        "gradebook-canvas.csv": _canvas(rows, manifest.title),
        "item-analysis.csv": csv_text(table_rows(items), ["item", "family", "students", "fraction_correct",
                                                          "mean_score", "discrimination", "mistakes"]),
        "item-analysis.txt": f"{manifest.title}: item analysis of {len(graded)} graded sheets\n\n{table}",
        "not-graded.txt": "".join(f"{i.kind}: {i.message}\n" for i in issues) or "every sheet was graded\n",
    }
    if any_hand:
        files["hand-grading.csv"] = csv_text(written_rows, HAND_COLUMNS)
        files["hand-grading.txt"] = (f"{manifest.title}: written answers for hand grading "
                                     f"({len(written_rows)})\n\n" + "\n".join(written_text))
    if items:
        files["item-analysis.png"] = plot_png(items, manifest.title)
    files.update({f"feedback/{name}": text for name, text in feedback.items()})
    written = write_folder(out, files)
    return ClassResults(rows, issues, items, len(graded), written, table)


def _canvas(rows: list[dict], title: str) -> str:
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then one column
    per assignment; students are matched by SIS User ID (the roster's id)."""
    name = f"{title} (probgen)"
    fields = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", name]
    return csv_text([{"Student": r["Name"], "SIS User ID": r["Student ID"], name: r.get("Total", "")}
                     for r in rows], fields)
