"""Problem families, registered by a stable string id with the `@family` decorator.

Each module in `probgen/families/` defines one `Family` subclass and decorates it. Modules
import SymPy and NumPy only through `probgen.core.lazy`, so listing families stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import BadKnob, UnknownFamily
from .model import DIFFICULTIES, Part
from .sections import SECTIONS, TOPIC_SECTION

_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
FAMILIES: dict[str, "Family"] = {}
STYLES = ("computation", "concept")
_loaded = False

@dataclass
class Solution:
    """What `solve` returns: the answer parts (prompts come from the template) and
    any intermediate values the template's worked solution shows."""

    parts: list[Part]
    work: dict[str, Any] = field(default_factory=dict)
    figure: dict[str, Any] | None = None

class Family:
    """One kind of problem. Subclasses set the class attributes and implement
    `generate` and `solve`; both must be pure functions of their arguments."""

    id: str = ""
    version: int = 1
    section: str = ""
    topic: str = ""
    title: str = ""
    # Named sets of formulas; the first is the default. Empty: the family has no convention.
    conventions: tuple[str, ...] = ()
    difficulties: tuple[str, ...] = DIFFICULTIES
    # "computation" (work out numbers) or "concept" (choice, select-all, true/false with a
    # justification, short answers, figure reading; see docs/adding-a-concept-family.md)
    style: str = "computation"

    def generate(self, draw, difficulty: str, convention: str | None) -> dict[str, Any]:
        raise NotImplementedError

    def solve(self, params: dict[str, Any]) -> Solution:
        raise NotImplementedError

    def follow_on(self, params: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
        """Error carried forward: the reference values of later parts when earlier parts take the
        student's values in `given` (part key -> parsed value). Trace families override this;
        the default says no part follows from another."""
        return {}

    @property
    def template_name(self) -> str:
        return self.id.replace("-", "_") + ".j2"

    def check_difficulty(self, difficulty: str) -> str:
        if difficulty not in self.difficulties:
            raise BadKnob(
                f"family '{self.id}' has no difficulty '{difficulty}' "
                f"(choose from: {', '.join(self.difficulties)})"
            )
        return difficulty

    def check_convention(self, convention: str | None, strict: bool = False) -> str | None:
        """The convention to use. `strict`: asking a family without conventions for one is an
        error (one-family commands); otherwise it does not apply (worksheet-wide options)."""
        if not self.conventions:
            if strict and convention is not None:
                raise BadKnob(f"family '{self.id}' has no formula conventions to choose from")
            return None
        if convention is None:
            return self.conventions[0]
        if convention not in self.conventions:
            raise BadKnob(
                f"family '{self.id}' has no convention '{convention}' "
                f"(choose from: {', '.join(self.conventions)})"
            )
        return convention

def family(cls: type[Family]) -> type[Family]:
    """Class decorator: check the family's metadata and register one instance under its id."""
    if not _ID.match(cls.id):
        raise ValueError(f"{cls.__name__}: family id {cls.id!r} must be lower-case words joined by '-'")
    if cls.id in FAMILIES:
        raise ValueError(f"family id {cls.id!r} registered twice")
    if cls.section not in SECTIONS:
        raise ValueError(f"{cls.id}: unknown section {cls.section!r}")
    if TOPIC_SECTION.get(cls.topic) != cls.section:
        raise ValueError(f"{cls.id}: topic {cls.topic!r} is not in section {cls.section!r}")
    if cls.style not in STYLES:
        raise ValueError(f"{cls.id}: style {cls.style!r} is not one of {STYLES}")
    if not cls.title:
        raise ValueError(f"{cls.id}: missing title")
    bad = set(cls.difficulties) - set(DIFFICULTIES)
    if bad or not cls.difficulties:
        raise ValueError(f"{cls.id}: bad difficulties {cls.difficulties!r}")
    FAMILIES[cls.id] = cls()
    return cls

def load_all() -> dict[str, Family]:
    """Import every module of probgen.families (each registers itself)."""
    global _loaded
    if not _loaded:
        from .. import families

        for info in sorted(pkgutil.iter_modules(families.__path__), key=lambda m: m.name):
            importlib.import_module(f"{families.__name__}.{info.name}")
        _loaded = True
    return FAMILIES

def get_family(family_id: str) -> Family:
    if family_id not in FAMILIES and _ID.match(family_id):
        # Import just that family's module: grading a key needs a few families, not all of them.
        module = f"probgen.families.{family_id.replace('-', '_')}"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    if family_id in FAMILIES:
        return FAMILIES[family_id]
    families = load_all()
    try:
        return families[family_id]
    except KeyError:
        raise UnknownFamily(unknown_message("family", family_id, sorted(families))) from None

def families_in(selector: str) -> list[Family]:
    """Families of a section or topic id, in registry order (sorted by section, topic, id)."""
    families = load_all()
    if selector in SECTIONS:
        chosen = [f for f in families.values() if f.section == selector]
    elif selector in TOPIC_SECTION:
        chosen = [f for f in families.values() if f.topic == selector]
    else:
        choices = list(SECTIONS) + list(TOPIC_SECTION)
        raise UnknownFamily(unknown_message("section or topic", selector, choices))
    return sort_families(chosen)

def sort_families(fams) -> list[Family]:
    sections = list(SECTIONS)
    topics = list(TOPIC_SECTION)
    return sorted(fams, key=lambda f: (sections.index(f.section), topics.index(f.topic), f.id))

def unknown_message(what: str, value: str, choices: list[str]) -> str:
    close = suggestions(value, choices)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"unknown {what} '{value}'{hint} (choose from: {', '.join(choices)})"


def suggestions(value: str, choices: list[str], n: int = 3) -> list[str]:
    """Likely meant: the same id in another case, ids with `value` as a word ('adam' ->
    'adam-trace'), then close spellings ('regularisation' -> 'regularization')."""
    low = value.strip().lower()
    if not low:
        return []
    same = [c for c in choices if c.lower() == low]
    if same:
        return same[:1]
    words = [c for c in choices if low in c.lower().split("-") or c.lower().startswith(low)]
    if words:
        return words[:n]
    lowered = {c.lower(): c for c in choices}
    import difflib  # only for a name that is not known (1-2 ms of every start-up otherwise)

    return [lowered[c] for c in difflib.get_close_matches(low, list(lowered), n=n)]
