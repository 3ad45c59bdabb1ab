"""Losses, the ideas: cross-entropy as a negative log-likelihood, MSE from a Gaussian and BCE from
a Bernoulli likelihood, why MSE with a sigmoid trains badly for classification (with drawn
numbers), 'lower is better', which loss for which task, what triplet and SimCLR losses pull
together and push apart."""

from __future__ import annotations

import math
from typing import Any

from ..core.model import Misconception, Part
from ..kit.concept_family import concept_family
from ..kit.concepts import LETTERS, Built, Choice, Item, Multi, Opt, Pool, Short, TrueFalse

TASKS = {  # task -> the loss the course pairs with it
    "house": ("predict the selling price of a house (a real number) from its features", "mse"),
    "digits": ("classify an image of a handwritten digit into one of the 10 classes", "ce"),
    "spam": ("predict whether an email is spam or not (one yes/no output)", "bce"),
    "faces": ("learn face embeddings in which photos of the same person are closer than photos of "
              "different people, from (anchor, same person, other person) triples", "triplet"),
    "unlabeled": ("learn image features from a large set of unlabeled images, using data augmentation", "simclr"),
}
LOSSES = {
    "mse": "mean squared error",
    "ce": "softmax followed by cross-entropy",
    "bce": "a sigmoid output with binary cross-entropy",
    "triplet": r"the triplet loss $\max(0,\ d(a,p) - d(a,n) + m)$",
    "simclr": "a SimCLR-style contrastive loss over augmented views",
}
LOSS_WHY = {
    "mse": "Regression setting — Mean Squared Error: a real-valued target, Gaussian noise.",
    "ce": "Classification setting — Cross Entropy: one of K classes, a softmax distribution.",
    "bce": "One yes/no output: a Bernoulli probability from a sigmoid, binary cross-entropy.",
    "triplet": "Triples (anchor, positive, negative): pull the positive in, push the negative beyond the margin.",
    "simclr": "No labels: two augmented views of one image are the positive pair, other images the negatives.",
}


class TaskLoss(Item):
    """Which loss suits a task (the deck's 'Regression setting - MSE, Classification setting - CE', triplet, SimCLR)."""

    id = "task-loss"
    group = "task"

    def draw(self, draw) -> dict[str, Any]:
        task = draw.choice(sorted(TASKS))
        right = TASKS[task][1]
        # softmax + CE over two classes is the same model as a sigmoid with BCE: never offer both
        twins = {"bce": "ce", "ce": "bce"} if task == "spam" else {}
        order = [right] + draw.sample([k for k in LOSSES if k != right and k != twins.get(right)], 3)
        draw.shuffle(order)
        return {"task": task, "order": order}

    def build(self, key, inst, mistakes) -> Built:
        text, right = TASKS[inst["task"]]
        choices = {LETTERS[i]: LOSSES[k] for i, k in enumerate(inst["order"])}
        answer = LETTERS[inst["order"].index(right)]
        why = {LETTERS[i]: LOSS_WHY[k] + ("" if k == right else " Not this task.") for i, k in enumerate(inst["order"])}
        mis = []
        if right == "mse" and "ce" in inst["order"]:
            m = mistakes["ce-regression"]
            mis.append(Misconception(name=m.name, value=LETTERS[inst["order"].index("ce")], explanation=m.explanation))
        part = Part(key=key, kind="choice", answer=answer, exact=answer, tolerance=0, points=2, choices=choices,
                    explanations=why, misconceptions=mis)
        steps = [f"- **({k})** {'right' if k == answer else 'wrong'}: {why[k]}" for k in choices]
        return Built(f"Which loss would you train with to {text}?", part, steps=steps)


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


