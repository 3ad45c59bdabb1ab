"""Conceptual items: pools of choice, select-all, true/false-with-justification and short-answer
questions, drawn per seed with the same `Draw` as every family.

A conceptual family declares a `Pool` of items. `generate` calls `pool.generate(draw, count)`,
which picks the items and, for choice items, which distractors appear and in what order; all of
that goes into the params, so `solve(params)` (`pool.solve(params)`) rebuilds the same parts and
prompts with no randomness. Templates render the prompts with `{% include "concept_parts.j2" %}`.

    Choice("bn-test", "Why can batch norm not use ... at test time?",
           right=[Opt("...", "why it is right")],
           wrong=[Opt("...", mistake="bn-test-batch-stats"), ...])

A wrong option names a misconception of the topic's catalogue (`probgen.kit.catalogue.<topic>`):
its name is what the grader says when a student picks it, and its explanation is the option's
'why' unless the option gives its own. Items with numbers (a drawn learning rate, a drawn curve)
subclass `Item` and implement `draw` and `build` themselves.
"""

from __future__ import annotations

import re

import importlib
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..core.model import DIFFICULTIES, Misconception, Part

LETTERS = "abcdefgh"


# ------------------------------------------------------------------------- the catalogue

@dataclass(frozen=True)
class Mistake:
    """A misconception of the catalogue: `name` is shown to a student who holds it."""

    name: str
    explanation: str


def catalogue(topic: str) -> dict[str, Mistake]:
    """The misconception catalogue of a topic: id -> Mistake (module probgen.kit.catalogue.<topic>)."""
    module = importlib.import_module(f"{__package__}.catalogue.{topic.replace('-', '_')}")
    return module.MISCONCEPTIONS


# ------------------------------------------------------------------------- options and items

@dataclass(frozen=True)
class Opt:
    """One option: its text (markup) and why it is right or wrong. A wrong option names the
    catalogue misconception it comes from; its `why` defaults to that entry's explanation."""

    text: str
    why: str = ""
    mistake: str | None = None


class Item:
    """One question of a pool. `draw` picks the instance (JSON-able dict); `build` turns it into
    the prompt (markup), the Part and optionally a figure, with no randomness. Subclasses set
    `id` (unique in the pool) and may set `difficulties` (default: all three). An item that
    draws the problem's figure sets `has_figure`; its parts go first."""

    has_figure = False

    def draw(self, draw) -> dict[str, Any]:
        return {}

    def build(self, key: str, inst: dict[str, Any], mistakes: dict[str, Mistake]) -> "Built | list[Built]":
        """`key`: this item's part key; an item giving several parts (a figure item) uses the
        keys that follow it for the others."""
        raise NotImplementedError


@dataclass
class Built:
    prompt: str
    part: Part
    figure: dict[str, Any] | None = None
    steps: list[str] = field(default_factory=list)  # worked-solution lines (markup) for the key
    lead: str = ""  # statement text that goes before all parts (a figure and what it shows)


_MATH = re.compile(r"(\$\$.+?\$\$|\$.+?\$)", re.S)
_HYPHEN_MINUS = re.compile(r"(?<![\w\-])-(?=\d)|(?<=[\d)] )-(?= \(?\d)")
_COMMA_GROUP = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def prose(text: str) -> str:
    """Numbers in plain text as the sheets print them elsewhere: a true minus sign, and digit
    groups with a narrow space that never breaks a line (U+202F; "36 ⏎ 864" split one number; a
    comma reads as a decimal point in many locales). In math the typesetter prints `{,}` as a
    thin space (render.pdf_paragraphs), as core.numfmt.group does."""
    pieces = _MATH.split(text)
    return "".join(p if i % 2 else _COMMA_GROUP.sub("\u202f", _HYPHEN_MINUS.sub("−", p))
                   for i, p in enumerate(pieces))


def _why(opt: Opt, mistakes: dict[str, Mistake]) -> str:
    if opt.why:
        return opt.why
    if opt.mistake:
        return mistakes[opt.mistake].explanation
    raise ValueError(f"option {opt.text!r} has no explanation")


def _option_steps(letters: dict[str, Opt], right: set[str], mistakes) -> list[str]:
    return [f"- **({k})** {'right' if k in right else 'wrong'}: {_why(o, mistakes)}" for k, o in letters.items()]


def _named(opt: Opt, mistakes: dict[str, Mistake]) -> tuple[str, str] | None:
    """(name, explanation) of the catalogue misconception behind a wrong option, if it has one
    (the grader names it; every option's own 'why' is in the worked solution anyway)."""
    if not opt.mistake:
        return None
    return mistakes[opt.mistake].name, _why(opt, mistakes)


def _shown(item, order: list[str]) -> dict[str, Opt]:
    """The options of a Choice or Multi item by letter, in the drawn `order` ('r0' = right[0], 'w2' = wrong[2])."""
    return {LETTERS[i]: (item.right if c[0] == "r" else item.wrong)[int(c[1:])] for i, c in enumerate(order)}


