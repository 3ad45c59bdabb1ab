from __future__ import annotations

import click

from .practice import db_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback makes the pages reachable from other computers.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser window.")
@db_option
def serve(host: str, port: int, no_browser: bool, db: str | None) -> None:
    """Practise in your browser: typeset problems, answer boxes that fit each part, feedback
    per part with named mistakes, worked solutions, your progress and printable exams. Runs on
    this computer only (no account, no internet); answers go to the same history as
    `probgen practice`.

    \b
    Examples:
      probgen serve
      probgen serve --port 8000 --no-browser
      probgen serve --db ~/course/history.sqlite3
    """
    from ..web.server import is_loopback, make_server, run, url_of

    if not is_loopback(host):
        click.echo(f"probgen: warning: --host {host}: the practice pages and your history are reachable from "
                   "other computers on the network", err=True)
    app, server = make_server(host, port, db)
    for note in app.extensions["probgen"]["notes"]:
        click.echo(f"probgen: {note}", err=True)
    url = url_of(server, host)
    click.echo(f"probgen serve: {url}  (port {server.effective_port}; Ctrl-C stops it)", nl=True)
    import sys

    sys.stdout.flush()
    run(server, url, not no_browser, click.echo)
