"""Regularization, the ideas: reading train/validation loss curves (early stopping, over- and
underfitting), dropout's test-time rule and motivation, L1 sparsity vs L2 shrinkage (an L1
proximal step with drawn numbers), skip connections' 1 + F′ gradient. Every problem opens with
the loss-curve figure (probgen.kit.curves), followed by items of the pool."""

from __future__ import annotations

from typing import Any

from ..core.model import Part
from ..kit.concept_family import concept_family
from ..kit.concepts import LETTERS, Built, Choice, Item, Multi, Opt, Pool, Short, TrueFalse
from ..kit.curves import LossCurves

CURVES = LossCurves()
THRESHOLDS = (0.05, 0.1, 0.2)


class L1Step(Item):
    """Which weights does one L1 proximal (soft-threshold) step set exactly to zero?"""

    id = "l1-proximal"
    group = "l1l2"

    def draw(self, draw) -> dict[str, Any]:
        t = draw.choice(THRESHOLDS)
        k = draw.integer(1, 3)
        small = [m * t for m in draw.sample((0.2, 0.4, 0.6, 0.8), k)]  # |w| < αλ
        large = [m * t for m in draw.sample((1.5, 2, 3, 5), 4 - k)]  # |w| > αλ
        weights = [round(draw.sign() * w, 3) for w in small + large]
        draw.shuffle(weights)
        return {"threshold": t, "weights": weights}

    def build(self, key, inst, mistakes) -> Built:
        t, ws = inst["threshold"], inst["weights"]
        names = {LETTERS[i]: f"$w_{i + 1} = {w:g}$" for i, w in enumerate(ws)}
        zero = [LETTERS[i] for i, w in enumerate(ws) if abs(w) <= t]
        why = {}
        for i, w in enumerate(ws):
            after = (1 if w > 0 else -1) * max(abs(w) - t, 0.0)
            why[LETTERS[i]] = (f"|w| = {abs(w):g} ≤ αλ = {t:g}, so max(|w| − αλ, 0) = 0: exactly zero." if abs(w) <= t else
                               f"|w| = {abs(w):g} > αλ = {t:g}: it moves {t:g} towards 0, to {round(after, 3):g}, not to 0.")
        part = Part(key=key, kind="multi", answer=zero, exact=zero, tolerance=0, points=3, choices=names,
                    explanations=why)
        prompt = ("With an L1 penalty, one proximal (soft-threshold) step after the data-loss gradient step sets "
                  r"$w \leftarrow \mathrm{sign}(w)\,\max(|w| - \alpha\lambda,\ 0)$. "
                  f"With $\\alpha\\lambda = {t:g}$, which of these weights are exactly $0$ after the step?")
        steps = [f"- **({k})** {'right' if k in zero else 'wrong'}: {why[k]}" for k in names]
        steps.append(f"An L2 penalty would instead multiply each weight by $1 - 2\\alpha\\lambda = {1 - 2 * t:g}$: "
                     "smaller, but none exactly 0.")
        return Built(prompt, part, steps=steps)