@dataclass
class Choice(Item):
    """One right option and `options - 1` distractors drawn from `wrong`, shuffled."""

    id: str
    prompt: str
    right: Sequence[Opt]
    wrong: Sequence[Opt]
    options: int = 4
    points: int = 2
    difficulties: tuple[str, ...] = ("easy", "medium", "hard")
    group: str | None = None  # items of one group ask about the same idea: one per problem

    def draw(self, draw) -> dict[str, Any]:
        picked = [f"r{draw.integer(0, len(self.right) - 1)}"]
        picked += [f"w{i}" for i in draw.sample(range(len(self.wrong)), self.options - 1)]
        draw.shuffle(picked)
        return {"order": picked}

    def build(self, key, inst, mistakes) -> Built:
        letters = _shown(self, inst["order"])
        answer = next(k for k, c in zip(letters, inst["order"]) if c[0] == "r")
        mis = []
        for k in letters:
            if k != answer and _named(letters[k], mistakes):
                name, why = _named(letters[k], mistakes)
                mis.append(Misconception(name=name, value=k, explanation=why))
        part = Part(key=key, kind="choice", answer=answer, exact=answer, tolerance=0, points=self.points,
                    choices={k: o.text for k, o in letters.items()},
                    explanations={k: _why(o, mistakes) for k, o in letters.items()}, misconceptions=mis)
        return Built(self.prompt, part, steps=_option_steps(letters, {answer}, mistakes))


@dataclass
class Multi(Item):
    """Select all that apply: `n_right` (lo, hi) right options and the rest wrong, shuffled."""

    id: str
    prompt: str
    right: Sequence[Opt]
    wrong: Sequence[Opt]
    options: int = 4
    n_right: tuple[int, int] = (1, 3)
    points: int = 3
    difficulties: tuple[str, ...] = ("easy", "medium", "hard")
    group: str | None = None  # items of one group ask about the same idea: one per problem

    def draw(self, draw) -> dict[str, Any]:
        lo, hi = self.n_right
        hi = min(hi, len(self.right), self.options - 1)
        k = draw.integer(max(1, lo, self.options - len(self.wrong)), hi)
        picked = [f"r{i}" for i in draw.sample(range(len(self.right)), k)]
        picked += [f"w{i}" for i in draw.sample(range(len(self.wrong)), self.options - k)]
        draw.shuffle(picked)
        return {"order": picked}

    def build(self, key, inst, mistakes) -> Built:
        letters = _shown(self, inst["order"])
        answer = [k for k, c in zip(letters, inst["order"]) if c[0] == "r"]
        wrong = [k for k in letters if k not in answer]
        mis = []
        for k in wrong:  # the one-extra-option answer a student holding that belief gives
            if not _named(letters[k], mistakes):
                continue
            name, why = _named(letters[k], mistakes)
            mis.append(Misconception(name=name, value=sorted(answer + [k]), explanation=why))
        part = Part(key=key, kind="multi", answer=answer, exact=answer, tolerance=0, points=self.points,
                    choices={k: o.text for k, o in letters.items()},
                    explanations={k: _why(o, mistakes) for k, o in letters.items()}, misconceptions=mis)
        return Built(self.prompt, part, steps=_option_steps(letters, set(answer), mistakes))


def rubric(*lines: tuple[int, str]) -> list[dict[str, Any]]:
    return [{"points": int(p), "idea": idea} for p, idea in lines]


@dataclass
class TrueFalse(Item):
    """A statement to mark T or F (graded automatically, `tf_points`) and justify (graded by hand
    with `rubric`). `mistake`: the catalogue belief that leads to the wrong verdict."""

    id: str
    statement: str
    truth: bool
    why: str  # the model justification
    rubric: Sequence[tuple[int, str]]
    mistake: str | None = None
    tf_points: int = 1
    difficulties: tuple[str, ...] = ("easy", "medium", "hard")
    group: str | None = None  # items of one group ask about the same idea: one per problem

    def build(self, key, inst, mistakes) -> Built:
        answer, other = ("T", "F") if self.truth else ("F", "T")
        rub = rubric(*self.rubric)
        mis = []
        if self.mistake:
            m = mistakes[self.mistake]
            mis.append(Misconception(name=m.name, value=other, explanation=m.explanation))
        part = Part(key=key, kind="truefalse", answer=answer, exact=answer, tolerance=0,
                    points=self.tf_points + sum(r["points"] for r in rub),
                    choices=None, explanations={answer: self.why}, model_answer=self.why, rubric=rub,
                    misconceptions=mis)
        prompt = f"True or false? {self.statement}"
        return Built(prompt, part, steps=[f"**{'True' if self.truth else 'False'}.** {self.why}"])


