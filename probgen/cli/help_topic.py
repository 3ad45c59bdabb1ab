from __future__ import annotations

import click

from ..core.helpdocs import read_topic, topics


@click.command("help-topic")
@click.argument("name", metavar="NAME", required=False)
def help_topic(name: str | None) -> None:
    """Print the documentation on NAME (a guide such as grading, answer-key, lms or pdf, or a
    family id); without NAME, list the topics. The pages ship with probgen, so this works
    wherever it is installed.

    \b
    Examples:
      probgen help-topic
      probgen help-topic grading
      probgen help-topic answer-key
      probgen help-topic dropout
    """
    if name is None:
        rows = topics()
        width = max(len(n) for n, _ in rows)
        for topic, title in rows:
            click.echo(f"  {topic:<{width}}  {title}")
        return
    click.echo(read_topic(name).rstrip("\n"))