class Saturation(Item):
    """A confidently wrong sigmoid output: |∂ℓ/∂z| under MSE and under BCE, with drawn z."""

    id = "saturation"
    group = "saturation"

    def draw(self, draw) -> dict[str, Any]:
        z = draw.choice((-6, -5, -4, 4, 5, 6))
        order = ["right", "swapped", "both-big", "both-small"]
        draw.shuffle(order)
        return {"z": z, "y": 1 if z < 0 else 0, "order": order}

    def build(self, key, inst, mistakes) -> Built:
        z, y = inst["z"], inst["y"]
        s = sigmoid(z)
        mse, bce = abs(2 * (s - y) * s * (1 - s)), abs(s - y)
        fmt = lambda a, b: f"MSE: ${a:.3g}$; BCE: ${b:.3g}$"  # noqa: E731
        values = {"right": (mse, bce), "swapped": (bce, mse), "both-big": (bce, bce), "both-small": (mse, mse)}
        choices = {LETTERS[i]: fmt(*values[o]) for i, o in enumerate(inst["order"])}
        answer = LETTERS[inst["order"].index("right")]
        work = (f"σ(z) = {s:.4g}; MSE: |2(σ − y)σ(1 − σ)| = {mse:.3g}, the saturated σ(1 − σ) = {s * (1 - s):.3g} "
                f"kills it; BCE: |σ − y| = {bce:.3g}.")
        why = {LETTERS[i]: (work if o == "right" else f"Not these values: {work}") for i, o in enumerate(inst["order"])}
        m = mistakes["mse-classify-fine"]
        part = Part(key=key, kind="choice", answer=answer, exact=answer, tolerance=0, points=2, choices=choices,
                    explanations=why, misconceptions=[Misconception(name=m.name, value=LETTERS[inst["order"].index("both-big")],
                                                                    explanation=m.explanation)])
        prompt = (f"A binary classifier outputs $\\hat y = \\sigma(z)$ with $z = {z}$ for an example whose label is "
                  f"$y = {y}$: it is confidently wrong. What is $|\\partial \\ell / \\partial z|$ with the squared error "
                  r"$\ell = (\sigma(z) - y)^2$ and with binary cross-entropy $\ell = -[y\log\sigma(z) + (1-y)\log(1-\sigma(z))]$?")
        steps = [f"- **({k})** {'right' if k == answer else 'wrong'}: {why[k]}" for k in choices]
        return Built(prompt, part, steps=steps)


CE = r"$\ell(\hat{\mathbf{y}}, \mathbf{y}) = -\log p(\mathbf{y} \mid \mathbf{x})$"

