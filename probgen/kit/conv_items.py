"""Convolution items with drawn sizes (for convolution-concepts): weights of a fully connected
layer vs a convolution layer on the same image, the receptive field after L stacked layers, the
output size with padding and stride. Each key and each distractor is computed from the drawn
sizes; the tests recompute them with torch (layer weight counts, output shapes, gradients)."""

from __future__ import annotations

from typing import Any

from ..core.model import Misconception, Part
from ..core.numfmt import superscript
from .concepts import LETTERS, Built, Item


def _n(x: int) -> str:
    return f"{x:,}"


class DrawnChoice(Item):
    """A choice item whose options are computed from a drawn instance. `options(inst)` returns
    [(text, why, mistake id or None)], the right one first; distinct texts, at least 4. The draw
    stores the shown order (indices into that list) in the instance."""

    points = 2
    shown = 4

    def instance(self, draw) -> dict[str, Any]:
        raise NotImplementedError

    def options(self, inst: dict[str, Any]) -> list[tuple[str, str, str | None]]:
        raise NotImplementedError

    def prompt(self, inst: dict[str, Any]) -> str:
        raise NotImplementedError

    def _opts(self, inst: dict[str, Any]) -> list[tuple[str, str, str | None]]:
        """The options with repeated texts dropped (the first reading kept), at least `shown`."""
        out, seen = [], set()
        for o in self.options(inst):
            if o[0] not in seen:
                out.append(o)
                seen.add(o[0])
        if len(out) < self.shown:
            raise ValueError(f"{self.id}: too few distinct options for {inst}")
        return out

    def draw(self, draw) -> dict[str, Any]:
        inst = self.instance(draw)
        opts = self._opts(inst)
        order = [0] + draw.sample(range(1, len(opts)), self.shown - 1)
        draw.shuffle(order)
        return {**inst, "order": order}

    def build(self, key, inst, mistakes) -> Built:
        opts = self._opts(inst)
        letters = {LETTERS[i]: opts[j] for i, j in enumerate(inst["order"])}
        answer = LETTERS[inst["order"].index(0)]
        why = {k: (o[1] or mistakes[o[2]].explanation) for k, o in letters.items()}
        mis = [Misconception(name=mistakes[o[2]].name, value=k, explanation=why[k])
               for k, o in letters.items() if k != answer and o[2]]
        part = Part(key=key, kind="choice", answer=answer, exact=answer, tolerance=0, points=self.points,
                    choices={k: o[0] for k, o in letters.items()}, explanations=why, misconceptions=mis)
        steps = [f"- **({k})** {'right' if k == answer else 'wrong'}: {why[k]}" for k in letters]
        return Built(self.prompt(inst), part, steps=steps)


class FcVsConv(DrawnChoice):
    """Weights of a fully connected layer on the raw pixels vs a convolution layer (biases ignored)."""

    id = "fc-vs-conv"
    group = "fc"

    def instance(self, draw):
        return {"side": draw.choice((28, 32, 64, 96, 128)), "hidden": draw.choice((100, 200, 500, 1000)),
                "k": draw.choice((3, 5)), "filters": draw.choice((16, 32, 64))}

    def prompt(self, inst):
        s, n, k, f = inst["side"], inst["hidden"], inst["k"], inst["filters"]
        return (f"A colour image of ${s} \\times {s} \\times 3$ pixel values goes either into a fully connected "
                f"layer with {n} hidden units or into a convolution layer with {f} filters of size "
                f"${k} \\times {k}$ (stride 1, padding so the output stays ${s} \\times {s}$). How many weights "
                "does each layer have (biases not counted)?")

    def options(self, inst):
        s, n, k, f = inst["side"], inst["hidden"], inst["k"], inst["filters"]
        fc, conv = s * s * 3 * n, k * k * 3 * f
        pair = "fully connected {}, convolution {}".format
        return [
            (pair(_n(fc), _n(conv)),
             f"Fully connected: one weight from each of the {s}·{s}·3 = {_n(s * s * 3)} inputs to each of the "
             f"{n} units, {_n(fc)}. Convolution: {f} filters of {k}·{k}·3 weights, shared by every position: "
             f"{_n(conv)}, about {fc // conv:,} times fewer.", None),
            (pair(_n(s * s * n), _n(conv)), "", "fc-forgets-channels"),
            (pair(_n(fc), _n(conv * s * s)), "", "conv-no-sharing"),
            (pair(_n(fc), _n(k * k * f)), "", "conv-kernel-one-channel"),
        ]


