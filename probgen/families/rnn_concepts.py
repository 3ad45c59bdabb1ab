"""RNNs and LSTMs, the ideas: vanishing and exploding gradients through time (products of
w_h·tanh′ factors with drawn numbers), what the LSTM gates do and why the cell state eases vanishing
gradients, parameter sharing across time. A pool of choice, select-all, true/false-with-justification
and short items (probgen.kit.concepts)."""

from __future__ import annotations

import math
from typing import Any

from ..core.numfmt import superscript
from ..kit.concept_family import concept_family
from ..kit.concepts import Choice, Item, Multi, Opt, Pool, Short, TrueFalse

RNN = r"$h_t = \tanh(a_t)$, $a_t = w_x x_t + w_h h_{t-1} + b$"
LSTM = r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t$, $h_t = o_t \odot \tanh(c_t)$"
W_HS = (0.5, 1.5, 2.0, 2.5)
TANH_PRIMES = (0.3, 0.5, 0.6, 0.8, 0.9)


def sci(v: float) -> str:
    """A number as the option shows it: 4 significant figures, powers of ten as × 10^k."""
    if 1e-3 <= abs(v) < 1e4:
        return f"${v:.4g}$"
    m, e = f"{v:.3e}".split("e")
    return f"${float(m):.3g} \\times 10^{{{int(e)}}}$"


class ThreeSteps(Item):
    """∂h_3/∂h_0 of a scalar RNN from a drawn w_h and drawn tanh′ values: the product of the factors."""

    id = "bptt-three-steps"
    group = "bptt-number"

    def _choice(self, w: float, cs: list[float]) -> Choice:
        p = math.prod(cs)
        prompt = (f"A scalar RNN has {RNN} with $w_h = {w:g}$. In a forward pass over three steps the derivatives "
                  f"of tanh are $\\tanh'(a_1) = {cs[0]:g}$, $\\tanh'(a_2) = {cs[1]:g}$, $\\tanh'(a_3) = {cs[2]:g}$. "
                  "What is $\\partial h_3 / \\partial h_0$?")
        return Choice(self.id, prompt,
                      right=[Opt(sci(w ** 3 * p), f"∂h_t/∂hₜ₋₁ = w_h tanh′(a_t); the chain rule multiplies the three: "
                                                   f"{w:g}³ · {cs[0]:g} · {cs[1]:g} · {cs[2]:g} = {w ** 3 * p:.4g}.")],
                      wrong=[Opt(sci(w * p), mistake="bptt-w-once"),
                             Opt(sci(w ** 3), mistake="bptt-forgets-tanh"),
                             Opt(sci(p), "That drops w_h: each step's factor is w_h · tanh′(a_t), not tanh′(a_t) alone."),
                             Opt(sci(w * sum(cs)), mistake="bptt-adds")])

    def draw(self, draw) -> dict[str, Any]:
        w, cs = draw.choice(W_HS), list(draw.sample(TANH_PRIMES, 3))
        return {"w_h": w, "tanh_primes": cs, **self._choice(w, cs).draw(draw)}

    def build(self, key, inst, mistakes):
        return self._choice(inst["w_h"], inst["tanh_primes"]).build(key, inst, mistakes)


PAIRS = [(w, c) for w in (0.5, 0.8, 1.5, 2.0, 2.5) for c in (0.5, 0.6, 0.8, 0.9) if w != c and not 1e-2 <= (w * c) ** 20 <= 1e2]


def _verdict(v: float) -> str:
    return "it vanishes" if v < 1e-2 else "it explodes" if v > 1e2 else "it stays moderate"


