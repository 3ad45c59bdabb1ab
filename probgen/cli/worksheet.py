from __future__ import annotations

import click

from ..sheets.assemble import worksheet_sheet
from ..core.paths import OUTPUT_DIR
from ..sheets.publish import safe_name, write_sheet
from .options import convention_option, difficulty_option, seed_option


@click.command()
@click.option("--section", "section", required=True, metavar="ID",
              help="Section or topic id, as in `probgen list` (e.g. fundamentals, backprop).")
@click.option("--count", type=click.IntRange(1, 200), default=6, show_default=True,
              help="How many problems.")
@seed_option
@difficulty_option
@convention_option
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), default=str(OUTPUT_DIR),
              show_default=True, help="Folder to write the PDFs and the JSON key into.")
@click.option("--force", is_flag=True, help="Replace existing files that hold something else.")
def worksheet(section: str, count: int, seed: int, difficulty: str, convention: str | None, output: str,
              force: bool) -> None:
    """Write a worksheet of problems from a SECTION or topic: the student PDF, the answer-key
    PDF and the JSON key (DIR/worksheet-<section>-<seed>[-<difficulty>][-<convention>]*.pdf/json;
    the difficulty is named unless medium, so an easy and a hard sheet do not overwrite each
    other). Prints the paths written.

    \b
    Examples:
      probgen worksheet --section fundamentals
      probgen worksheet --section regularization --count 4 --seed 7 --difficulty hard -o sheets/
    """
    sheet = worksheet_sheet(section, count, seed, difficulty, convention)
    knobs = [difficulty] if difficulty != "medium" else []
    knobs += [convention] if convention else []
    name = safe_name("-".join(["worksheet", section, str(seed), *knobs]))
    try:
        written = write_sheet(sheet, output, name, force=force)
    except OSError as exc:
        raise click.ClickException(f"cannot write into {output}: {exc.strerror or exc}") from None
    for path in written:
        click.echo(str(path))
