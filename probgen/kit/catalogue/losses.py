"""Misconceptions about loss functions (deck: Fundamentals → Loss functions: MSE, cross-entropy,
'measure distance from ideal distribution / measure how unlikely your data is', 'LOWER IS BETTER';
triplet and SimCLR losses)."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "higher-better": Mistake(
        "thinks a higher loss means a better model",
        "A loss measures distance from the ideal distribution, or how unlikely the data is under the "
        "model: 'LOWER IS BETTER'."),
    "ce-maximize": Mistake(
        "thinks training maximizes the cross-entropy",
        "Cross-entropy is the negative log-likelihood, −log p(y|x): minimizing it maximizes the "
        "likelihood of the data. The minus sign turns it into a loss to minimize."),
    "ce-negative": Mistake(
        "thinks cross-entropy can be negative",
        "−log p with 0 < p ≤ 1 is ≥ 0, and 0 only when the true class gets probability 1."),
    "ce-wrong-classes": Mistake(
        "thinks cross-entropy with a one-hot label adds a term for every wrong class",
        "With a one-hot y only the true class's term y_c log $\\hat y_c$ survives: ℓ = −log $\\hat y_c$. The wrong "
        "classes matter only through the softmax, which makes $\\hat y_c$ smaller when they get more mass."),
    "mse-bernoulli": Mistake(
        "pairs MSE with a Bernoulli (coin-flip) model of the label",
        "MSE is the negative log-likelihood of a Gaussian with fixed variance (up to constants); a "
        "Bernoulli likelihood gives binary cross-entropy."),
    "bce-gaussian": Mistake(
        "pairs binary cross-entropy with Gaussian noise on the target",
        "BCE is −log of a Bernoulli likelihood, $\\hat y^{y} (1 - \\hat y)^{1-y}$; Gaussian noise gives MSE."),
    "mse-classify-fine": Mistake(
        "thinks MSE on a sigmoid output trains as well as cross-entropy for classification",
        "With MSE, ∂ℓ/∂z = 2(σ(z) − y)σ(z)(1 − σ(z)): when the sigmoid saturates at the wrong answer, "
        "σ(1 − σ) ≈ 0 and the gradient vanishes. With cross-entropy ∂ℓ/∂z = σ(z) − y stays large."),
    "ce-regression": Mistake(
        "uses cross-entropy for a real-valued regression target",
        "The deck: regression setting — Mean Squared Error; classification setting — Cross Entropy."),
    "triplet-pull-negative": Mistake(
        "thinks the triplet loss pulls the negative towards the anchor",
        "max(0, d(a, p) − d(a, n) + m) is lowered by making d(a, p) small and d(a, n) large: the "
        "positive is pulled in, the negative pushed out beyond the margin."),
    "triplet-never-zero": Mistake(
        "thinks the triplet loss is zero only when the anchor and positive coincide",
        "The hinge max(0, ·) is already 0 once d(a, n) ≥ d(a, p) + m: a triplet that satisfies the "
        "margin contributes nothing."),
    "simclr-labels": Mistake(
        "thinks SimCLR needs class labels to choose its positive pairs",
        "SimCLR is self-supervised: the positive pair is two augmented views of the same image, and "
        "the other images of the batch are the negatives."),
    "simclr-same-class": Mistake(
        "thinks SimCLR treats images of the same class as positives",
        "Without labels SimCLR cannot know classes: only the two views of one image are positives; "
        "another image of the same class is a negative."),
}
