from __future__ import annotations

import json

import click

from ..core.registry import load_all, sort_families
from ..core.sections import SECTION_TITLES


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_families(as_json: bool) -> None:
    """List the problem families by section and topic.

    \b
    Examples:
      probgen list
      probgen list --json
    """
    fams = sort_families(load_all().values())
    if as_json:
        rows = [{"id": f.id, "section": f.section, "topic": f.topic, "title": f.title,
                 "version": f.version, "difficulties": list(f.difficulties),
                 "conventions": list(f.conventions), "style": f.style} for f in fams]
        click.echo(json.dumps(rows, indent=2))
        return
    section = None
    for f in fams:
        if f.section != section:
            section = f.section
            click.echo(f"\n{section}: {SECTION_TITLES[section]}" if section != fams[0].section
                       else f"{section}: {SECTION_TITLES[section]}")
        conv = f"  [conventions: {', '.join(f.conventions)}]" if f.conventions else ""
        conv += "  [concepts]" if f.style == "concept" else ""
        click.echo(f"  {f.id:<24} {f.topic:<15} {f.title}{conv}")
