"""The local web app (`probgen serve`): Flask, server-rendered HTML, no script needed.

    /                    choose a topic or family and a difficulty, or "what I need"
    /next                the scheduler's choice (as `probgen practice` makes it) -> a problem
    /start               a topic's or family's problem with a new seed -> a problem
    /practice?family=F&difficulty=D&seed=S[&convention=C]   one problem (the link reproduces it)
    POST /answer         grade the filled-in parts, record them, redirect back (reload-safe);
                         with selfmark=PART: record the self-marking of a written answer
    /progress            per-topic figures and charts
    /exam, /exam.zip     a printable practice exam (the PDFs `probgen exam` writes)

Every answer goes through the grader's safe parser; a malformed request gets a 400 page with
one line saying what is wrong. The history is the same database as the terminal's.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import OrderedDict
from functools import lru_cache

from flask import Flask, Response, abort, redirect, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import ProbgenError
from ..practice.store import History
from . import views

SEED_MAX = 10 ** 12
VISIT_COOKIE = "probgen_visit"
_VISIT = re.compile(r"^[0-9a-f]{16}$")


class BadRequest(Exception):
    """One line for the 400 page."""


def create_app(db: str | None = None, *, loopback_only: bool = True) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 256 * 1024
    lock = threading.Lock()
    notes: list[str] = []  # the history's one-line warnings, shown on every page
    history = History(db, warn=notes.append, threads=True)
    app.extensions["probgen"] = {"history": history, "lock": lock, "notes": notes}
    # the last post's unreadable answers per (visit, sitting): shown by the page it redirects to
    # (and on reload), kept on the server so no URL can put words on the page
    unreadable_by_sitting: OrderedDict[tuple[str, int], dict[str, str]] = OrderedDict()

    def attempts():
        with lock:
            return history.attempts() + list(history.pending)

    def sitting_rows(session: str, number: int):
        with lock:
            return history.sitting(session, number)

    def record(rows):
        with lock:
            for row in rows:
                history.record(row)

    @app.before_request
    def guard():
        host = (request.host or "").rsplit(":", 1)[0].strip("[]").lower()
        if loopback_only and host not in ("127.0.0.1", "localhost", "::1"):
            raise BadRequest(f"this server answers only on this computer, not as {host!r}")
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin and origin not in ("null",) and origin.split("://", 1)[-1] != request.host:
                raise BadRequest("a form from another site cannot post answers here")

    @app.errorhandler(BadRequest)
    @app.errorhandler(ProbgenError)
    def bad_request(exc):
        message = " ".join(str(exc).split())[:300]
        return render_template("error.html", message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(exc):
        code = 400 if exc.code == 413 else exc.code
        message = "the form is too large" if exc.code == 413 else exc.description
        return render_template("error.html", message=message), code

    @app.after_request
    def headers(response: Response):
        response.headers["Content-Security-Policy"] = ("default-src 'none'; style-src 'self' 'unsafe-inline'; "
                                                       "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def visit() -> str:
        value = request.cookies.get(VISIT_COOKIE, "")
        return value if _VISIT.match(value) else ""

    def with_visit(response: Response, value: str) -> Response:
        if request.cookies.get(VISIT_COOKIE) != value:
            response.set_cookie(VISIT_COOKIE, value, max_age=365 * 86400, httponly=True, samesite="Strict")
        return response

    def new_visit() -> str:
        return visit() or os.urandom(8).hex()

    @app.get("/")
    def home():
        value = new_visit()
        page = render_template("home.html", **views.home_view(attempts()), notes=notes)
        return with_visit(Response(page), value)

    @app.get("/next")
    def next_problem():
        choice = views.next_choice(attempts(), _text_arg("after", 40, required=False))
        url = views.practice_url(choice.family, choice.difficulty, views.fresh_seed(), why=choice.reason)
        return redirect(url, 303)

    @app.get("/start")
    def start():
        family, difficulty = views.start_choice(_text_arg("what", 80), _text_arg("difficulty", 10, required=False),
                                                attempts())
        return redirect(views.practice_url(family, difficulty, views.fresh_seed()), 303)

    @app.get("/practice")
    def practice():
        problem = _problem_from(request.args)
        value = new_visit()
        sitting = _int_arg(request.args, "sitting", 2 ** 31, required=False) or views.fresh_sitting()
        unreadable = unreadable_by_sitting.get((value, sitting), {})
        rows = [a for a in sitting_rows(f"web-{value}", sitting)
                if (a.family, a.seed, a.difficulty) == (problem.family, problem.seed, problem.difficulty)]
        page = render_template("practice.html", notes=notes, why=request.args.get("why") if request.args.get("why") in views.REASONS else None,
                               **views.problem_view(problem, rows, unreadable, sitting, started=time.time()))
        return with_visit(Response(page), value)

    @app.post("/answer")
    def answer():
        form = request.form
        problem = _problem_from(form)
        sitting = _int_arg(form, "sitting", 2 ** 31)
        started = _float_arg(form, "started")
        value = visit()
        if not value:
            raise BadRequest("no browser visit cookie: open the problem page first (cookies must be allowed)")
        earlier = [a for a in sitting_rows(f"web-{value}", sitting)
                   if (a.family, a.seed, a.difficulty) == (problem.family, problem.seed, problem.difficulty)]
        seconds = max(0.0, min(86400.0, time.time() - started))
        mark = form.get("selfmark")
        if mark is not None:  # "Record my marking" of a written answer: nothing else is graded
            record([views.mark_post(problem, form, earlier, key=mark[:8], session=f"web-{value}", sitting=sitting,
                                    seconds=seconds)])
            url = views.practice_url(problem.family, problem.difficulty, problem.seed, convention=problem.convention,
                                     sitting=sitting)
            return redirect(f"{url}#part-{mark[:8]}", 303)
        rows, unreadable = views.grade_post(problem, form, earlier, session=f"web-{value}", sitting=sitting,
                                            seconds=seconds)
        record(rows)
        with lock:
            unreadable_by_sitting[(value, sitting)] = unreadable
            while len(unreadable_by_sitting) > 1000:
                unreadable_by_sitting.popitem(last=False)
        url = views.practice_url(problem.family, problem.difficulty, problem.seed, convention=problem.convention,
                                 sitting=sitting)
        checked = form.get("check", "")
        anchor = f"part-{checked}" if checked in {p.key for p in problem.parts} else "score"
        return redirect(f"{url}#{anchor}", 303)

    @app.get("/progress")
    def progress():
        return render_template("progress.html", notes=notes, **views.progress_view(attempts()))

    @app.get("/exam")
    def exam_form():
        return render_template("exam.html", notes=notes, **views.exam_view())

    @app.get("/exam.zip")
    def exam_zip():
        bank = _text_arg("bank", 60)
        seed = _int_arg(request.args, "seed", SEED_MAX)
        data, name = views.exam_zip(bank, seed)
        return Response(data, mimetype="application/zip",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return app


def _text_arg(name: str, limit: int, required: bool = True) -> str | None:
    value = request.args.get(name)
    if value is None or value == "":
        if required:
            raise BadRequest(f"'{name}' is missing")
        return None
    if len(value) > limit or not value.isprintable():
        raise BadRequest(f"'{name}' is not a valid value")
    return value


def _int_arg(source, name: str, limit: int, required: bool = True) -> int | None:
    value = source.get(name)
    if value in (None, ""):
        if required:
            raise BadRequest(f"'{name}' is missing")
        return None
    if not re.fullmatch(r"\d{1,13}", value) or int(value) >= limit:
        raise BadRequest(f"'{name}' must be a whole number from 0 to {limit - 1}")
    return int(value)


def _float_arg(source, name: str) -> float:
    value = source.get(name, "")
    if not re.fullmatch(r"\d{1,12}(\.\d{1,6})?", value):
        raise BadRequest(f"'{name}' is missing or not a time")
    return float(value)


def _problem_from(source):
    family = source.get("family", "")
    difficulty = source.get("difficulty", "")
    convention = source.get("convention") or None
    if not family or not re.fullmatch(r"[a-z0-9-]{1,60}", family):
        raise BadRequest("'family' is missing or not a family id")
    if difficulty not in ("easy", "medium", "hard"):
        raise BadRequest("'difficulty' must be easy, medium or hard")
    if convention is not None and not re.fullmatch(r"[a-z0-9-]{1,40}", convention):
        raise BadRequest("'convention' is not a convention name")
    seed = _int_arg(source, "seed", SEED_MAX)
    return _build(family, seed, difficulty, convention)


@lru_cache(maxsize=256)
def _build(family: str, seed: int, difficulty: str, convention: str | None):
    from ..core.build import build_problem
    from ..core.registry import get_family

    fam = get_family(family)
    fam.check_difficulty(difficulty)
    if convention is not None:
        convention = fam.check_convention(convention, strict=True)
    return build_problem(family, seed, difficulty, convention)