ITEMS = [
    TaskLoss(),
    Saturation(),
    Choice("ce-nll", f"The deck writes cross-entropy as {CE}, 'data likelihood with a negative sign'. Minimizing it over "
           "the training set is the same as:",
           right=[Opt("maximizing the likelihood of the training labels",
                      "Minimizing Σ −log p(y_i|x_i) maximizes Σ log p(y_i|x_i), the log-likelihood.")],
           wrong=[Opt("maximizing the cross-entropy", mistake="ce-maximize"),
                  Opt("minimizing the likelihood of the training labels", "The minus sign flips it: lower loss = higher likelihood."),
                  Opt("minimizing the squared distance between the logits and the one-hot labels", "That is MSE on the logits, not cross-entropy."),
                  Opt("making every predicted probability equal, as uniform as possible", "Equal probabilities give a high loss, −log(1/K).")],
           group="nll"),
    Choice("minus-sign", "Why does the cross-entropy loss carry a minus sign in front of the log-likelihood?",
           right=[Opt("To turn a likelihood to maximize into a loss to minimize.",
                      "'Add a negative sign to turn it into a loss, i.e. something to minimize'.")],
           wrong=[Opt("So that the loss can be negative for good predictions and positive for bad ones.", mistake="ce-negative"),
                  Opt("Because probabilities are negative.", "Probabilities lie in [0, 1]; their logs are ≤ 0."),
                  Opt("So that higher values of the loss mean a better model.", mistake="higher-better"),
                  Opt("To make the gradient point uphill.", "Gradient descent steps against the gradient of the loss; the sign of the loss itself is what makes minimizing it right.")],
           group="ce-values"),
    Choice("mse-gaussian", "Minimizing the mean squared error is maximum likelihood under which model of the target $y$ given $\\mathbf{x}$?",
           right=[Opt("$y$ is the prediction plus Gaussian noise",
                      "−log N(y; ŷ, σ²) = (y − ŷ)²/(2σ²) + const: the squared error, up to scale and constants.")],
           wrong=[Opt("$y$ is a Bernoulli (0/1) variable with probability $\\hat y$", mistake="mse-bernoulli"),
                  Opt("$y$ is the prediction plus Laplace (double-exponential) noise", "Laplace noise gives the absolute error |y − ŷ|, not the square."),
                  Opt("$y$ is uniform on $[0, 1]$", "A uniform model does not depend on ŷ: nothing to fit.")],
           group="likelihood"),
    Choice("bce-bernoulli", "Binary cross-entropy $-[y\\log\\hat y + (1-y)\\log(1-\\hat y)]$ is the negative log-likelihood of which model?",
           right=[Opt("$y \\in \\{0, 1\\}$ is Bernoulli with $P(y = 1) = \\hat y$",
                      "p(y) = $\\hat y^{y} (1 - \\hat y)^{1-y}$; its −log is the binary cross-entropy.")],
           wrong=[Opt("$y$ is $\\hat y$ plus Gaussian noise", mistake="bce-gaussian"),
                  Opt("$y$ is one of $K$ classes with a uniform distribution", "A uniform distribution ignores ŷ."),
                  Opt("$y$ is Poisson with mean $\\hat y$", "A Poisson likelihood gives ŷ − y log ŷ, not this.")],
           group="likelihood"),
    Choice("mse-sigmoid", "Why does a sigmoid output trained with the squared error learn badly for classification?",
           right=[Opt("When the sigmoid saturates at the wrong answer, the factor $\\sigma(1-\\sigma)$ makes the gradient vanish.",
                      "σ(1 − σ) ≤ 1/4 and → 0 at saturation; cross-entropy cancels it.")],
           wrong=[Opt("The squared error cannot be computed for 0/1 labels, only for real-valued targets.", "(σ − y)² is defined for any y."),
                  Opt("It learns just as well; the choice is a convention.", mistake="mse-classify-fine"),
                  Opt("The squared error is always larger than cross-entropy, so the gradient steps are too big to converge.",
                      "The problem is the opposite: tiny gradients when the output is confidently wrong."),
                  Opt("Squared errors can be negative.", "A square is never negative.")],
           group="saturation"),
    Multi("ce-one-hot", "For one example with a one-hot label (true class $c$) and softmax outputs $\\hat y_1, \\dots, \\hat y_K$, "
          "which statements about the cross-entropy loss are right?",
          right=[Opt("it equals $-\\log \\hat y_c$", "Only the true class's term of −Σ y_k log $\\hat y_k$ survives."),
                 Opt("it is 0 only when $\\hat y_c = 1$", "−log $\\hat y_c$ = 0 exactly when $\\hat y_c$ = 1."),
                 Opt("it grows without bound as $\\hat y_c \\to 0$", "−log $\\hat y_c$ → ∞: a confidently wrong prediction is punished hard.")],
          wrong=[Opt("it adds a separate term for each wrong class", mistake="ce-wrong-classes"),
                 Opt("it can be negative when the prediction is very good", mistake="ce-negative"),
                 Opt("a larger value means a better prediction", mistake="higher-better")],
          options=4, n_right=(1, 3), group="ce-values"),
    Choice("triplet-pull", "The triplet loss $\\max(0,\\ d(a,p) - d(a,n) + m)$ takes an anchor $a$, a positive $p$ (same identity) and a "
           "negative $n$. What does minimizing it do?",
           right=[Opt("pulls $p$ towards $a$ and pushes $n$ away",
                      "Lowering the loss means smaller d(a, p) and larger d(a, n); it is 0 once the margin holds.")],
           wrong=[Opt("pulls both $p$ and $n$ towards $a$, by the margin $m$", mistake="triplet-pull-negative"),
                  Opt("pushes $p$ away and pulls $n$ in", "That would raise d(a, p) − d(a, n): the loss goes up."),
                  Opt("makes $d(a,p) = d(a,n) = m$", "Equal distances leave the loss at m > 0."),
                  Opt("keeps decreasing until $p = a$ exactly, whatever $n$ is", mistake="triplet-never-zero")],
           group="triplet"),
    Choice("simclr-positives", "In SimCLR, which pairs of embeddings are pulled together as positives?",
           right=[Opt("two augmented views of the same image",
                      "SimCLR makes its own positives by augmenting one image twice.")],
           wrong=[Opt("two images with the same class label, as in supervised training", mistake="simclr-same-class"),
                  Opt("an image and the embedding of its class label", mistake="simclr-labels"),
                  Opt("every pair of images in the batch", "The other images of the batch are the negatives, pushed apart."),
                  Opt("an image and a random noise image", "Noise images play no part; negatives are other real images.")],
           group="simclr"),
    TrueFalse("tf-lower-better", "Of two models evaluated with the same loss on the same data, the one with the lower loss fits "
              "the data better.", True,
              "A loss measures distance from the ideal distribution (or how unlikely the data is): 'LOWER IS BETTER'.",
              [(1, "the loss measures distance / unlikelihood"), (1, "so lower means a better fit")],
              mistake="higher-better", group="lower"),
    TrueFalse("tf-ce-negative", "The cross-entropy loss of a softmax classifier can be negative when a prediction is very confident "
              "and right.", False,
              "ℓ = −log $\\hat y_c$ with 0 < $\\hat y_c$ ≤ 1, so ℓ ≥ 0; it reaches 0 only at $\\hat y_c$ = 1.",
              [(1, "ℓ = −log $\\hat y_c$"), (1, "$\\hat y_c$ ≤ 1 so −log $\\hat y_c$ ≥ 0")], mistake="ce-negative", group="ce-values"),
    TrueFalse("tf-triplet-zero", "A triplet whose negative is farther from the anchor than the positive by at least the margin "
              "still contributes a positive loss.", False,
              "d(a, n) ≥ d(a, p) + m makes d(a, p) − d(a, n) + m ≤ 0, and the hinge max(0, ·) gives 0 (and no gradient).",
              [(1, "the hinge argument is ≤ 0"), (1, "max(0, ·) = 0: no loss, no gradient")],
              mistake="triplet-never-zero", group="triplet"),
    TrueFalse("tf-simclr-labels", "SimCLR needs class labels to decide which images form positive pairs.", False,
              "It is self-supervised: the positive pair is two augmentations of one image; the rest of the batch are negatives.",
              [(1, "positives are two augmented views of one image"), (1, "no labels needed (self-supervised)")],
              mistake="simclr-labels", group="simclr"),
    TrueFalse("tf-mse-gaussian", "Minimizing the squared error $(y - \\hat y)^2$ gives the same $\\hat y$ as maximizing a Gaussian "
              "likelihood of $y$ with mean $\\hat y$ and a fixed variance.", True,
              "−log N(y; ŷ, σ²) = (y − ŷ)²/(2σ²) + ½ log(2πσ²): with σ fixed, the same minimizer as the squared error.",
              [(1, "−log of the Gaussian density is (y − ŷ)²/(2σ²) + const"), (1, "σ fixed: same minimizer")],
              mistake="mse-bernoulli", group="likelihood"),
    Short("derive-p-minus-y", "For softmax outputs $\\hat y_k = e^{z_k}/\\sum_j e^{z_j}$ and the cross-entropy "
          "$\\ell = -\\sum_k y_k \\log \\hat y_k$ with a one-hot $\\mathbf{y}$, show that $\\partial\\ell/\\partial z_k = \\hat y_k - y_k$.",
          r"$\ell = -z_c + \log \sum_j e^{z_j}$ for the true class $c$. So $\partial\ell/\partial z_k = -[k = c] + "
          r"e^{z_k}/\sum_j e^{z_j} = \hat y_k - y_k$.",
          [(1, "write ℓ = −z_c + log Σⱼ exp(zⱼ)"), (1, "differentiate: −y_k + $\\hat y_k$")],
          difficulties=("medium", "hard"), group="saturation"),
    Short("why-nll", "Why is the cross-entropy loss called a negative log-likelihood, and why is lower better?",
          "For a label y the model's softmax gives p(y|x) = $\\hat y_y$; the loss is −log of that likelihood. Minimizing it "
          "maximizes the likelihood of the data, so a lower loss means the data is less unlikely under the model.",
          [(1, "ℓ = −log p(y|x), the log-likelihood with a minus sign"), (1, "minimizing it maximizes the likelihood: lower is better")],
          difficulties=("medium", "hard"), group="nll"),
    Short("derive-mse", "Show that maximizing the likelihood of $y \\sim \\mathcal{N}(\\hat y, \\sigma^2)$ with $\\sigma$ fixed is the "
          "same as minimizing $(y - \\hat y)^2$.",
          "−log N(y; ŷ, σ²) = (y − ŷ)²/(2σ²) + ½ log(2πσ²). The second term and the factor 1/(2σ²) do not depend on ŷ, "
          "so the ŷ that maximizes the likelihood minimizes (y − ŷ)².",
          [(1, "write −log of the Gaussian density"), (1, "the terms without ŷ and the positive factor do not change the minimizer")],
          difficulties=("hard",), group="likelihood"),
]

# 'why is lower better?' beside 'the lower loss fits better'; ℓ = −log p(y|x) (p ≤ 1) or −Σ y log ŷ printed
# beside 'cross-entropy can be negative'
REVEALS = [("tf-lower-better", "why-nll"), ("tf-ce-negative", "ce-nll"), ("tf-ce-negative", "derive-p-minus-y")]
POOL = Pool("losses", ITEMS, REVEALS)
LossesConcepts = concept_family("losses-concepts", "Loss functions: the ideas", POOL)
