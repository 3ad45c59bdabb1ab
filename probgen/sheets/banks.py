"""Banks: TOML files in banks/ that describe an exam or worksheet as an ordered list of slots.

    title = "Midterm practice exam"
    course = "Deep Learning"
    instructions = "Show your work. A scientific calculator is allowed."
    # time_minutes = 75               # optional: by default the work model's estimate + reading time

    [[slot]]
    family = "dropout"                 # one family ...
    # families = ["dropout", "..."]     # ... or alternatives, one drawn per version
    difficulty = "medium"              # easy | medium | hard
    convention = "course"              # optional; only for families that have conventions
    points = 10                        # optional: the problem's total (parts scaled to it)
    parts = ["a", "b"]                 # optional: only these parts
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BankError, ProbgenError
from ..core.model import DIFFICULTIES
from ..core.paths import BANKS_DIR
from ..core.registry import get_family, unknown_message

BANK_KEYS = {"title", "course", "instructions", "time_minutes", "slot", "description"}
SLOT_KEYS = {"family", "families", "difficulty", "difficulty_by_family", "convention", "points", "parts"}


@dataclass
class Slot:
    families: list[str]
    difficulty: str = "medium"
    convention: str | None = None
    points: int | None = None
    parts: list[str] | None = None
    where: str = ""  # "FILE: slot N (line L)", for errors found when the slot is drawn
    # alternatives asked at another difficulty than the slot's, so that each is about the same work
    # (an exam balances its versions' work: an alternative far from the others is never drawn)
    difficulty_by_family: dict[str, str] = field(default_factory=dict)

    def difficulty_for(self, family_id: str) -> str:
        return self.difficulty_by_family.get(family_id, self.difficulty)

    def difficulty_label(self) -> str:
        """"medium", or "medium; sgd-trace hard, adam-trace easy" when alternatives differ."""
        others = ", ".join(f"{f} {d}" for f, d in self.difficulty_by_family.items())
        return f"{self.difficulty}; {others}" if others else self.difficulty


@dataclass
class Bank:
    name: str
    path: Path
    title: str
    course: str = "Deep Learning"
    instructions: str = ""
    time_minutes: int | None = None
    description: str = ""
    slots: list[Slot] = field(default_factory=list)


def bank_names() -> list[str]:
    return sorted(p.stem for p in BANKS_DIR.glob("*.toml"))


def resolve(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if path.is_dir():
            raise BankError(f"{path}: is a folder, not a bank file (give a .toml file or a name from banks/)")
        if not path.is_file():
            raise BankError(f"bank file not found: {path}")
        return path
    path = BANKS_DIR / f"{name_or_path}.toml"
    if not path.is_file():
        raise BankError(unknown_message("bank", name_or_path, bank_names()))
    return path


def load_bank(name_or_path: str) -> Bank:
    path = resolve(name_or_path)
    try:
        text = path.read_text("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise BankError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise BankError(f"{path}: TOML syntax error: {exc}") from None
    except OSError as exc:
        raise BankError(f"{path}: cannot read the bank ({exc.strerror or exc})") from None
    where = str(path)
    unknown = set(data) - BANK_KEYS
    if unknown:
        raise BankError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(BANK_KEYS))})")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise BankError(f"{where}: needs a title = \"...\"")
    time_minutes = data.get("time_minutes")
    if time_minutes is not None and (not isinstance(time_minutes, int) or isinstance(time_minutes, bool) or time_minutes <= 0):
        raise BankError(f"{where}: time_minutes must be a positive whole number")
    raw_slots = data.get("slot")
    if not isinstance(raw_slots, list) or not raw_slots:
        raise BankError(f"{where}: needs at least one [[slot]]")
    # the line of each [[slot]] header, so an error can point at it
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if re.match(r"\s*\[\[\s*slot\s*\]\]", line)]
    slots = [_slot(where, i, raw, lines[i - 1] if i <= len(lines) else None)
             for i, raw in enumerate(raw_slots, start=1)]
    return Bank(name=path.stem, path=path, title=title.strip(), course=str(data.get("course", "Deep Learning")),
                instructions=str(data.get("instructions", "")), time_minutes=time_minutes,
                description=str(data.get("description", "")), slots=slots)


def _slot(where: str, number: int, raw, line: int | None = None) -> Slot:
    at = f"{where}: slot {number}" + (f" (line {line})" if line else "")
    if not isinstance(raw, dict):
        raise BankError(f"{at}: must be a table [[slot]]")
    unknown = set(raw) - SLOT_KEYS
    if unknown:
        raise BankError(f"{at}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(SLOT_KEYS))})")
    if ("family" in raw) == ("families" in raw):
        raise BankError(f"{at}: give exactly one of family = \"id\" or families = [\"id\", ...]")
    families = [raw["family"]] if "family" in raw else raw["families"]
    if not isinstance(families, list) or not families or not all(isinstance(f, str) for f in families):
        raise BankError(f"{at}: families must be a non-empty list of family ids")
    difficulty = raw.get("difficulty", "medium")
    if difficulty not in DIFFICULTIES:
        raise BankError(f"{at}: difficulty '{difficulty}' is not one of {', '.join(DIFFICULTIES)}")
    by_family = _difficulty_by_family(at, raw.get("difficulty_by_family", {}), families)
    points = raw.get("points")
    if points is not None and (not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= 1000):
        raise BankError(f"{at}: points must be a whole number from 1 to 1000, got {points!r}")
    parts = raw.get("parts")
    if parts is not None and (not isinstance(parts, list) or not parts or not all(isinstance(p, str) for p in parts)):
        raise BankError(f"{at}: parts must be a non-empty list of part letters")
    convention = raw.get("convention")
    for fid in families:
        try:
            fam = get_family(fid)
            fam.check_difficulty(by_family.get(fid, difficulty))
            if convention is not None:
                fam.check_convention(convention)
        except ProbgenError as exc:
            raise BankError(f"{at}: {exc}") from None
    if convention is not None and not any(get_family(fid).conventions for fid in families):
        raise BankError(f"{at}: convention = \"{convention}\" does nothing here: "
                        f"{' and '.join(families)} {'has' if len(families) == 1 else 'have'} no formula conventions "
                        "(remove the line)")
    return Slot(families=list(families), difficulty=difficulty, convention=convention, points=points, parts=parts,
                where=at, difficulty_by_family=by_family)


def _difficulty_by_family(at: str, raw, families: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise BankError(f"{at}: difficulty_by_family must be a table, e.g. {{ sgd-trace = \"hard\" }}")
    for fid, difficulty in raw.items():
        if fid not in families:
            raise BankError(f"{at}: difficulty_by_family names '{fid}', which is not one of this slot's families "
                            f"({', '.join(families)})")
        if difficulty not in DIFFICULTIES:
            raise BankError(f"{at}: difficulty_by_family: '{fid}' = {difficulty!r} is not one of "
                            f"{', '.join(DIFFICULTIES)}")
    return {fid: raw[fid] for fid in families if fid in raw}  # in the slot's order
