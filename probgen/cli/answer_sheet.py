from __future__ import annotations

import sys

import click

from ..fileio import OutputError, check_target, differs, write_atomic
from ..grading.keyfile import read_key
from ..grading.sheet import write_sheet


@click.command("answer-sheet")
@click.argument("key_path", metavar="KEY.json")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the sheet to this file (default: standard output).")
@click.option("--force", is_flag=True, help="Overwrite an existing file that holds something else.")
def answer_sheet(key_path: str, output: str | None, force: bool) -> None:
    """A blank answer sheet for the problems of an answer key (export, worksheet or exam).

    One line per part (1a:, 1b:, 2a:, ...) with a comment saying what kind of answer is
    expected. Fill it in and grade it with `probgen check`.

    \b
    Examples:
      probgen export dropout --seed 3 --count 3 -o key.json
      probgen answer-sheet key.json -o answers.txt
      probgen check key.json answers.txt
    """
    text = write_sheet(read_key(key_path), key_path)
    if output:
        _refuse_to_overwrite(output, text, force)
        write_atomic(output, text, force)
        click.echo(output)
    else:
        sys.stdout.write(text)


def _refuse_to_overwrite(output: str, text: str, force: bool) -> None:
    """A student who reruns the command over the sheet they filled in would lose their answers."""
    check_target(output, force)  # a FIFO, a folder, a link: refused before anything is read or written
    if not force and differs(output, text):
        raise OutputError(f"{output} already exists and is not this blank sheet (filled-in answers "
                                   "would be lost); choose another file or add --force")