class LongRun(Item):
    """|∂h_T/∂h_0| over T steps with a constant factor w_h·tanh′: vanishes or explodes."""

    id = "vanish-or-explode"
    group = "bptt-number"

    def _choice(self, w: float, c: float, t: int) -> Choice:
        prompt = (f"A scalar RNN ({RNN}) has $w_h = {w:g}$, and along a sequence of $T = {t}$ steps every "
                  f"$\\tanh'(a_t)$ is about ${c:g}$. About how large is $|\\partial h_{{{t}}} / \\partial h_0|$, and "
                  "what happens to the gradient that reaches the first step?")
        f = w * c
        return Choice(self.id, prompt,
                      right=[Opt(f"{sci(f ** t)}: {_verdict(f ** t)}",
                                 f"Each step multiplies by w_h tanh′ = {w:g} · {c:g} = {f:g}, so "
                                 f"({f:g}){superscript(t)} = {f ** t:.3g}: a factor {'below' if f < 1 else 'above'} 1 "
                                 f"{'shrinks' if f < 1 else 'grows'} geometrically.")],
                      wrong=[Opt(f"{sci(w ** t)}: {_verdict(w ** t)}", mistake="bptt-forgets-tanh"),
                             Opt(f"{sci(c ** t)}: {_verdict(c ** t)}",
                                 "That drops w_h: each step's factor is w_h · tanh′, not tanh′ alone."),
                             Opt(f"{sci(t * f)}: {_verdict(t * f)}", mistake="bptt-adds"),
                             Opt("$1$: tanh keeps it bounded", mistake="tanh-bounds-gradient")])

    def draw(self, draw) -> dict[str, Any]:
        (w, c), t = draw.choice(PAIRS), draw.choice((20, 30, 50))
        return {"w_h": w, "tanh_prime": c, "T": t, **self._choice(w, c, t).draw(draw)}

    def build(self, key, inst, mistakes):
        return self._choice(inst["w_h"], inst["tanh_prime"], inst["T"]).build(key, inst, mistakes)


