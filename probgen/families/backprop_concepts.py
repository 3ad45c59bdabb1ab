"""Backpropagation, the ideas: vanishing gradients through saturating activations (σ′ ≤ 1/4, a
chain of n sigmoids with drawn n), dead ReLUs (a drawn upstream gradient through a ReLU), the
shapes of ∂L/∂W = δxᵀ, ∂L/∂x and ∂L/∂b (drawn sizes), symmetric initialization."""

from __future__ import annotations

from typing import Any

from ..core.model import Misconception, Part
from ..core.numfmt import superscript, tnum
from ..kit.concept_family import concept_family
from ..kit.concepts import LETTERS, Built, Choice, Item, Multi, Opt, Pool, Short, TrueFalse
from ..kit.figure_items import ActivationPlot


def _choice(key, order, right, texts, why, mis=()) -> tuple[Part, list[str]]:
    choices = {LETTERS[i]: texts[o] for i, o in enumerate(order)}
    answer = LETTERS[order.index(right)]
    expl = {LETTERS[i]: why[o] for i, o in enumerate(order)}
    part = Part(key=key, kind="choice", answer=answer, exact=answer, tolerance=0, points=2, choices=choices,
                explanations=expl, misconceptions=[Misconception(name=m.name, value=LETTERS[order.index(o)],
                                                                 explanation=m.explanation) for o, m in mis if o in order])
    return part, [f"- **({k})** {'right' if k == answer else 'wrong'}: {expl[k]}" for k in choices]


class SigmoidChain(Item):
    """At most how much gradient survives n sigmoid layers: (1/4)ⁿ."""

    id = "sigmoid-chain"
    group = "vanish"

    def draw(self, draw) -> dict[str, Any]:
        order = ["quarter", "half", "additive", "one"]
        draw.shuffle(order)
        return {"n": draw.choice((3, 5, 6, 7, 8)), "order": order}  # n = 4 would make n/4 = 1 twice

    def build(self, key, inst, mistakes) -> Built:
        n = inst["n"]
        texts = {"quarter": f"$(1/4)^{{{n}}} \\approx {tnum(0.25 ** n, 3)}$", "half": f"$(1/2)^{{{n}}} \\approx {tnum(0.5 ** n, 3)}$",
                 "additive": f"${n}/4 = {n / 4:g}$", "one": "$1$: sigmoids do not shrink gradients"}
        why = {"quarter": f"Each layer multiplies the gradient by σ′(z) ≤ 1/4 (the weights are 1): at most (1/4){superscript(n)}.",
               "half": "σ(0) = 1/2 is the value, not the derivative: σ′(0) = 1/4.",
               "additive": "The chain rule multiplies the local derivatives; it does not add them.",
               "one": "σ′(z) = σ(z)(1 − σ(z)) ≤ 1/4 < 1 everywhere."}
        part, steps = _choice(key, inst["order"], "quarter", texts, why,
                              [("half", mistakes["sigmoid-max-half"]), ("additive", mistakes["vanish-additive"]),
                               ("one", mistakes["sigmoid-max-1"])])
        prompt = (f"A signal passes through {n} sigmoid units in a chain, $h_k = \\sigma(w_k h_{{k-1}} + b_k)$, all weights "
                  r"$w_k = 1$. Whatever the biases and the input, at most what fraction of $\partial L/\partial h_" f"{{{n}}}"
                  r"$ reaches $\partial L/\partial h_0$ (in absolute value)?")
        return Built(prompt, part, steps=steps)