class StackedRF(DrawnChoice):
    """Receptive field of one output after L stacked k × k convolutions, stride 1: 1 + L(k − 1)."""

    id = "rf-stacked"
    group = "rf"

    def instance(self, draw):
        k = draw.choice((3, 5))
        return {"k": k, "layers": draw.integer(2, 5 if k == 3 else 3)}

    def prompt(self, inst):
        k, L = inst["k"], inst["layers"]
        return (f"A CNN stacks {L} convolution layers, each with ${k} \\times {k}$ kernels and stride 1 (no "
                "pooling). How wide is the receptive field of one output of the last layer, in input pixels?")

    def options(self, inst):
        k, L = inst["k"], inst["layers"]
        rf = 1 + L * (k - 1)
        return [
            (f"${rf} \\times {rf}$",
             f"Each layer adds k − 1 = {k - 1} pixels: 1 + L(k − 1) = 1 + {L}·{k - 1} = {rf}.", None),
            (f"${L * k} \\times {L * k}$",
             f"{L}·{k} = {L * k} adds the kernel widths, but neighbouring windows overlap: each layer adds "
             f"k − 1 = {k - 1}, not k.", "rf-sum-kernels"),
            (f"${k ** L} \\times {k ** L}$",
             f"{k}{superscript(L)} = {k ** L} would make the field multiply with depth; with stride 1 it grows by k − 1 per "
             "layer.", "rf-multiplies"),
            (f"${k} \\times {k}$", "", "rf-no-depth"),
        ]


class OutputSize(DrawnChoice):
    """Output width (N − k + 2P)/S + 1 with stride 2."""

    id = "out-size"
    group = "size"

    def instance(self, draw):
        k = draw.choice((3, 5, 7))
        pad = draw.integer(1, (k - 1) // 2)
        n = draw.integer(k + 4, 30)  # n - k >= 4 keeps five distinct readings
        if (n - k) % 2:
            n += 1
        return {"n": n, "k": k, "pad": pad, "stride": 2}

    def prompt(self, inst):
        n, k, p, s = inst["n"], inst["k"], inst["pad"], inst["stride"]
        return (f"A convolution layer with ${k} \\times {k}$ kernels, zero padding $P = {p}$ and stride $S = {s}$ "
                f"is applied to a ${n} \\times {n}$ input. What is the height and width of its output?")

    def options(self, inst):
        n, k, p, s = inst["n"], inst["k"], inst["pad"], inst["stride"]
        out = (n - k + 2 * p) // s + 1
        sq = "${0} \\times {0}$".format
        return [
            (sq(out), f"(N − k + 2P)/S + 1 = ({n} − {k} + {2 * p})/{s} + 1 = {out}.", None),
            (sq((n - k) // s + 1), f"({n} − {k})/{s} + 1 = {(n - k) // s + 1} leaves out the {p} zeros padded on "
             "each side.", "padding-forgotten"),
            (sq(n - k + 2 * p + 1), f"{n} − {k} + {2 * p} + 1 = {n - k + 2 * p + 1} is the stride-1 size; with "
             f"stride {s} the kernel moves {s} pixels at a time.", "stride-forgotten"),
            (sq(out - 1), f"({n} − {k} + {2 * p})/{s} = {out - 1} forgets the +1: the first window position is an "
             "output too.", None),
            (sq(n - k + 1), f"{n} − {k} + 1 = {n - k + 1} leaves out both the padding and the stride.",
             "stride-forgotten"),
        ]
