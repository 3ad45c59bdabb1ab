"""Misconceptions about overfitting and regularization (deck: Fundamentals → Regularization:
early stopping, L1/L2, dropout, increased learning rate, skip connections)."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "stop-at-train-min": Mistake(
        "keeps the weights of the epoch with the lowest training loss",
        "Early stopping watches the validation loss: the training loss keeps falling while the model "
        "overfits, so its minimum is usually the last epoch, the most overfitted one."),
    "call-overfit": Mistake(
        "diagnoses overfitting although the validation loss never rises",
        "Overfitting is a validation loss that rises (a widening gap) while the training loss falls."),
    "call-underfit": Mistake(
        "diagnoses underfitting although the training loss gets low",
        "Underfitting means the model cannot fit even its training data: both losses stay high."),
    "call-improving": Mistake(
        "reads a validation loss that has turned upwards as still improving",
        "Once the validation loss rises while the training loss falls, more epochs make "
        "generalization worse, not better."),
    "call-diverge": Mistake(
        "blames the learning rate for a training loss that falls smoothly",
        "A too-large learning rate shows as a training loss that oscillates or grows; a smooth "
        "decrease says the step size is not the problem."),
    "remedy-overfit": Mistake(
        "regularizes or stops early a model that does not overfit",
        "Regularization and early stopping trade training fit for generalization; they help only "
        "when the validation loss rises while the training loss falls."),
    "remedy-underfit": Mistake(
        "adds capacity to a model that already fits its training data",
        "A larger model fits the training data even better; when the problem is overfitting (or "
        "training was cut short) that does not lower the validation loss."),
    "remedy-improving": Mistake(
        "trains longer after the validation loss has started to rise",
        "More epochs help only while the validation loss is still falling."),
    "remedy-never": Mistake(
        "thinks the training loss alone can guide training",
        "The validation loss is what shows over- or underfitting and picks the early-stopping epoch."),
    "dropout-at-test": Mistake(
        "thinks dropout also drops units at test time",
        "Dropout is a training-time regularizer (`if self.training:` in the course code); at test time "
        "every unit is kept, so predictions are deterministic."),
    "dropout-no-scale": Mistake(
        "forgets dropout's scaling (divide by 1 − p in training or multiply by 1 − p at test time)",
        "A kept unit is kept with probability 1 − p, so its expected training output is (1 − p)x: "
        "'either divide by 1-p in training time OR you can multiply by 1-p in test time'."),
    "dropout-scale-both": Mistake(
        "scales by 1 − p at test time although training already divided by 1 − p",
        "Inverted dropout's division by 1 − p in training already keeps the expected value; "
        "scaling again at test time would shrink every activation by 1 − p."),
    "dropout-why": Mistake(
        "thinks dropout is there to make the network faster",
        "The deck: dropout 'Ensures no over-dependence on specific neurons': each unit must be useful "
        "when random others are missing, which reduces overfitting."),
    "l2-sparse": Mistake(
        "thinks the L2 penalty drives weights exactly to zero",
        "L2's gradient 2λw shrinks each weight in proportion to its size, so a weight approaches 0 "
        "but never reaches it; L1's constant pull (λ·sign(w), or its proximal step) gives exact zeros."),
    "l1-proportional": Mistake(
        "thinks the L1 penalty shrinks weights in proportion to their size, like L2",
        "L1 pulls every nonzero weight by the same amount λ·sign(w) (times the learning rate), so "
        "small weights reach exactly 0 while large ones only move by that amount."),
    "bigger-model-regularizes": Mistake(
        "thinks a larger network overfits less",
        "More parameters let the network fit the training data (and its noise) more closely: with "
        "the same data a larger network overfits more, not less."),
    "es-test-set": Mistake(
        "uses the test set to choose the early-stopping epoch",
        "Choosing anything with the test set makes its loss an optimistic estimate; the epoch is "
        "chosen on a separate validation set."),
    "skip-vanish": Mistake(
        "thinks the gradient through y = x + F(x) vanishes when F′(x) is small",
        "∂y/∂x = 1 + F′(x): the identity path carries the gradient even when F′(x) ≈ 0 (deck: "
        "'Gradient that would've otherwise vanished')."),
}
