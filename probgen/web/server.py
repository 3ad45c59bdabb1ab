"""Running the web app: waitress (a production-grade pure-Python WSGI server) on loopback by
default; a busy port is a one-line error."""

from __future__ import annotations

import errno
import ipaddress
import threading
import webbrowser
from typing import Callable

from ..errors import ProbgenError

DEFAULT_PORT = 8765


class ServeError(ProbgenError):
    pass


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def make_server(host: str, port: int, db: str | None, threads: int = 8):
    """The app on a bound socket (port 0: any free port); ServeError when it cannot bind."""
    from waitress import create_server

    from .app import create_app

    app = create_app(db, loopback_only=is_loopback(host))
    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="probgen")
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use (another probgen serve?); "
                             f"give another with --port, or --port 0 for any free one") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return app, server


def url_of(server, host: str) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{server.effective_port}/"


def run(server, url: str, open_browser: bool, say: Callable[[str], None]) -> None:
    if open_browser:
        threading.Timer(0.4, lambda: webbrowser.open(url)).start()
    try:
        server.run()
    except KeyboardInterrupt:
        say("probgen serve: stopped")
    finally:
        server.close()
