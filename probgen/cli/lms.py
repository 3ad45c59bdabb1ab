from __future__ import annotations

import inspect

import click

from ..core.model import DIFFICULTIES
from .options import seed_option

SOURCE_HELP = """SOURCE is a family id (dropout), a bank (midterm, or a .toml file) or a section or topic
(optimization; with --difficulty or --convention, a name that is also a bank means the section);
write bank:NAME, section:NAME or family:ID where a name is more than one of these. A family gives
one category, a bank one per slot, a section one per family; each holds --variants problems.

The problems' seeds are derived from a random secret (not from --seed alone), so the export holds
other problems than `probgen exam --seed SEED`, and nothing in it lets a student regenerate the
answers. Beside the export, a staff file OUTPUT-staff.json keeps the secret, each variant's
family and seed, and the command that writes the same export again (with --secret). Keep it from
students."""


def _options(f):
    f = click.option("--force", is_flag=True,
                     help="Replace an existing export (and its staff file) that differs, or a symbolic link.")(f)
    f = click.option("--secret", default=None, metavar="HEX",
                     help="The secret of an earlier export (its staff file): with the same SOURCE and options, "
                          "writes the same bytes again. Default: a new random secret. Staff only.")(f)
    f = click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                     help="File to write (default: SOURCE-moodle.xml / SOURCE-canvas.zip in the current folder); "
                          "the staff file goes beside it.")(f)
    f = click.option("--convention", default=None, metavar="NAME",
                     help="Formula convention (families and sections; a bank sets its own).")(f)
    f = click.option("--difficulty", type=click.Choice(DIFFICULTIES), default=None,
                     help="Difficulty (families and sections; default medium; a bank sets its own).")(f)
    f = seed_option(f)
    f = click.option("--variants", type=click.IntRange(1, 500), default=20, show_default=True,
                     help="Problems per category (Moodle) or question group (Canvas).")(f)
    return click.argument("source", metavar="SOURCE")(f)


def staff_path(path: str) -> str:
    """OUTPUT-staff.json beside the export (midterm-moodle.xml -> midterm-moodle-staff.json)."""
    from pathlib import Path

    p = Path(path)
    return str(p.with_name(f"{p.stem if p.suffix else p.name}-staff.json"))


def _run(fmt: str, source, variants, seed, difficulty, convention, output, secret, force) -> None:
    import json

    from ..fileio import OutputError, differs, refuse_overwrite, write_atomic
    from ..lms.source import resolve, staff_manifest

    if output:
        from ..fileio import check_target

        check_target(output, force)  # a folder, a FIFO, a link: said before minutes of work
    export = resolve(source, variants, seed, difficulty, convention, secret)
    if fmt == "moodle":
        from ..lms.moodle import moodle_xml

        data, default = moodle_xml(export), f"{_stem(export.source)}-moodle.xml"
    else:
        from ..lms.canvas import canvas_zip

        data, default = canvas_zip(export), f"{_stem(export.source)}-canvas.zip"
    path = output or default
    staff = staff_path(path)
    if staff == path:
        raise click.BadParameter(f"{path}: name the export something other than its staff file", param_hint="-o")
    from pathlib import Path

    note = json.dumps(staff_manifest(export, fmt, Path(path).name), indent=2, ensure_ascii=False) + "\n"
    if not force and not secret and differs(path, data):  # most likely the same command run again
        raise OutputError(f"{path} already exists and holds something else (each run draws new problems unless "
                          f"given the --secret of its staff file {staff}); choose another file or add --force "
                          "to replace it")
    refuse_overwrite(path, data, force)  # both checked before either is written
    refuse_overwrite(staff, note, force)
    write_atomic(staff, note, force)  # the staff file first: an export is never left without it
    write_atomic(path, data, force)
    from ..lms import canvas, moodle

    groups, questions = (moodle if fmt == "moodle" else canvas).contents(data)
    click.echo(f"{path}: {groups} {'categories' if fmt == 'moodle' else 'question groups'}, "
               f"{questions} questions, {len(data):,} bytes; staff only (secret and seeds): {staff}", err=True)
    if any(p.hand_points for c in export.categories for problem in c.problems for p in problem.parts):
        where = ("essay questions in '<category> written answers/written answer N' (a random question from each)"
                 if fmt == "moodle"
                 else "essay items, and each conceptual part is an item in a pick-1 group that shares no question")
        click.echo(f"  written answers (justifications, short answers) are graded by hand: {where} "
                   "(see 'probgen help-topic lms')", err=True)


def _stem(source: str) -> str:
    import re
    from pathlib import Path

    return re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(source).stem) or "probgen"


@click.group("lms")
def lms() -> None:
    """Export problems to a learning management system: Moodle XML or a Canvas QTI zip.

    How to import them: `probgen help-topic lms`.

    \b
    Examples:
      probgen lms moodle core --variants 20 --seed 1
      probgen lms canvas dropout --variants 10 -o dropout-10-canvas.zip
    """


@lms.command("moodle")
@_options
def moodle(source, variants, seed, difficulty, convention, output, secret, force) -> None:
    """Moodle XML: one question category per family or bank slot, holding --variants Cloze
    questions (numeric blanks with the part's margin, every named mistake a 0% answer with its
    feedback, the worked solution as general feedback).

    \b
    Examples:
      probgen lms moodle midterm --variants 20 --seed 1 -o midterm-moodle.xml
      probgen lms moodle dropout --variants 5
      probgen lms moodle optimization --difficulty hard --convention pytorch
      probgen lms moodle section:cnn --variants 10
    """
    _run("moodle", source, variants, seed, difficulty, convention, output, secret, force)


@lms.command("canvas")
@_options
def canvas(source, variants, seed, difficulty, convention, output, secret, force) -> None:
    """Canvas QTI 1.2 zip: one quiz whose question groups (one per family or bank slot) each
    hold --variants problems and pick 1.

    \b
    Examples:
      probgen lms canvas midterm --variants 20 --seed 1 -o midterm-canvas.zip
      probgen lms canvas dropout --variants 5
    """
    _run("canvas", source, variants, seed, difficulty, convention, output, secret, force)


# the docstring is still indented here: clean it before adding the shared text, or click keeps
# the indentation ("--variants Cloze     questions", an Examples block 12 spaces in)
moodle.help = inspect.cleandoc(moodle.help or "") + "\n\n" + SOURCE_HELP
canvas.help = inspect.cleandoc(canvas.help or "") + "\n\n" + SOURCE_HELP
