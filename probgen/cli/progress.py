from __future__ import annotations

import json

import click

from .practice import db_option


@click.command()
@click.option("--json", "as_json", is_flag=True, help="The figures as JSON (each topic with its `attempts`).")
@click.option("--plot", default=None, metavar="FILE.png",
              help="Also write a chart of mastery and recent accuracy per topic (PNG, or SVG by extension).")
@click.option("--force", is_flag=True, help="Replace a --plot file that is not a progress chart written earlier "
                                            "(or a symbolic link).")
@db_option
def progress(as_json: bool, plot: str | None, db: str | None, force: bool) -> None:
    """Your practice history per topic: parts answered, recent accuracy, mastery, the named
    mistakes you make most, and when each topic is next due for review.

    \b
    Examples:
      probgen progress
      probgen progress --json
      probgen progress --plot progress.png
      probgen progress --db ~/course/history.sqlite3
    """
    from ..practice.progress import plot_progress, progress_data, progress_text
    from ..practice.store import default_path, read_attempts

    if plot and not plot.lower().endswith((".png", ".svg")):
        raise click.BadParameter("the chart is written as .png or .svg", param_hint="--plot")
    if plot:
        from ..fileio import check_target

        check_target(plot, force)  # a FIFO, a folder, a link: refused before the history is read
    attempts = read_attempts(db)
    data = progress_data(attempts)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(progress_text(data, str(default_path(db))), nl=False)
    if plot:
        plot_progress(data, plot, force)
        click.echo(f"Chart written to {plot}", err=as_json)
