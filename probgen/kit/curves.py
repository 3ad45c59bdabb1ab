"""Figure reading: train/validation loss curves of a simulated training run, drawn from parameters.

`LossCurves` is a pool item (probgen.kit.concepts) that yields two parts from one figure: the
early-stopping epoch (lowest validation loss) and the diagnosis (overfitting, underfitting, or
still improving). The curves are built by construction so that the answer is unambiguous: the
validation minimum is unique and at least 0.03 below every other epoch's value, and the figure
(`{"type": "curves"}`, drawn by render/pdf_plot and render/text_chart) shows exactly the values
the answers are computed from.
"""

from __future__ import annotations

import math
from typing import Any

from ..core.model import Misconception, Part
from .concepts import LETTERS, Built, Item, Mistake

REGIMES = ("overfit", "overfit", "underfit", "improving")  # overfitting runs half the time
DIAGNOSES = {
    "overfit": "overfitting: the training loss keeps falling while the validation loss rises",
    "underfit": "underfitting: both losses level off high and close together",
    "improving": "neither yet: both losses are still falling, so training can go on",
    "diverge": "the learning rate is too large: the loss diverges",
}
REMEDIES = {
    "overfit": "stop training earlier (early stopping), or add regularization such as an L2 penalty or "
               "dropout",
    "underfit": "give the model more capacity (a larger network); more regularization would not help",
    "improving": "train for more epochs",
    "never": "drop the validation set and watch only the training loss",
}
LEAD = "[[figure]]\n\nThe figure shows the training and validation loss of a network, epoch by epoch."
MARGIN = 0.05  # every epoch 3 or more away from the best is this much higher


def _round(x: float) -> float:
    return round(x, 3)


def simulate(regime: str, epochs: int, best: int, start: float, floor: float, speed: float,
             rise: float) -> tuple[list[float], list[float]]:
    """Training and validation loss per epoch 1..epochs, 3 decimals.

    overfit: training loss decays towards `floor` (and keeps falling by at least 0.002 an epoch, so
    the last epoch's is the lowest as printed); validation loss falls to its unique minimum at
    epoch `best` (0.15 above the training loss there) and rises by about `rise` per epoch after.
    underfit: training loss decays fast to a high `floor` and levels off; validation loss a little
    above it falls (at least 0.004 an epoch) to its minimum at epoch `best` and creeps up by
    `rise` per epoch after, far less than an overfitting run's.
    improving: both decay slowly and are still falling at the last epoch."""
    train = [floor + (start - floor) * math.exp(-speed * (t - 1)) for t in range(1, epochs + 1)]
    if regime == "overfit":
        train = [tr + 0.003 * (epochs - t) for t, tr in enumerate(train, start=1)]
        v_best = train[best - 1] + 0.15
        a = (start + 0.05 - v_best) / (best - 1) ** 1.5
        val = [v_best + a * (best - t) ** 1.5 if t <= best else v_best + rise * (t - best) ** 1.2
               for t in range(1, epochs + 1)]
        val = [max(v, tr + 0.05) if t != best else v for t, (v, tr) in enumerate(zip(val, train), start=1)]
    elif regime == "underfit":
        v_best = train[best - 1] + 0.06
        val = [tr + 0.06 + 0.004 * (best - t) if t <= best else v_best + rise * (t - best)
               for t, tr in enumerate(train, start=1)]
    else:
        val = [tr + 0.08 + 0.1 * (1 - math.exp(-0.1 * (t - 1))) * 0.5 for t, tr in enumerate(train, start=1)]
    return [_round(x) for x in train], [_round(x) for x in val]


def clear_minimum(val: list[float]) -> bool:
    """The printed validation values fall strictly to one minimum and rise strictly after it."""
    best = val.index(min(val))
    return (all(a > b for a, b in zip(val[:best], val[1:best + 1]))
            and all(a < b for a, b in zip(val[best:], val[best + 1:])))


def early_stopping_epoch(val: list[float]) -> int:
    """The epoch (1-based) with the lowest validation loss."""
    return min(range(len(val)), key=lambda i: val[i]) + 1


def diagnosis_of(train: list[float], val: list[float]) -> str:
    """The regime read off the curves themselves (the same rule the tests state independently):
    validation minimum well before the end and rising after it: overfit; else training loss
    still falling by at least 0.02 per epoch at the end: improving; else underfit."""
    best = early_stopping_epoch(val)
    if best < len(val) - 2 and val[-1] - val[best - 1] >= 0.1:
        return "overfit"
    if train[-2] - train[-1] >= 0.02:
        return "improving"
    return "underfit"