class GradShape(Item):
    """The shape of ∂L/∂W, ∂L/∂x or ∂L/∂b for z = Wx + b with drawn sizes."""

    id = "grad-shape"
    group = "shapes"

    def draw(self, draw) -> dict[str, Any]:
        m, n = draw.sample((2, 3, 4, 5, 6, 8), 2)
        order = ["mn", "nm", "m1", "n1"]
        draw.shuffle(order)
        return {"m": m, "n": n, "target": draw.choice(("W", "W", "x", "b")), "order": order}

    def build(self, key, inst, mistakes) -> Built:
        m, n, target = inst["m"], inst["n"], inst["target"]
        texts = {"mn": f"${m} \\times {n}$", "nm": f"${n} \\times {m}$", "m1": f"${m} \\times 1$", "n1": f"${n} \\times 1$"}
        right = {"W": "mn", "x": "n1", "b": "m1"}[target]
        rule = {"W": f"∂L/∂W = δxᵀ: ({m} × 1)(1 × {n}) = {m} × {n}, the shape of W.",
                "x": f"∂L/∂x = Wᵀδ: ({n} × {m})({m} × 1) = {n} × 1, the shape of x.",
                "b": f"∂L/∂b = δ: {m} × 1, the shape of b."}[target]
        why = {o: (rule if o == right else f"Not the shape of {target}: {rule}") for o in texts}
        mis = []
        if target == "W":
            mis = [("nm", mistakes["shape-transposed"]), ("m1", mistakes["shape-vector"])]
        part, steps = _choice(key, inst["order"], right, texts, why, mis)
        name = {"W": r"\partial L/\partial W", "x": r"\partial L/\partial \mathbf{x}", "b": r"\partial L/\partial \mathbf{b}"}[target]
        prompt = (f"A layer computes $\\mathbf{{z}} = W\\mathbf{{x}} + \\mathbf{{b}}$ with $\\mathbf{{x}} \\in \\mathbb{{R}}^{{{n}}}$ "
                  f"and $\\mathbf{{z}} \\in \\mathbb{{R}}^{{{m}}}$ (column vectors); backprop hands it "
                  f"$\\delta = \\partial L/\\partial \\mathbf{{z}}$. What is the shape of ${name}$?")
        return Built(prompt, part, steps=steps)


class ReluBackward(Item):
    """A drawn upstream gradient through a ReLU at a drawn input."""

    id = "relu-backward"
    group = "relu"

    def draw(self, draw) -> dict[str, Any]:
        order = ["right", "other", "times-z", "abs"]
        draw.shuffle(order)
        return {"z": draw.choice((-2.0, -0.5, 1.5, 3.0)), "g": draw.choice((-3.0, 2.0, 0.5, -1.5)), "order": order}

    def build(self, key, inst, mistakes) -> Built:
        z, g = inst["z"], inst["g"]
        right = g if z > 0 else 0.0
        other = 0.0 if z > 0 else g
        times = g * z if g * z not in (right, other) else g * z + 1  # never equal to another option
        absg = abs(g) if abs(g) not in (right, other, times) else abs(g) + 2
        texts = {"right": f"${right:g}$", "other": f"${other:g}$", "times-z": f"${times:g}$", "abs": f"${absg:g}$"}
        rule = (f"ReLU′(z) = 1 for z = {z:g} > 0, so the gradient passes unchanged: {g:g}." if z > 0 else
                f"ReLU′(z) = 0 for z = {z:g} < 0, so nothing passes: 0.")
        why = {o: (rule if o == "right" else f"Not this: {rule}") for o in texts}
        mis = [("other", mistakes["relu-dead-recovers"])] if z < 0 else [("other", mistakes["relu-vanish-like-sigmoid"])]
        part, steps = _choice(key, inst["order"], "right", texts, why, mis if z < 0 else [])
        prompt = (f"During backprop a ReLU unit with input $z = {z:g}$ receives the upstream gradient "
                  f"$\\partial L/\\partial a = {g:g}$ (with $a = \\max(0, z)$). What is $\\partial L/\\partial z$?")
        return Built(prompt, part, steps=steps)