ITEMS = [
    ThreeSteps(),
    LongRun(),
    Choice(
        "tanh-prime-max",
        "What is the largest value $\\tanh'(a) = 1 - \\tanh^2(a)$ can take, and what does it mean for "
        "backpropagation through time?",
        right=[Opt("1, at $a = 0$ only, so each step's factor $w_h \\tanh'(a_t)$ is at most $|w_h|$.",
                   "1 − tanh²(a) ≤ 1 with equality at a = 0; a saturated tanh (|a| large) has tanh′ near 0.")],
        wrong=[Opt("1/4, like the sigmoid's, so every step shrinks the gradient at least fourfold.", "σ′ ≤ 1/4; tanh′ = 1 − tanh² reaches 1 at a = 0."),
               Opt("It is unbounded for large $a$.", "tanh′ = 1 − tanh²(a) goes to 0 for large |a|; it is largest at 0."),
               Opt("Always exactly 1, since tanh is linear near 0 and the factor never depends on $a$.",
                   "Only at a = 0; away from 0, tanh′ < 1 and shrinks the gradient.")], group="tanh"),
    TrueFalse(
        "tf-tanh-bounded",
        "Because tanh keeps every hidden state in $(-1, 1)$, the gradients of a tanh RNN cannot explode.",
        False,
        "tanh bounds the states, not the gradient: ∂h_T/∂h_0 = Π w_h tanh′(a_t), and with |w_h| tanh′ > 1 at "
        "every step the product grows geometrically (e.g. w_h = 2.5, tanh′ = 0.8: 2ᵀ).",
        [(1, "the gradient is a product of factors w_h · tanh′(a_t)"),
         (1, "factors above 1 make it grow geometrically, whatever the bounded states")],
        mistake="tanh-bounds-gradient", group="tanh"),
    TrueFalse(
        "tf-long-range",
        "In a plain RNN whose factors $|w_h \\tanh'(a_t)|$ are below 1, the loss at step $T$ gets very "
        "little gradient from inputs many steps earlier, so long-range dependencies are hard to learn.",
        True,
        "The gradient reaching step t from step T carries the product of the T − t factors, each below 1, "
        "so it shrinks geometrically with the distance: the vanishing gradient problem.",
        [(1, "the gradient from step T to step t is a product of T − t factors"),
         (1, "factors below 1 shrink it geometrically with the distance")],
        mistake="bptt-adds", group="long-range"),
    Choice(
        "forget-gate",
        f"An LSTM step computes {LSTM}. What does the forget gate $f_t$ do?",
        right=[Opt("It scales the old cell state $c_{t-1}$: near 1 keeps it, near 0 erases it.",
                   "f_t ⊙ cₜ₋₁ is the part of the memory carried to step t.")],
        wrong=[Opt("Near 1 it erases the cell memory; near 0 it keeps it.", mistake="forget-gate-inverted"),
               Opt("It decides how much of the new candidate $g_t$ is written into the cell at this step.",
                   "That is the input gate i_t, in i_t ⊙ g_t."),
               Opt("It decides how much of the cell is shown as the hidden state $h_t$.", mistake="output-gate-writes"),
               Opt("It resets the hidden state $h_t$ to 0 at the end of each sentence, before the next one starts.",
                   "f_t multiplies the cell state cₜ₋₁, elementwise, at every step; it is learned, not a reset rule.")],
        group="gates"),
    Choice(
        "input-gate",
        f"An LSTM step computes {LSTM}. What does the input gate $i_t$ do?",
        right=[Opt("It decides how much of the candidate $g_t$ is written into the cell.",
                   "i_t ⊙ g_t is what step t adds to the memory.")],
        wrong=[Opt("It decides how much of $\\tanh(c_t)$ becomes the hidden state $h_t$ at this step.", mistake="output-gate-writes"),
               Opt("It keeps or erases the old cell state $c_{t-1}$.", "That is the forget gate f_t."),
               Opt("It is the new candidate value, in $(-1, 1)$.", "The candidate is g_t (tanh); i_t is a sigmoid gate in (0, 1)."),
               Opt("It scales the input $x_t$ before the network sees it, like a learned normalization.",
                   "x_t enters every gate and the candidate through weights; i_t acts on g_t, after.")],
        group="gates"),
    Choice(
        "output-gate",
        f"An LSTM step computes {LSTM}. What does the output gate $o_t$ do?",
        right=[Opt("It decides how much of $\\tanh(c_t)$ is exposed as the hidden state.",
                   "h_t = o_t ⊙ tanh(c_t): the cell may hold more than the step shows.")],
        wrong=[Opt("It decides what is written into the cell state.", mistake="output-gate-writes"),
               Opt("It produces the network's prediction $\\hat{y}_t$ at every step, through a softmax.",
                   "A prediction comes from a separate output layer on h_t; o_t is a sigmoid gate inside the cell."),
               Opt("It erases the cell state after it has been output, so each step starts afresh.", "c_t is carried on to step t + 1 unchanged by o_t."),
               Opt("It keeps or erases the old cell state $c_{t-1}$.", "That is the forget gate f_t.")],
        group="gates"),
    Multi(
        "gate-activations",
        f"An LSTM step computes {LSTM}. Which of these use the sigmoid (values in $(0, 1)$)?",
        right=[Opt("the forget gate $f_t$", "A gate: σ in (0, 1), a soft switch on cₜ₋₁."),
               Opt("the input gate $i_t$", "A gate: σ in (0, 1), a soft switch on g_t."),
               Opt("the output gate $o_t$", "A gate: σ in (0, 1), a soft switch on tanh(c_t).")],
        wrong=[Opt("the candidate $g_t$", mistake="gates-tanh"),
               Opt("the squashing of the cell, $\\tanh(c_t)$", "That is a tanh, in (−1, 1), by its name.")],
        options=4, n_right=(2, 3), group="gates-act"),
    TrueFalse(
        "tf-cell-copy",
        "If an LSTM's forget gate is 1 and its input gate is 0 at step $t$, then $c_t = c_{t-1}$.",
        True,
        "c_t = f_t ⊙ cₜ₋₁ + i_t ⊙ g_t = 1 · cₜ₋₁ + 0 · g_t = cₜ₋₁: the memory passes unchanged, and so "
        "does the gradient along the cell.",
        [(1, "substitute f = 1, i = 0 in the cell update"),
         (1, "the memory (and its gradient) passes through unchanged")],
        mistake="forget-gate-inverted", group="gates-act"),
    Choice(
        "lstm-why",
        "Why does an LSTM suffer less from vanishing gradients than a plain RNN?",
        right=[Opt("Its cell state is updated additively: along the cell the gradient is scaled by $f_t \\approx 1$.",
                   "Hochreiter & Schmidhuber 1997 (the 'constant error carousel'); Goodfellow et al. §10.10.1.")],
        wrong=[Opt("It has four times the parameters of a plain RNN cell, so the gradient it passes back is larger.", mistake="lstm-more-layers"),
               Opt("It uses ReLU instead of tanh everywhere.", "Its gates are sigmoids and its candidate a tanh; no ReLU."),
               Opt("It clips the gradient automatically at every step, so it can never become too small.",
                   "Clipping is a training trick added by the user; the LSTM's help comes from the cell path."),
               Opt("It processes the sequence backwards as well as forwards, so every gradient path is half as long.",
                   "That is a bidirectional RNN; a one-directional LSTM already eases vanishing gradients.")],
        group="lstm-why"),
    TrueFalse(
        "tf-cell-grad",
        "With $h_{t-1}$ and $x_t$ held fixed, $\\partial c_t / \\partial c_{t-1}$ of an LSTM is the diagonal "
        "matrix $\\mathrm{diag}(f_t)$.",
        True,
        "The gates depend on hₜ₋₁ and x_t, not on cₜ₋₁, so differentiating c_t = f_t ⊙ cₜ₋₁ + i_t ⊙ g_t "
        "with respect to cₜ₋₁ leaves f_t on the diagonal: no weight matrix and no tanh′, the reason the "
        "gradient survives along the cell.",
        [(1, "c_t is f_t ⊙ cₜ₋₁ plus a term without cₜ₋₁"),
         (1, "so the Jacobian is diag(f_t): no W_h and no tanh′ factor")],
        group="lstm-why"),
    TrueFalse(
        "tf-lstm-explode",
        "LSTMs solve exploding gradients as well as vanishing ones, so gradient clipping is never needed with them.",
        False,
        "The cell path eases vanishing gradients, but the paths through h_t and the gates still multiply "
        "weight matrices, and gradients can still explode; clipping is still used (Pascanu et al. 2013).",
        [(1, "the LSTM mainly addresses vanishing gradients (the additive cell)"),
         (1, "gradients can still explode, so clipping is still used")],
        mistake="lstm-no-explode", group="explode"),
    Choice(
        "sharing-why",
        "An RNN applies the same $W_x$, $W_h$ and $b$ at every time step. What does this parameter sharing give?",
        right=[Opt("Any sequence length with a fixed number of parameters, learned at every position at once.",
                   "Goodfellow et al. §10.1: sharing lets the model 'generalize to sequence lengths not seen during "
                   "training' and share statistical strength across positions.")],
        wrong=[Opt("A separate set of weights for each position, so longer sequences get more parameters and more capacity.",
                   mistake="params-grow-with-t"),
               Opt("Gradients that cannot vanish or explode, since the same weights are used at every time step.",
                   "Sharing W_h is exactly why the gradient is a power-like product of the same factor: it can vanish or explode."),
               Opt("A hidden state that stays the same from step to step, so it can carry the memory.", mistake="hidden-state-shared"),
               Opt("Steps that can all be computed in parallel.",
                   "h_t needs hₜ₋₁: the steps run one after another, whatever the weights.")],
        group="sharing"),
    TrueFalse(
        "tf-params-length",
        "The number of parameters of an RNN grows with the length of the sequences it is run on.",
        False,
        "The same W_x, W_h, b are applied at every step (parameter sharing); running on 3 or 300 steps uses the "
        "same weights. Only the computation and the memory for backpropagation grow with T.",
        [(1, "the weights are shared across time steps"),
         (1, "so the count is fixed; only compute / memory grow with T")],
        mistake="params-grow-with-t", group="sharing"),
    Multi(
        "same-every-step",
        "In an RNN run over a sequence, which of these are the same at every time step?",
        right=[Opt("the recurrent weights $W_h$", "The same W_h is applied at every step: parameter sharing across time."),
               Opt("the input weights $W_x$", "The same W_x is applied to every input x_t: parameter sharing across time."),
               Opt("the bias $b$", "One bias b, added at every step: parameter sharing across time.")],
        wrong=[Opt("the hidden state $h_t$", mistake="hidden-state-shared"),
               Opt("the input $x_t$", "x_t is the sequence's t-th element; it changes with t."),
               Opt("the pre-activation $a_t$", "a_t = W_x x_t + W_h hₜ₋₁ + b depends on x_t and hₜ₋₁.")],
        options=4, n_right=(1, 3), group="sharing-multi"),
    Choice(
        "shared-gradient",
        "Backpropagation through time computes the gradient of the loss with respect to the shared $W_h$. How?",
        right=[Opt("As the sum of the contributions of each step's use of $W_h$.",
                   "A weight used T times gets T contributions; the multivariable chain rule adds them.")],
        wrong=[Opt("From the last time step only.", mistake="shared-grad-last-step"),
               Opt("As the average of the steps' hidden states.", "Hidden states are activations, not gradients."),
               Opt("As the product of the contributions of each step, as in the chain rule.",
                   "Uses of a variable on different paths add; products arise along one path (the chain)."),
               Opt("From the first time step only, since the later steps only reuse the same weights.",
                   "Every step that uses W_h contributes a term to the gradient.")],
        group="sharing-grad"),
    Short(
        "why-lstm-short",
        "In one or two sentences: why does the LSTM's cell state ease the vanishing-gradient problem of plain RNNs?",
        "The cell is updated additively, c_t = f_t ⊙ cₜ₋₁ + i_t ⊙ g_t, so ∂c_t/∂cₜ₋₁ = diag(f_t): along the cell "
        "the gradient is multiplied by forget-gate values near 1 when the memory is kept, not by W_h and tanh′ at "
        "every step, so it does not shrink geometrically.",
        [(1, "additive cell update"),
         (1, "gradient along the cell multiplied by f_t (≈ 1 when kept)"),
         (1, "instead of repeated W_h · tanh′ factors that shrink it")],
        difficulties=("medium", "hard"), group="lstm-why"),
    Short(
        "derive-bptt",
        f"For the scalar RNN {RNN}, show that $\\partial h_t / \\partial h_{{t-1}} = w_h (1 - h_t^2)$, and write "
        "$\\partial h_T / \\partial h_0$.",
        "∂h_t/∂hₜ₋₁ = tanh′(a_t) · ∂a_t/∂hₜ₋₁ = (1 − tanh²(a_t)) w_h = $w_h (1 - h_t^2)$. By the chain rule "
        "∂h_T/∂h_0 = Π over t = 1 … T of $w_h (1 - h_t^2) = w_h^T \\prod_t (1 - h_t^2)$.",
        [(1, "tanh′(a) = 1 − tanh²(a) = $1 - h_t^2$, times ∂a_t/∂hₜ₋₁ = w_h"),
         (1, "the chain rule multiplies the T factors: $w_h^T \\prod_t (1 - h_t^2)$")],
        difficulties=("hard",), group="bptt-number"),
]

# the gate questions print c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t: with it, 'f = 1, i = 0 gives c_t = c_{t-1}' and
# '∂c_t/∂c_{t-1} = diag(f_t)' are read off, not known
REVEALS = [(tf, gate) for tf in ("tf-cell-copy", "tf-cell-grad") for gate in ("forget-gate", "input-gate", "output-gate")]
REVEALS.append(("tf-cell-grad", "gate-activations"))
POOL = Pool("rnn", ITEMS, REVEALS)
RnnConcepts = concept_family("rnn-concepts", "RNNs and LSTMs: the ideas", POOL)
