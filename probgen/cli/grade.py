from __future__ import annotations

import click

from ..gradebook.results import grade_class


@click.command()
@click.argument("manifest", metavar="MANIFEST.json")
@click.argument("sheets_dir", metavar="SHEETS_DIR")
@click.option("-o", "--output", "output", required=True, metavar="RESULTS_DIR",
              help="Folder for the results, apart from SHEETS_DIR (replaced whole on a rerun).")
@click.option("--force", is_flag=True, help="Write into a folder that holds other files too (they are kept; "
                                            "only same-named results are replaced).")
def grade(manifest: str, sheets_dir: str, output: str, force: bool) -> None:
    """Grade a whole class: every filled-in answer sheet in SHEETS_DIR against its version of the
    class set MANIFEST.json (the <bank>-class-set.json of `probgen exam --versions/--roster`).

    Writes RESULTS_DIR/gradebook.csv (and gradebook-canvas.csv) for the LMS gradebook, feedback/
    with each student's report, item-analysis.txt/.csv/.png, and not-graded.txt listing missing,
    extra, duplicate, unreadable, wrong-version and other-class-set sheets (the rest is graded).
    Prints what was not graded, the item analysis and the paths written.

    \b
    Examples:
      probgen exam --roster roster.csv --seed 2026 -o midterm/
      probgen grade midterm/midterm-class-set.json handed-in/ -o results/
    """
    res = grade_class(manifest, sheets_dir, output, force)
    click.echo(f"graded {res.graded} of {len(res.rows)} versions")
    for issue in res.issues:
        click.echo(f"  {issue.kind}: {issue.message}")
    click.echo("")
    click.echo(res.table, nl=False)
    click.echo("")
    for path in res.written:
        click.echo(str(path))
