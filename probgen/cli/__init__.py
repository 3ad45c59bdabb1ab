"""The `probgen` command: thin click commands over library code.

Subcommands live in their own modules and are imported only when run, so `probgen --help`
and `probgen list` start without loading SymPy, NumPy or reportlab."""

from __future__ import annotations

import gc
import importlib
import os
import sys

import click

from ..core.lazy import mark_process_entry
from ..errors import Interrupted, ProbgenError

# command name -> "module:function" (module relative to probgen.cli)
COMMANDS = {
    "list": "list_cmd:list_families",
    "generate": "generate:generate",
    "export": "export:export",
    "worksheet": "worksheet:worksheet",
    "exam": "exam:exam",
    "answer-sheet": "answer_sheet:answer_sheet",
    "check": "check:check",
    "practice": "practice:practice",
    "grade": "grade:grade",
    "progress": "progress:progress",
    "serve": "serve:serve",
    "help-topic": "help_topic:help_topic",
    "lms": "lms:lms",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        module = importlib.import_module(f"{__name__}.{module_name}")
        return getattr(module, attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="probgen")
def cli():
    """Randomized, hand-workable practice problems for the deep-learning course,
    with answer keys and a grader.

    \b
    Examples:
      probgen list
      probgen generate dropout --seed 7 --answers
      probgen export adam-trace --seed 1 --count 5 -o key.json
    """


def main(argv=None) -> None:
    """Entry point: every user error becomes one line on stderr and exit status 2.

    Run as the process's entry (`argv` None: the `probgen` script, `python -m probgen`), it
    freezes the garbage collector's objects before the interpreter exits: its shutdown would
    otherwise walk every object again (SymPy's are many), 50-190 ms of CPU in a cold exam
    (issue 14); the operating system frees the memory. Called with `argv` (tests), it does not."""
    if argv is None:
        mark_process_entry()  # one-shot commands may then pause the collector (core.lazy.one_shot)
    try:
        _main(argv)
    finally:
        if argv is None:
            gc.freeze()


def _closed_pipe(exc: SystemExit) -> bool:
    """Whether click's exit is its answer to a closed stdout. Click 8.4 exits with the
    BrokenPipeError as the exit's context; click 8.5 exits after its handler, so without one,
    but has first wrapped sys.stdout in its _PacifyFlushWrapper (its only use)."""
    if isinstance(exc.__context__, BrokenPipeError):
        return True
    return exc.code == 1 and type(sys.stdout).__name__.lstrip("_") == "PacifyFlushWrapper"


def _main(argv) -> None:
    from . import console

    console.setup()
    try:
        cli.main(args=argv, prog_name="probgen", standalone_mode=False)
        sys.stdout.flush()  # a closed pipe shows here, inside the try
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except SystemExit as exc:  # click exits 1 on a closed pipe (`probgen list | head -1`): not an error
        if _closed_pipe(exc):
            console.quiet_stdout()
            sys.exit(0)
        raise
    except click.exceptions.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):  # Ctrl-C: click turned it into Abort
            click.echo("probgen: interrupted", err=True)
            sys.exit(130)
        click.echo("probgen: aborted", err=True)
        sys.exit(1)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help())
        sys.exit(0)
    except click.ClickException as exc:
        click.echo(f"probgen: {_one_line(exc.format_message())}", err=True)
        sys.exit(2)
    except ProbgenError as exc:
        click.echo(f"probgen: {_one_line(str(exc))}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        console.quiet_stdout()  # output piped into `head`: not an error
        sys.exit(0)
    except KeyboardInterrupt:
        click.echo("probgen: interrupted", err=True)
        sys.exit(130)
    except Interrupted as exc:
        click.echo(f"probgen: {_one_line(exc.message)}", err=True)
        sys.exit(128 + exc.signum)
    except OSError as exc:  # a path the user named (output folder, file): one line, not a traceback
        if exc.filename is None:
            raise_internal(exc)
        click.echo(f"probgen: {exc.filename}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # a bug, not the user's input: still one line, not a traceback
        raise_internal(exc)
    sys.exit(0)


def raise_internal(exc: Exception) -> None:
    if os.environ.get("PROBGEN_DEBUG"):
        raise exc
    click.echo(f"probgen: internal error ({type(exc).__name__}: {_one_line(str(exc))}); please report it "
               "with the command you ran (PROBGEN_DEBUG=1 shows the traceback)", err=True)
    sys.exit(1)


def _one_line(message: str) -> str:
    return " ".join(message.split())