@dataclass
class Short(Item):
    """A one- or two-sentence answer or a short derivation, graded by hand with `rubric`."""

    id: str
    prompt: str
    model: str
    rubric: Sequence[tuple[int, str]]
    difficulties: tuple[str, ...] = ("easy", "medium", "hard")
    group: str | None = None  # items of one group ask about the same idea: one per problem

    def build(self, key, inst, mistakes) -> Built:
        rub = rubric(*self.rubric)
        part = Part(key=key, kind="short", answer=self.model, exact=None, tolerance=0,
                    points=sum(r["points"] for r in rub), model_answer=self.model, rubric=rub)
        return Built(self.prompt, part, steps=[self.model])


# ------------------------------------------------------------------------- the pool

def _join(lines: list[str]) -> str:
    """Worked-solution lines as markup: list items ('- ...') one per line, anything else a paragraph."""
    out = ""
    for line in lines:
        if out:
            out += "\n" if line.startswith("- ") and out.rsplit("\n", 1)[-1].startswith("- ") else "\n\n"
        out += line
    return out


@dataclass
class Pool:
    """The items of a conceptual family and the topic whose misconception catalogue they use."""

    topic: str
    items: Sequence[Item]
    # pairs of item ids of which one shows the other's answer (a prompt that states what a
    # true/false statement asks, a formula beside 'must you run every step?'): never drawn together
    reveals: Sequence[tuple[str, str]] = ()

    def __post_init__(self):
        ids = [it.id for it in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate item ids in pool: {sorted(i for i in ids if ids.count(i) > 1)}")
        self.by_id = {it.id: it for it in self.items}
        self.apart: dict[str, set[str]] = {}
        for a, b in self.reveals:
            if a not in self.by_id or b not in self.by_id:
                raise ValueError(f"reveals names an item not in the pool: {a!r}, {b!r}")
            self.apart.setdefault(a, set()).add(b)
            self.apart.setdefault(b, set()).add(a)
        known = catalogue(self.topic)
        for it in self.items:
            for opt in [*getattr(it, "right", ()), *getattr(it, "wrong", ())]:
                if opt.mistake and opt.mistake not in known:
                    raise ValueError(f"{it.id}: unknown misconception {opt.mistake!r}")
                if opt.mistake is None and not opt.why:
                    raise ValueError(f"{it.id}: option {opt.text!r} has no explanation")
            if getattr(it, "mistake", None) and it.mistake not in known:
                raise ValueError(f"{it.id}: unknown misconception {it.mistake!r}")

    def available(self, difficulty: str) -> list[Item]:
        return [it for it in self.items if difficulty in getattr(it, "difficulties", DIFFICULTIES)]

    def generate(self, draw, difficulty: str, count: int, *, first: Sequence[Item] = ()) -> dict[str, Any]:
        """Params for `count` items: the `first` ones (e.g. a figure item) then a sample of the rest,
        in drawn order, at most one item per `group` (items asking about the same idea) and no
        two items of which one reveals the other's answer (`reveals`). Each item's instance is
        drawn after all items are picked."""
        rest = [it for it in self.available(difficulty) if it not in first]
        draw.shuffle(rest)
        chosen, groups = list(first), {getattr(it, "group", None) for it in first} - {None}
        barred = set().union(*(self.apart.get(it.id, set()) for it in first))
        for it in rest:
            group = getattr(it, "group", None)
            if len(chosen) < count and (group is None or group not in groups) and it.id not in barred:
                chosen.append(it)
                groups.add(group)
                barred |= self.apart.get(it.id, set())
        if len(chosen) < count:
            raise ValueError(f"pool has too few items for {count} at this difficulty")
        # a figure item's parts come first, right under the figure they read (stable: the rest keep their order)
        chosen.sort(key=lambda it: not getattr(it, "has_figure", False))
        return {"items": [{"id": it.id, **it.draw(draw)} for it in chosen]}

    def solve(self, params: dict[str, Any]):
        """Parts, the template's work (prompts and worked-solution lines per part key) and the figure."""
        mistakes = catalogue(self.topic)
        parts, prompts, steps, figure, lead = [], {}, {}, None, ""
        for inst in params["items"]:
            made = self.by_id[inst["id"]].build(LETTERS[len(parts)], inst, mistakes)
            for built in made if isinstance(made, list) else [made]:  # a figure item may give several parts
                key = built.part.key
                part = built.part
                part.explanations = part.explanations and {k: prose(v) for k, v in part.explanations.items()}
                part.model_answer = part.model_answer and prose(part.model_answer)
                part.rubric = part.rubric and [{**r, "idea": prose(r["idea"])} if "idea" in r else r
                                               for r in part.rubric]
                part.choices = part.choices and {k: prose(v) for k, v in part.choices.items()}
                parts.append(part)
                prompts[key], steps[key] = prose(built.prompt), prose(_join(built.steps))
                figure = figure or built.figure
                lead = lead or prose(built.lead)
        return parts, {"prompts": prompts, "steps": steps, "lead": lead}, figure
