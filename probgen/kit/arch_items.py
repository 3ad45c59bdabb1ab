"""Architecture items with drawn numbers (for architectures-concepts): the weights a depthwise-
separable convolution saves, and the gradient through a residual block, ∂L/∂y · (1 + F′(x)).
Keys and distractors are computed from the drawn numbers; the tests recompute them with torch
(grouped and 1 × 1 `Conv2d` weight counts, autograd through y = x + F(x))."""

from __future__ import annotations

from .conv_items import DrawnChoice


def _n(x: int) -> str:
    return f"{x:,}"


def _g(x: float) -> str:
    return f"{round(x, 6):g}"


def separable_counts(k: int, cin: int, cout: int) -> tuple[int, int, int]:
    """(standard, depthwise, pointwise) weights, biases not counted."""
    return k * k * cin * cout, k * k * cin, cin * cout


class SeparableSavings(DrawnChoice):
    """Weights of a depthwise-separable convolution and how many times fewer than the standard one."""

    id = "separable-savings"
    group = "separable"

    def instance(self, draw):
        return {"k": draw.choice((3, 5)), "cin": draw.choice((32, 64, 128)), "cout": draw.choice((64, 128, 256))}

    def prompt(self, inst):
        k, ci, co = inst["k"], inst["cin"], inst["cout"]
        return (f"A standard convolution layer has ${k} \\times {k}$ kernels, {ci} input channels and {co} output "
                "channels. It is replaced by a depthwise-separable convolution: a depthwise "
                f"${k} \\times {k}$ convolution (one filter per input channel) followed by a pointwise "
                f"$1 \\times 1$ convolution to {co} channels. How many weights does the replacement have "
                "(biases not counted), and how do they compare with the standard layer's?")

    def options(self, inst):
        k, ci, co = inst["k"], inst["cin"], inst["cout"]
        std, dw, pw = separable_counts(k, ci, co)

        def text(n):
            if n == std:
                return f"{_n(n)} weights: as many as the standard layer"
            return f"{_n(n)} weights: the standard layer has {std / n:.3g} times as many"

        return [
            (text(dw + pw), f"Depthwise {k}·{k}·{ci} = {_n(dw)} plus pointwise {ci}·{co} = {_n(pw)}: {_n(dw + pw)}, "
             f"against {k}·{k}·{ci}·{co} = {_n(std)} for the standard layer, {std / (dw + pw):.3g} times as "
             f"many (1/C_out + 1/k² = 1/{co} + 1/{k * k} of the standard count).", None),
            (text(dw), f"{_n(dw)} is the depthwise step alone; the pointwise 1 × 1 step adds {ci}·{co} = {_n(pw)}.",
             "separable-forgets-pointwise"),
            (text(k * k * ci * ci + pw), f"{k}·{k}·{ci}·{ci} + {_n(pw)} gives each depthwise filter all {ci} channels; "
             f"each sees only its own, so the depthwise step has {_n(dw)}.", "separable-depthwise-full"),
            (text(std), f"{_n(std)} is the standard layer's count; the separable version has {_n(dw + pw)}.",
             "separable-same-cost"),
        ]


class ResidualGradient(DrawnChoice):
    """∂L/∂x through y = x + F(x), from a drawn ∂L/∂y and F′(x)."""

    id = "residual-gradient"
    group = "residual-grad"

    def instance(self, draw):
        return {"upstream": draw.choice((0.5, 2, 3, 4, -2)), "fprime": draw.choice((0.01, 0.02, 0.05, 0.1, -0.05))}

    def prompt(self, inst):
        g, f = inst["upstream"], inst["fprime"]
        return (f"In a ResNet block $y = x + F(x)$ (one scalar unit), backpropagation has reached "
                f"$\\partial L/\\partial y = {_g(g)}$, and the block's layers have $F'(x) = {_g(f)}$. "
                "What is $\\partial L/\\partial x$?")

    def options(self, inst):
        g, f = inst["upstream"], inst["fprime"]
        right = g * (1 + f)
        return [
            (f"${_g(right)}$", f"∂L/∂x = ∂L/∂y · (1 + F′(x)) = {_g(g)} · {_g(1 + f)} = {_g(right)}: the identity "
             "path passes ∂L/∂y through even though F′ is small.", None),
            (f"${_g(g * f)}$", f"{_g(g)} · {_g(f)} = {_g(g * f)} is the plain block's ∂L/∂y · F′(x); the skip "
             "connection adds the identity's 1.", "skip-vanish"),
            (f"${_g(g)}$", f"{_g(g)} keeps only the identity path; the layers' path adds ∂L/∂y · F′(x) = "
             f"{_g(g * f)}.", None),
            (f"${_g(1 + f)}$", f"1 + F′(x) = {_g(1 + f)} is ∂y/∂x alone; the chain rule multiplies it by "
             f"∂L/∂y = {_g(g)}.", None),
        ]
