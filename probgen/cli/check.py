from __future__ import annotations

import sys

import click

from .. import __version__
from ..grading import grade_sheet
from ..grading.keyfile import load_key
from ..grading.report import dumps, json_report, text_report
from ..grading.sheet import header_mismatch, read_sheet


@click.command()
@click.argument("key_path", metavar="KEY.json")
@click.argument("answers", metavar="ANSWERS")
@click.option("--json", "as_json", is_flag=True, help="The report as JSON.")
@click.option("--record", is_flag=True, help="Also store the judged parts (right, partly right or wrong; not blank or "
              "unreadable ones) in your practice history (see `probgen progress`).")
@click.option("--db", default=None, metavar="PATH", help="With --record: the history database (see docs/history.md).")
def check(key_path: str, answers: str, as_json: bool, record: bool, db: str | None) -> None:
    """Grade a filled-in answer sheet (ANSWERS, or - for standard input) against KEY.json.

    Per part: correct, correct within rounding, partly correct, wrong, could not read or
    missing, with points; for lost points the reference answer, the worked solution and, when
    the answer matches a known mistake, its name. The key's answers are recomputed from its
    params; an edited key is refused.

    \b
    Examples:
      probgen answer-sheet key.json -o answers.txt
      probgen check key.json answers.txt
      probgen check key.json answers.txt --json
      probgen check key.json answers.txt --record
    """
    key = load_key(key_path)
    if key.made_by != __version__:
        # Verified above: every problem regenerates identically, so the grade is the same.
        click.echo(f"probgen: note: {key_path} was written by probgen {key.made_by} (this is {__version__}); "
                   "its problems regenerate identically, so grading goes on", err=True)
    headers: list = []
    entries = read_sheet(answers, key.labels, headers)
    sheet_name = "<stdin>" if answers == "-" else answers
    if not any(e.text for e in entries.values()):
        click.echo(f"probgen: warning: no answers found in {sheet_name} (every part is graded as missing)",
                   err=True)
    mismatch = header_mismatch(headers, {kp.number: (kp.problem.family, kp.problem.seed, kp.problem.difficulty)
                                         for kp in key.problems})
    if mismatch:
        click.echo(f"probgen: warning: {sheet_name} {mismatch}", err=True)
    results = grade_sheet(key, entries)
    names = dict(key_name=key_path, sheet_name=sheet_name, title=key.title)
    sys.stdout.write(dumps(json_report(results, **names)) if as_json else text_report(results, **names))
    if record:
        from ..practice.session import record_results
        from ..practice.store import History

        history = History(db, warn=lambda line: click.echo(f"probgen: {line}", err=True))
        stored, skipped = record_results(results, history, source="check")
        left_out = f" ({skipped} blank, unreadable or hand-graded part{'s' * (skipped != 1)} not recorded)" if skipped else ""
        click.echo(f"probgen: recorded {stored} part{'s' * (stored != 1)} in {history.fallback or history.path}{left_out}",
                   err=True)
        history.close()