ITEMS = [
    SigmoidChain(), GradShape(), ReluBackward(), ActivationPlot(),
    Choice("sigma-max", "What is the largest value of the sigmoid's derivative $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$, and where?",
           right=[Opt("$1/4$, at $z = 0$", "σ(0) = 1/2 maximizes s(1 − s), giving 1/4.")],
           wrong=[Opt("$1$, at $z = 0$", mistake="sigmoid-max-1"), Opt("$1/2$, at $z = 0$", mistake="sigmoid-max-half"),
                  Opt("$1$, as $z \\to \\infty$", "As z → ∞, σ → 1 and σ′ → 0: the flat tail."),
                  Opt("$1/4$, as $z \\to \\infty$", "σ′ → 0 in the tails; the maximum 1/4 is at z = 0.")],
           group="sigma"),
    Choice("tanh-vs-sigmoid", "Why do gradients vanish more slowly through tanh units than through sigmoid units?",
           right=[Opt("$\\tanh'(0) = 1$ while $\\sigma'(z) \\le 1/4$.",
                      "tanh′(z) = 1 − tanh²(z) ≤ 1 with equality at 0; σ′ ≤ 1/4.")],
           wrong=[Opt("tanh never saturates, whatever its input.", "tanh saturates at ±1 too, where tanh′ → 0."),
                  Opt("tanh's derivative is always 1, like the identity's.", "tanh′(z) = 1 − tanh²(z) < 1 for z ≠ 0."),
                  Opt("They vanish equally fast; tanh is only zero-centred.", "The maximum slopes differ: 1 vs 1/4.")],
           options=4, group="sigma"),
    Choice("dead-relu", "A ReLU unit's pre-activation is negative for every example in the training set. What happens to its "
           "incoming weights during training?",
           right=[Opt("They stop changing: the ReLU passes back a zero gradient.",
                      "ReLU′ = 0 for z < 0 on every example: ∂L/∂w = 0 for its weights and bias.")],
           wrong=[Opt("The gradient pushes them back, step by step, until the unit is active again.", mistake="relu-dead-recovers"),
                  Opt("They grow without bound.", "With zero gradient nothing changes them (weight decay aside)."),
                  Opt("They get the same update as an active unit's.", "An active unit has ReLU′ = 1; this one has 0."),
                  Opt("They shrink by a factor 1/4 each step, as the gradient through a sigmoid would.", mistake="relu-vanish-like-sigmoid")],
           group="relu"),
    Choice("delta-meaning", "In the backprop rule $\\partial L/\\partial W = \\delta \\mathbf{x}^\\top$ for a layer $\\mathbf{z} = W\\mathbf{x}$, what is $\\delta$?",
           right=[Opt("$\\partial L / \\partial \\mathbf{z}$, the gradient of the loss at the layer's output",
                      "The chain rule: ∂L/∂W_ij = (∂L/∂z_i)(∂z_i/∂W_ij) = δ_i x_j.")],
           wrong=[Opt("the layer's output $\\mathbf{z}$ after its activation function", mistake="delta-is-output"),
                  Opt("the loss $L$ itself", "δ is a vector, one entry per output of the layer."),
                  Opt("the input $\\mathbf{x}$", "x is the other factor of δxᵀ."),
                  Opt("the learning rate times the weights, as in the update step", "No optimizer quantity enters the gradient.")],
           group="shapes"),
    Multi("vanish-helps", "Which of these make vanishing gradients in a deep network less likely?",
          right=[Opt("ReLU activations instead of sigmoids", "ReLU′ = 1 for active units."),
                 Opt("skip connections, $y = x + F(x)$", "∂y/∂x = 1 + F′(x): the identity path carries the gradient."),
                 Opt("batch or layer normalization", "Keeps pre-activations out of the saturated tails.")],
          wrong=[Opt("more sigmoid layers", mistake="vanish-additive"),
                 Opt("much larger weights in a sigmoid network", mistake="bigger-weights-fix"),
                 Opt("initializing every weight to 0", mistake="zero-init-fine")],
          options=4, n_right=(1, 3), group="vanish"),
    TrueFalse("tf-relu-passes", "For a positive input, a ReLU passes the upstream gradient back unchanged.", True,
              "ReLU(z) = max(0, z) has slope 1 for z > 0, so ∂L/∂z = ∂L/∂a there; a sigmoid would multiply by σ′ ≤ 1/4.",
              [(1, "ReLU′(z) = 1 for z > 0"), (1, "so the gradient is multiplied by 1 (unchanged)")],
              mistake="relu-vanish-like-sigmoid", group="relu"),
    TrueFalse("tf-dead-recovers", "A dead ReLU (negative pre-activation on every training example) is brought back to life by its "
              "own gradient.", False,
              "Its gradient is 0 on every example, so its weights and bias receive no update from the loss.",
              [(1, "ReLU′ = 0 on every example"), (1, "so its weights get zero gradient: nothing revives it")],
              mistake="relu-dead-recovers", group="relu"),
    TrueFalse("tf-sat-sigmoid", "A sigmoid unit saturated at $\\sigma(z) \\approx 1$ passes back a large gradient.", False,
              "σ′(z) = σ(1 − σ) ≈ 1 · 0 = 0 in the tail: the gradient nearly vanishes.",
              [(1, "σ′ = σ(1 − σ)"), (1, "≈ 0 when σ ≈ 1: the gradient vanishes")],
              mistake="sigmoid-max-1", group="vanish"),
    TrueFalse("tf-zero-init", "If every weight of a network starts at zero, backprop gives every hidden unit of a layer the "
              "same gradient, so the units of that layer stay identical.", True,
              "Equal weights make every hidden unit compute the same value and receive the same δ, so the same "
              "update: the symmetry is never broken. Random initialization breaks it.",
              [(1, "identical units compute identical values and gradients"), (1, "same updates: symmetry never broken")],
              mistake="zero-init-fine", group="init"),
    TrueFalse("tf-one-pass", "Backpropagation needs a backward pass of its own for each layer's parameters: one pass gives "
              "the derivative of the loss with respect to the last layer's parameters only.", False,
              "Going from the loss backwards, each node multiplies the upstream gradient by its local derivative; "
              "every parameter's gradient is read off on the way, so one backward pass gives them all "
              "('calculate derivatives of loss and update parameters').",
              [(1, "chain rule applied from the loss backwards, reusing upstream gradients"), (1, "all parameter gradients in one pass")],
              group="pass"),
    Choice("backward-order", "Why does backpropagation compute gradients from the loss backwards, layer by layer?",
           right=[Opt("Each layer needs the upstream gradient at its output, known once the later layers are done.",
                      "Reusing upstream gradients makes one backward pass cost about as much as the forward pass.")],
           wrong=[Opt("Because the forward pass cannot be run again once the loss has been computed.", "The order comes from the chain rule, not from recomputation."),
                  Opt("Because the first layers have no parameters, so their gradients need not be computed.", "Every layer may have parameters; all get gradients."),
                  Opt("Because gradients must be summed over the layers, not multiplied, and sums run from the end.", mistake="vanish-additive"),
                  Opt("Because the loss is computed at the input.", "The loss is computed at the output, where backprop starts.")],
           group="pass"),
    Short("derive-sigma", "Derive $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$ for $\\sigma(z) = 1/(1 + e^{-z})$.",
          r"By the chain rule, $$\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2} = \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}} = \sigma(z)(1 - \sigma(z)),$$ "
          r"since $e^{-z}/(1 + e^{-z}) = 1 - \sigma(z)$.",
          [(1, "σ′ = e⁻ᶻ/(1 + e⁻ᶻ)²"), (1, "split as σ · e⁻ᶻ/(1 + e⁻ᶻ) = σ(1 − σ)")],
          difficulties=("medium", "hard"), group="sigma"),
    Short("derive-dw", "For $\\mathbf{z} = W\\mathbf{x}$ and $\\delta = \\partial L/\\partial \\mathbf{z}$, show that $\\partial L/\\partial W = \\delta\\mathbf{x}^\\top$.",
          "z_i = Σ_j W_ij x_j, so ∂z_i/∂W_ij = x_j and ∂L/∂W_ij = (∂L/∂z_i) x_j = δ_i x_j: the (i, j) entry of δxᵀ.",
          [(1, "∂z_i/∂W_ij = x_j"), (1, "∂L/∂W_ij = δ_i x_j, i.e. δxᵀ")],
          difficulties=("medium", "hard"), group="shapes"),
    Short("why-vanish", "Why do gradients vanish in a deep network of sigmoid layers?",
          "Backprop multiplies the gradient by σ′(z) ≤ 1/4 (times the weight) at every layer, so after n layers it is "
          "scaled by a product of n small factors, like (1/4)ⁿ, and the early layers barely learn.",
          [(1, "chain rule multiplies one σ′ factor per layer"), (1, "σ′ ≤ 1/4, so the product shrinks geometrically")],
          difficulties=("hard",), group="vanish"),
]

POOL = Pool("backprop", ITEMS)
BackpropConcepts = concept_family("backprop-concepts", "Backpropagation: the ideas", POOL)