ITEMS = [
    CURVES,
    L1Step(),
    Choice(
        "dropout-why",
        "The deck says dropout 'Ensures no over-dependence on specific neurons'. How does that reduce overfitting?",
        right=[Opt("Units are dropped at random, so the network cannot rely on any one unit.",
                   "Random masks force redundancy: no single neuron's quirks can carry the training fit.")],
        wrong=[Opt("It makes the forward pass faster, so the network trains for more epochs.", mistake="dropout-why"),
               Opt("It removes units permanently, so the final network has fewer parameters to fit the data.",
                   "The mask is redrawn every step and nothing is removed: at test time every unit is used."),
               Opt("It adds noise to the labels, so the loss cannot reach zero.",
                   "Dropout masks activations (the units' outputs), not the labels."),
               Opt("It drops units at test time too, so each prediction averages over many different networks.",
                   mistake="dropout-at-test")],
    ),
    Choice(
        "dropout-inverted-test",
        "A layer uses dropout as in the course code: in training, `mask = torch.rand(x.size()) > self.p` and "
        "`x = x / (1 - self.p) * mask`. What must the layer do at test time?",
        right=[Opt("Nothing: keep every unit and scale nothing.",
                   "Dividing by 1 − p in training already keeps the expected activation equal to x.")],
        wrong=[Opt("Multiply every activation by $1 - p$, the keep probability.", mistake="dropout-scale-both"),
               Opt("Keep drawing random masks, exactly as in training.", mistake="dropout-at-test"),
               Opt("Divide every activation by $1 - p$, as in training.",
                   "That would inflate every test activation by 1/(1 − p) compared with its training expectation."),
               Opt("Multiply every activation by $p$.",
                   "p is the drop probability; no rule multiplies by p.")], group="dropout-test"),
    Choice(
        "dropout-plain-test",
        "A layer uses plain dropout: in training it zeroes each unit with probability $p$ and does **not** "
        "rescale the kept units. What must it do at test time?",
        right=[Opt("Keep every unit and multiply each activation by $1 - p$.",
                   "In training a unit's expected output is (1 − p)x; 'you can multiply by 1-p in test time' to match it.")],
        wrong=[Opt("Nothing: keep every unit and scale nothing, since every unit is there.", mistake="dropout-no-scale"),
               Opt("Divide every activation by $1 - p$, to make up for the dropped units.",
                   "That is the training-time rule of inverted dropout; at test time it would overshoot by 1/(1 − p)²."),
               Opt("Keep drawing random masks at test time, as in training.", mistake="dropout-at-test"),
               Opt("Multiply every activation by $p$.",
                   "The kept fraction is 1 − p, not p.")], group="dropout-test"),
    Choice(
        "sparse-penalty",
        "Which penalty tends to make many weights exactly zero (sparse weights)?",
        right=[Opt("L1, $\\lambda \\sum_i |w_i|$",
                   "Its pull λ·sign(w) does not shrink with the weight, so small weights reach exactly 0.")],
        wrong=[Opt("L2, $\\lambda \\sum_i w_i^2$", mistake="l2-sparse"),
               Opt("Both, equally", mistake="l1-proportional"),
               Opt("Neither: only dropout zeroes weights",
                   "Dropout zeroes activations at random in training, not weights; L1 gives exact zeros."),
               Opt("L2, but only with a large learning rate",
                   "L2 scales every weight by the same factor 1 − 2αλ: it never singles out a few weights to zero (only the "
                   "degenerate 2αλ = 1 would zero them all at once).")], group="l1l2"),
    Choice(
        "l2-step",
        "With an L2 penalty $\\lambda \\|\\mathbf{w}\\|^2$ added to the loss, what does the penalty do in each "
        "gradient step with learning rate $\\alpha$?",
        right=[Opt("It adds $2\\lambda\\mathbf{w}$ to the gradient, so every weight shrinks by a factor $1 - 2\\alpha\\lambda$.",
                   "∂(λ‖w‖²)/∂w = 2λw, so w ← w − α(∇ + 2λw) = (1 − 2αλ)w − α∇.")],
        wrong=[Opt("It sets the weights below $\\lambda$ to exactly 0 and leaves the others unchanged.", mistake="l2-sparse"),
               Opt("It adds $\\lambda\\,\\mathrm{sign}(\\mathbf{w})$ to the gradient.", mistake="l1-proportional"),
               Opt("It multiplies the learning rate by $\\lambda$.",
                   "The penalty adds a term to the gradient; it does not change α."),
               Opt("Nothing in training; it is applied to the weights only at test time.",
                   "The penalty is part of the training loss, so it acts in every training step.")], group="l1l2"),
    Multi(
        "against-overfitting",
        "A network overfits: its validation loss rises while its training loss keeps falling. Which of these help?",
        right=[Opt("early stopping at the epoch with the lowest validation loss", "'Early Stopping - before it has the time to become uneven'."),
               Opt("an L2 (or L1) penalty on the weights", "'L1/L2 regularization' keeps the weights small and the fit smooth."),
               Opt("dropout", "'Ensures no over-dependence on specific neurons'."),
               Opt("more training data", "More data makes the training set harder to memorize, so the fit generalizes better.")],
        wrong=[Opt("a larger network with more parameters", mistake="bigger-model-regularizes"),
               Opt("training for more epochs", mistake="remedy-improving"),
               Opt("keeping the weights of the epoch with the lowest training loss", mistake="stop-at-train-min")],
        options=5, n_right=(2, 4),
    ),
    Multi(
        "dropout-facts",
        "Which statements about dropout with drop probability $p$ are right?",
        right=[Opt("Units are dropped only in training.", "`if self.training:` — at test time every unit is kept."),
               Opt("Inverted dropout divides the kept units by $1 - p$ in training.",
                   "'This scaling ensures that the expected value remains the same.'"),
               Opt("Without scaling in training, the test-time activations are multiplied by $1 - p$.",
                   "'either divide by 1-p in training time OR you can multiply by 1-p in test time'.")],
        wrong=[Opt("Units are dropped at test time too.", mistake="dropout-at-test"),
               Opt("Inverted dropout also multiplies by $1 - p$ at test time.", mistake="dropout-scale-both"),
               Opt("Its purpose is to make the forward pass faster.", mistake="dropout-why")],
        options=4, n_right=(1, 3), group="dropout-test"),
    TrueFalse("tf-l2-zeros", "An L2 penalty drives many weights exactly to zero.", False,
              "L2 shrinks each weight by the factor 1 − 2αλ per step, in proportion to its size, so weights get "
              "small but not exactly 0; L1's constant pull (its soft-threshold step) gives exact zeros.",
              [(1, "L2 shrinks in proportion to the weight (factor 1 − 2αλ)"), (1, "exact zeros come from L1")],
              mistake="l2-sparse", group="l1l2"),
    TrueFalse("tf-inverted-test", "With inverted dropout (kept units divided by $1 - p$ in training), the layer "
              "passes its input through unchanged at test time.", True,
              "The division by 1 − p in training keeps E[output] = x, so at test time every unit is kept and "
              "nothing is scaled (PyTorch's nn.Dropout in eval mode is the identity).",
              [(1, "E[training output] = x thanks to the 1/(1 − p) scaling"), (1, "so test time keeps all units, no scaling")],
              mistake="dropout-scale-both", group="dropout-test"),
    TrueFalse("tf-es-train", "Early stopping keeps the weights of the epoch with the lowest training loss.", False,
              "It keeps the epoch with the lowest validation loss: the training loss keeps falling as the model "
              "overfits, so its minimum is the most overfitted epoch.",
              [(1, "early stopping watches the validation loss"), (1, "training loss keeps falling while overfitting")],
              mistake="stop-at-train-min", group="es"),
    TrueFalse("tf-skip", "For a block $y = x + F(x)$, the gradient $\\partial L/\\partial x$ vanishes whenever "
              "$F'(x)$ is close to 0.", False,
              "∂L/∂x = ∂L/∂y · (1 + F′(x)): the 1 from the identity path passes ∂L/∂y through even when F′(x) ≈ 0 — "
              "the deck's 'Gradient that would've otherwise vanished'.",
              [(1, "∂y/∂x = 1 + F′(x)"), (1, "the identity's 1 carries the gradient when F′ ≈ 0")],
              mistake="skip-vanish", group="skip"),
    TrueFalse("tf-bigger", "With the same training data, a larger network tends to overfit more.", True,
              "More parameters let the network fit the training data, noise included, more closely: it tends to "
              "overfit more, which is why it needs regularization.",
              [(1, "more capacity fits the training data (and noise) more closely"), (1, "so it overfits more, not less")],
              mistake="bigger-model-regularizes"),
    TrueFalse("tf-validation", "The early-stopping epoch should be chosen with a validation set, not with the test set.",
              True,
              "Whatever the test set chooses, its loss no longer estimates performance on new data; a separate "
              "validation set picks the epoch and the test set is used once at the end.",
              [(1, "choosing with the test set biases its estimate"), (1, "a separate validation set picks the epoch")],
              mistake="es-test-set", group="es"),
    Short("derive-dropout-mean",
          "With inverted dropout, unit $i$ is kept with probability $1 - p$ (mask $m_i \\in \\{0, 1\\}$) and its "
          "training output is $y_i = m_i x_i / (1 - p)$. Show that $\\mathbb{E}[y_i] = x_i$.",
          "E[m_i] = P(m_i = 1) = 1 − p, so E[y_i] = E[m_i] x_i / (1 − p) = (1 − p) x_i / (1 − p) = x_i.",
          [(1, "E[m_i] = 1 − p"), (1, "E[y_i] = (1 − p) x_i / (1 − p) = x_i")],
          difficulties=("medium", "hard"), group="dropout-test"),
    Short("skip-gradient",
          "Why do skip connections help the gradient reach early layers? Use a block $y = x + F(x)$.",
          "∂L/∂x = ∂L/∂y · (1 + F′(x)). In a plain block it would be ∂L/∂y · F′(x), which vanishes when F′ is "
          "small; the identity path adds 1, so the gradient passes through even then.",
          [(1, "∂L/∂x = ∂L/∂y (1 + F′(x))"), (1, "plain block: ∂L/∂y F′(x), vanishes when F′ small"),
           (1, "the 1 from the identity keeps the gradient")],
          difficulties=("medium", "hard"), group="skip"),
    Short("why-validation",
          "Why does early stopping watch the validation loss rather than the training loss?",
          "The training loss keeps falling as the model starts to fit noise in the training data; the "
          "validation loss, on data the model does not train on, rises once it overfits, so its minimum marks "
          "the best-generalizing epoch.",
          [(1, "training loss keeps falling even while overfitting"),
           (1, "validation loss measures generalization; its minimum is the epoch to keep")],
          difficulties=("hard",), group="es"),
]

# a prompt or an option that states what the other item asks
REVEALS = [("tf-es-train", "against-overfitting"),  # 'early stopping at the epoch with the lowest validation loss'
           ("tf-validation", "against-overfitting"), ("why-validation", "against-overfitting"),  # ES watches validation
           ("dropout-why", "against-overfitting"),  # 'How does [dropout] reduce overfitting?'
           ("dropout-why", "dropout-facts")]  # dropout's purpose, asked and stated
POOL = Pool("regularization", ITEMS, REVEALS)
RegularizationConcepts = concept_family("regularization-concepts", "Regularization: the ideas", POOL, first=[CURVES])
