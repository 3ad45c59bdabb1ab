"""Running the `probgen` entry point in the test's own process (much faster than a process per
case), for the CLI tests."""

from __future__ import annotations

import io
import re
import sys
from typing import NamedTuple

from probgen.cli import main


class Ran(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


def run_main(capsys, args, stdin: str | None = None) -> Ran:
    """`main(args)` (which turns errors into one line and exit status 2) with `stdin` as standard
    input; its exit status and what it printed (captured with pytest's `capsys`)."""
    capsys.readouterr()
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.stdin = old_stdin
    out = capsys.readouterr()
    return Ran(code, out.out, out.err)


def check_on_stdin(capsys, key_path):
    """`probgen check KEY -` as a function of the typed sheet (and extra options): what it printed."""
    def run(sheet: str, *extra):
        code, out, err = run_main(capsys, ["check", str(key_path), "-", *extra], sheet)
        assert code == 0, err
        return out
    return run


def verdict(out: str, label: str) -> str:
    """The check report's line for one part: '<points>   <verdict>[: message]'."""
    m = re.search(rf"^  {label}\s+(\S+ / \S+)\s+(.*)$", out, re.M)
    assert m, out
    return m.group(2)