def _choice_part(key, options: dict, right: str, texts: dict, why: dict, mis: list, points=2) -> tuple[Part, list[str]]:
    letters = {LETTERS[i]: o for i, o in enumerate(options)}
    answer = next(k for k, o in letters.items() if o == right)
    part = Part(key=key, kind="choice", answer=answer, exact=answer, tolerance=0, points=points,
                choices={k: texts[o] for k, o in letters.items()}, explanations={k: why[o] for k, o in letters.items()},
                misconceptions=[Misconception(name=n, value=k, explanation=e) for k, o in letters.items()
                                for (mo, n, e) in mis if mo == o and o != right])
    steps = [f"- **({k})** {'right' if k == answer else 'wrong'}: {why[o]}" for k, o in letters.items()]
    return part, steps


class LossCurves(Item):
    """Figure-reading parts from one simulated run: for an overfitting run the early-stopping
    epoch, then (every run) the diagnosis and the remedy."""

    id = "loss-curves"
    has_figure = True

    def draw(self, draw) -> dict[str, Any]:
        regime = draw.choice(REGIMES)
        epochs = draw.choice((16, 20, 24))
        start = draw.choice((2.0, 2.2, 2.4))
        if regime == "overfit":
            best = draw.integer(5, epochs - 6)
            floor, speed, rise = draw.choice((0.05, 0.1, 0.15)), draw.choice((0.25, 0.3, 0.4)), draw.choice((0.03, 0.04, 0.05))
        elif regime == "underfit":
            best, floor = epochs - draw.integer(4, 6), draw.choice((0.9, 1.0, 1.1))
            speed, rise = draw.choice((0.5, 0.6)), draw.choice((0.006, 0.008))
        else:
            best, floor, speed, rise = epochs, draw.choice((0.05, 0.1)), draw.choice((0.08, 0.1)), 0.0
        train, val = simulate(regime, epochs, best, start, floor, speed, rise)
        if not clear_minimum(val) or val.index(min(val)) + 1 != best:
            raise AssertionError(f"loss curves without one clear validation minimum: {val}")
        inst = {"train": train, "val": val}
        diagnoses, remedies = list(DIAGNOSES), list(REMEDIES)
        draw.shuffle(diagnoses)
        draw.shuffle(remedies)
        inst["diagnosis_order"], inst["remedy_order"] = diagnoses, remedies
        if regime == "overfit":
            inst["epoch_options"] = self._epoch_options(draw, val)
        return inst

    @staticmethod
    def _epoch_options(draw, val: list[float]) -> list[int]:
        """The right epoch, the last epoch (lowest training loss) and two more at least 3 epochs
        from the right one, shuffled."""
        best, last = early_stopping_epoch(val), len(val)
        picks = [best, last]
        for e in (best - 3, best + 3, best - 4, best + 5, best // 2, 1, 2):
            if 1 <= e <= last and e not in picks and abs(e - best) >= 3 and all(abs(e - p) >= 2 for p in picks):
                picks.append(e)
            if len(picks) == 4:
                break
        draw.shuffle(picks)
        return picks

    def build(self, key, inst, mistakes: dict[str, Mistake]) -> list[Built]:
        train, val = inst["train"], inst["val"]
        n = len(val)
        best, regime = early_stopping_epoch(val), diagnosis_of(train, val)
        figure = {"type": "curves", "xlabel": "epoch", "ylabel": "loss", "x": list(range(1, n + 1)),
                  "series": [{"name": "training loss", "y": train}, {"name": "validation loss", "y": val}]}
        keys = iter(LETTERS[LETTERS.index(key):])
        out = []
        lead = ""
        if "epoch_options" in inst:
            why = {e: (f"The validation loss is lowest at epoch {best} ({val[best - 1]:g}); early stopping keeps "
                       "those weights." if e == best else
                       f"Epoch {e} has the lowest training loss ({train[e - 1]:g}), but early stopping watches the "
                       f"validation loss, {val[e - 1]:g} there against {val[best - 1]:g} at epoch {best}." if e == n else
                       f"The validation loss at epoch {e} is {val[e - 1]:g}, higher than {val[best - 1]:g} at epoch {best}.")
                   for e in inst["epoch_options"]}
            m = mistakes["stop-at-train-min"]
            part, steps = _choice_part(next(keys), inst["epoch_options"], best, {e: f"epoch {e}" for e in why},
                                       why, [(n, m.name, m.explanation)])
            out.append(Built("With early stopping, which epoch's weights are kept?", part, figure, steps, LEAD))
        said = _explained(train, val)
        dwhy = {d: said[("diagnosis", d, regime)] for d in DIAGNOSES}
        dmis = [(d, mistakes[f"call-{d}"].name, mistakes[f"call-{d}"].explanation) for d in DIAGNOSES if f"call-{d}" in mistakes]
        part, steps = _choice_part(next(keys), inst["diagnosis_order"], regime, DIAGNOSES, dwhy, dmis)
        out.append(Built(f"What does the figure show about the run at its last epoch (epoch {n})?", part, figure,
                         steps, LEAD))
        rwhy = {r: said[("remedy", r, regime)] for r in REMEDIES}
        rmis = [(r, mistakes[f"remedy-{r}"].name, mistakes[f"remedy-{r}"].explanation) for r in REMEDIES if f"remedy-{r}" in mistakes]
        part, steps = _choice_part(next(keys), inst["remedy_order"], regime, REMEDIES, rwhy, rmis)
        out.append(Built("Which next step do these curves call for?",
                         part, figure, steps))
        return out


def _explained(train: list[float], val: list[float]) -> dict[tuple[str, str, str], str]:
    """Why each diagnosis and each remedy is right or wrong for these curves, keyed by (part,
    option, the run's regime): every number in it is one the figure prints."""
    n, best = len(val), early_stopping_epoch(val)
    vb, ve, te, t5 = (f"{x:g}" for x in (val[best - 1], val[-1], train[-1], train[-6]))
    t1, vp = f"{train[0]:g}", f"{val[-2]:g}"
    gain = f"{round(val[-1] - val[best - 1], 3):g}"
    risen = f"it has risen from {vb} at epoch {best} to {ve} at epoch {n}"
    level = f"the training loss has levelled off ({t5} at epoch {n - 5}, {te} at epoch {n})"
    falling = f"the validation loss is still falling at the last epoch ({vp} at epoch {n - 1}, {ve} at epoch {n})"
    w = {}
    for regime in ("overfit", "underfit", "improving"):
        now = {"overfit": f"here the validation loss is lowest at epoch {best} ({vb}) and has risen to {ve} at epoch {n}",
               "underfit": f"here {level} and the validation loss rose only {gain} after epoch {best}",
               "improving": f"here {falling}"}[regime]
        w["diagnosis", "overfit", regime] = (
            f"The validation loss is lowest at epoch {best} ({vb}) and rises after it, to {ve} at epoch {n}, while the "
            f"training loss keeps falling (to {te}): the model fits the training data better and generalizes worse."
            if regime == "overfit" else
            f"Overfitting shows as a validation loss that climbs well above its minimum while the training loss keeps "
            f"falling; {now}.")
        w["diagnosis", "underfit", regime] = (
            f"Both losses level off high: the training loss is {t5} at epoch {n - 5} and {te} at epoch {n}, the "
            f"validation loss {ve}, close above it. The model does not fit even its training data."
            if regime == "underfit" else
            f"Underfitting shows as both losses levelling off high; here the training loss goes down to {te}.")
        w["diagnosis", "improving", regime] = (
            f"Both losses are still falling at epoch {n} and the validation loss is lowest there ({ve}): no sign of "
            "overfitting yet." if regime == "improving" else
            f"Still improving would mean the validation loss is still falling at the last epoch; {now}.")
        w["diagnosis", "diverge", regime] = (
            f"A too-large learning rate makes the training loss oscillate or blow up; here it never rises, from {t1} "
            f"at epoch 1 to {te} at epoch {n}.")
        w["remedy", "overfit", regime] = {
            "overfit": f"The deck's 'Early Stopping - before it has the time to become uneven': keep epoch {best}'s "
                       f"weights ({vb}), or regularize (L1/L2, dropout) so the validation loss does not rise.",
            "underfit": f"Early stopping would only go back to epoch {best}'s {vb}, {gain} below the last epoch, and "
                        f"regularization would make a model that cannot fit its training data (training loss {te}) "
                        "fit it even worse.",
            "improving": f"Regularization and early stopping fight overfitting; this run does not overfit: {falling}.",
        }[regime]
        w["remedy", "underfit", regime] = {
            "overfit": f"More capacity helps a model that cannot fit its training data; this one fits it (training "
                       f"loss {te}) and overfits: a larger network would overfit more.",
            "underfit": f"The model cannot fit its training data: {level}, high. It needs more capacity; "
                        "regularization would make the fit worse.",
            "improving": f"More capacity helps a model that cannot fit its training data; this one still fits it better "
                         f"every epoch (training loss down to {te}).",
        }[regime]
        w["remedy", "improving", regime] = (
            f"{falling[0].upper()}{falling[1:]}: more epochs should lower it further." if regime == "improving" else
            f"More epochs help only while the validation loss falls; here {risen}.")
        w["remedy", "never", regime] = (
            "The validation loss is what tells over- from underfitting and picks the early-stopping epoch; without it "
            "you cannot tell when the model stops generalizing.")
    return w
