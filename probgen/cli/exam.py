from __future__ import annotations

import click

from ..sheets.assemble import exam_sheet
from ..sheets.banks import load_bank
from ..core.lazy import one_shot
from ..core.paths import OUTPUT_DIR
from ..sheets.publish import safe_name, write_sheet
from .options import seed_option


@click.command()
@click.option("--bank", default="midterm", show_default=True, metavar="NAME|FILE",
              help="A bank in banks/ (by name) or a bank .toml file.")
@seed_option
@click.option("--versions", type=click.IntRange(1, 2000), default=None,
              help="A class set: this many distinct versions, each with its key, a manifest and a merged key.")
@click.option("--roster", type=click.Path(dir_okay=False), default=None,
              help="A class set with one version per student of this CSV (columns: name, id).")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes for a class set (default: all cores).")
@click.option("--secret", default=None, envvar="PROBGEN_CLASS_SET_SECRET", metavar="HEX",
              help="A class set's secret (from its manifest JSON): with the same --seed and roster or "
                   "--versions, reprints the same set. Default: a new random secret. Staff only.")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), default=str(OUTPUT_DIR),
              show_default=True, help="Folder to write into.")
@click.option("--force", is_flag=True, help="Replace existing files (or a class set) that differ.")
def exam(bank: str, seed: int, versions: int | None, roster: str | None, jobs: int | None, secret: str | None,
         output: str, force: bool) -> None:
    """Write a practice exam from a bank: the student PDF, the answer-key PDF and the JSON key
    (DIR/<bank>-<seed>.pdf, -key.pdf, -key.json). Prints the paths written.

    With --versions or --roster, writes a class set instead: one distinct version per student,
    each with its key and blank answer sheet, a manifest (CSV and JSON) and one merged key PDF for
    the grader. Student copies show a version number, not a seed; the seeds and the set's secret
    are in the manifest and merged key, which stay with staff (docs/running-an-exam.md). An
    interrupted class set is kept in DIR/<bank>-class-set.incomplete/; the same command finishes it.

    \b
    Examples:
      probgen exam --seed 1
      probgen exam --bank fundamentals --seed 4 -o sheets/
      probgen exam --versions 30 --seed 2026 -o classset/
      probgen exam --roster roster.csv --seed 2026 -o classset/
      probgen exam --roster roster.csv --seed 2026 --secret 3f9c...e1 -o reprint/
    """
    if versions is not None and roster is not None:
        raise click.UsageError("give --versions or --roster, not both")
    if secret is not None and versions is None and roster is None:
        raise click.UsageError("--secret is for class sets (--versions or --roster)")
    if versions is None and roster is None:
        one_shot()  # one sheet, then the process ends: the garbage collector may rest
    loaded = load_bank(bank)
    try:
        if versions is not None or roster is not None:
            from ..sheets.classset import make_class_set, read_roster

            students = read_roster(roster) if roster else None
            _warn_unprintable(roster, students or [])
            written = make_class_set(loaded, seed, output, versions=versions, students=students, jobs=jobs,
                                     progress=True, secret=secret, force=force)
        else:
            written = write_sheet(exam_sheet(loaded, seed), output, safe_name(f"{loaded.name}-{seed}"),
                                  force=force)
    except OSError as exc:
        raise click.ClickException(f"cannot write into {output}: {exc.strerror or exc}") from None
    for path in written:
        click.echo(str(path))


def _warn_unprintable(roster: str, students: list[dict[str, str]]) -> None:
    """A name the bundled fonts cannot draw (CJK, for one) prints with '?' for those characters:
    say so once per student, so the teacher can write the name in by hand."""
    from ..render.mathtype import MISSING_GLYPH, printable

    for s in students:
        for field in ("name", "id"):
            if MISSING_GLYPH in printable(s[field]) and MISSING_GLYPH not in s[field]:
                click.echo(f"probgen: warning: {roster}: the {field} {s[field]!r} (id {s['id']}) has characters no "
                           f"bundled font can print; its PDFs show '{MISSING_GLYPH}' for them", err=True)
