"""The documentation that ships with probgen, by topic name (`probgen help-topic NAME`).

An installed probgen has no repository beside it, so messages and command help name a topic
here instead of a docs/ path. Topics are the Markdown files of docs/ (answer-key, grading, pdf,
lms, ...) and each family's page (docs/families/<id>.md, by family id).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ProbgenError
from .paths import DOCS_DIR
from .registry import unknown_message

# topics named first in the list, for course staff and students; the rest follow by name
USER_TOPICS = ("grading", "answer-key", "lms", "pdf")


def _files() -> dict[str, Path]:
    found = {p.stem: p for p in sorted((DOCS_DIR / "families").glob("*.md"))}
    found.update({p.stem: p for p in sorted(DOCS_DIR.glob("*.md"))})  # a guide wins over a family id
    return found


def topics() -> list[tuple[str, str]]:
    """(name, title) of every topic: the user guides first, then the rest by name."""
    files = _files()
    names = [t for t in USER_TOPICS if t in files] + sorted(n for n in files if n not in USER_TOPICS)
    return [(name, _title(files[name])) for name in names]


def read_topic(name: str) -> str:
    files = _files()
    if name not in files:
        raise ProbgenError(unknown_message("help topic", name, [n for n, _ in topics()]))
    return files[name].read_text("utf-8")


def _title(path: Path) -> str:
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return path.stem
