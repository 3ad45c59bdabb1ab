"""GANs, the ideas: the two players, mode collapse, why the non-saturating generator loss (the
gradients of log(1 − D) and −log D with respect to the discriminator's logit at a drawn D(G(z))),
the optimal discriminator, alternating training. A pool of choice, select-all,
true/false-with-justification and short items."""

from __future__ import annotations

from ..kit.concept_family import concept_family
from ..kit.concepts import Choice, Multi, Opt, Pool, Short, TrueFalse
from ..kit.conv_items import DrawnChoice


def _g(x: float) -> str:
    return f"{round(x, 6):g}"


class SaturatingGradients(DrawnChoice):
    """|∂/∂a| of log(1 − σ(a)) and −log σ(a) at a drawn D = σ(a) near 0."""

    id = "ns-gradients"
    group = "ns"

    def instance(self, draw):
        return {"d": draw.choice((0.01, 0.02, 0.04, 0.05, 0.1))}

    def prompt(self, inst):
        return ("Early in training the discriminator rejects a fake: $D(G(\\mathbf{z})) = \\sigma(a) = "
                f"{_g(inst['d'])}$, where $a$ is the discriminator's logit. How large are the gradients "
                "$|\\partial \\ell/\\partial a|$ of the minimax generator loss $\\ell = \\log(1 - D(G(\\mathbf{z})))$ "
                "and of the non-saturating loss $\\ell = -\\log D(G(\\mathbf{z}))$?")

    def options(self, inst):
        d = inst["d"]
        pair = "minimax ${}$, non-saturating ${}$".format
        return [
            (pair(_g(d), _g(1 - d)), f"∂ log(1 − σ(a))/∂a = −σ(a) = −{_g(d)}; ∂(−log σ(a))/∂a = −(1 − σ(a)) = "
             f"−{_g(1 - d)}: the minimax loss saturates where the generator is worst, the non-saturating one does not.",
             None),
            (pair(_g(1 - d), _g(d)), "", "minimax-strong-early"),
            (pair(_g(1 / (1 - d)), _g(1 / d)), f"1/(1 − D) and 1/D are the derivatives with respect to D; through "
             f"σ′(a) = D(1 − D) = {_g(d * (1 - d))} they become D = {_g(d)} and 1 − D = {_g(1 - d)}.",
             "forgets-sigmoid"),
            (pair(_g(d), _g(d)), f"The two losses have different gradients: −log D gives 1 − D = {_g(1 - d)}, not "
             f"{_g(d)}.", None),
        ]


ITEMS = [
    SaturatingGradients(),
    Choice(
        "players",
        "What do the two networks of a GAN learn in training?",
        right=[Opt("The discriminator tells real images from generated ones; the generator tries to make it call its samples real.",
                   "A two-player game: D maximizes, G minimizes the same value function.")],
        wrong=[Opt("Both minimize one shared reconstruction loss.", mistake="gan-cooperative"),
               Opt("The generator encodes an image to a code and the discriminator decodes it back, like the two halves of an autoencoder.", mistake="gan-autoencoder"),
               Opt("The generator copies training images and the discriminator checks each copy pixel by pixel, so the generator learns the training set.",
                   mistake="g-sees-data"),
               Opt("The discriminator produces the noise that the generator denoises.",
                   "The noise z comes from a fixed prior; the discriminator only classifies real vs generated.")],
        group="players"),
    Choice(
        "g-input",
        "What does a GAN's generator take as input?",
        right=[Opt("A random vector $\\mathbf{z}$ from a simple prior, such as a standard Gaussian.", "G(z) turns noise into an image; different z give different samples.")],
        wrong=[Opt("A real training image, which it encodes to a code and then reconstructs.", mistake="gan-autoencoder"),
               Opt("The discriminator's weights.", "The generator sees only z; D influences it through gradients."),
               Opt("The discriminator's verdict on the previous sample.",
                   "The verdict enters training only through the loss's gradient, not as an input."),
               Opt("Nothing at all: it outputs the same learned image every time it is run.",
                   "Without a random input G would be a constant: one image. The random z is what makes samples differ.")],
        group="players"),
    Choice(
        "mode-collapse",
        "What is mode collapse in a GAN?",
        right=[Opt("The generator maps many different $\\mathbf{z}$ to the same few outputs that fool the discriminator.",
                   "Sharp but repetitive samples: one or a few modes of the data distribution.")],
        wrong=[Opt("The losses become NaN and training stops.", mistake="mode-collapse-is-divergence"),
               Opt("The samples become blurry averages of the training images, as with a squared-error loss on the pixels.", mistake="mode-collapse-blur"),
               Opt("The discriminator's loss goes to zero, which means the generator has won the game and training is over.",
                   mistake="d-zero-loss-good"),
               Opt("The generator memorizes every training image exactly.",
                   "Memorization would reproduce all of the data's variety; mode collapse covers too little of it.")],
        group="mode"),
    Multi(
        "mode-signs",
        "Which observations point to mode collapse?",
        right=[Opt("Samples for many different $\\mathbf{z}$ look nearly the same.", "Many z map to one output."),
               Opt("A digit class present in the training data never appears among the samples.",
                   "A mode of the data is never generated."),
               Opt("Over training, the generator jumps from producing one kind of sample to another.",
                   "The collapsed generator moves from mode to mode as the discriminator learns to reject each.")],
        wrong=[Opt("The samples are blurry averages of the training images.", mistake="mode-collapse-blur"),
               Opt("The losses become NaN.", mistake="mode-collapse-is-divergence"),
               Opt("The samples are as varied as the training data.",
                   "That is what a well-trained generator does: no collapse.")],
        options=4, n_right=(1, 3), group="mode"),
    Choice(
        "why-ns",
        "Why do GANs usually train the generator to minimize $-\\log D(G(\\mathbf{z}))$ instead of the minimax "
        "$\\log(1 - D(G(\\mathbf{z})))$?",
        right=[Opt("Early on the discriminator rejects the fakes ($D \\approx 0$), where $\\log(1 - D)$ is flat but $-\\log D$ is steep.",
                   "∂/∂a: −D for the minimax loss, −(1 − D) for the non-saturating one (Goodfellow et al., 2014).")],
        wrong=[Opt("It makes the generator aim for $D(G(\\mathbf{z})) = 1/2$ instead of fooling the discriminator, which is the equilibrium.",
                   mistake="ns-different-goal"),
               Opt("$\\log(1 - D)$ has its strongest gradient at $D \\approx 0$, which makes the early updates too large and training unstable.",
                   mistake="minimax-strong-early"),
               Opt("$-\\log D$ needs no discriminator, so the generator can be trained on its own.", "It is computed from D(G(z)): the discriminator is still needed."),
               Opt("It prevents mode collapse, since the generator is pushed towards every mode of the data.", "It fixes the early vanishing gradient; mode collapse can still happen.")],
        group="ns"),
    TrueFalse(
        "tf-minimax-strong",
        "Early in training, when $D(G(\\mathbf{z})) \\approx 0$, the minimax generator loss "
        "$\\log(1 - D(G(\\mathbf{z})))$ gives the generator a strong gradient.",
        False,
        "With D = σ(a), ∂ log(1 − D)/∂a = −D ≈ 0: the loss saturates exactly when the generator is worst. "
        "That is why the non-saturating −log D, with ∂/∂a = −(1 − D) ≈ −1, is used.",
        [(1, "∂ log(1 − σ(a))/∂a = −D ≈ 0 when D ≈ 0"), (1, "−log D gives −(1 − D) ≈ −1 instead")],
        mistake="minimax-strong-early", group="ns"),
    TrueFalse(
        "tf-same-direction",
        "The non-saturating loss $-\\log D(G(\\mathbf{z}))$ and the minimax loss $\\log(1 - D(G(\\mathbf{z})))$ "
        "both push the generator to raise $D(G(\\mathbf{z}))$.",
        True,
        "Both decrease as D(G(z)) grows (their derivatives with respect to the logit, −(1 − D) and −D, are both "
        "negative), so gradient descent on either raises D(G(z)); they differ in how strongly.",
        [(1, "both losses decrease as D(G(z)) increases"), (1, "only the size of the gradient differs")],
        mistake="ns-different-goal", group="ns-goal"),
    Choice(
        "optimal-d",
        "For a fixed generator with density $p_g$, which discriminator maximizes "
        "$\\mathbb{E}_{p_{data}}[\\log D(\\mathbf{x})] + \\mathbb{E}_{p_g}[\\log(1 - D(\\mathbf{x}))]$?",
        right=[Opt("$D^*(\\mathbf{x}) = p_{data}(\\mathbf{x})/(p_{data}(\\mathbf{x}) + p_g(\\mathbf{x}))$",
                   "At each x maximize p log D + q log(1 − D): the derivative p/D − q/(1 − D) = 0 gives D = p/(p + q).")],
        wrong=[Opt("$D^*(\\mathbf{x}) = p_{data}(\\mathbf{x})$", mistake="optimal-d-is-data"),
               Opt("$D^*(\\mathbf{x}) = p_g(\\mathbf{x})/(p_{data}(\\mathbf{x}) + p_g(\\mathbf{x}))$",
                   "That is the probability of 'generated'; D scores 'real', weighted by p_data."),
               Opt("$D^*(\\mathbf{x}) = 1/2$ for every generator and every $\\mathbf{x}$",
                   "1/2 is optimal only once p_g = p_data; otherwise D* = p_data/(p_data + p_g) varies with x.")],
        group="optimum"),
    TrueFalse(
        "tf-half",
        "When the generator matches the data ($p_g = p_{data}$), the best discriminator outputs $1/2$ for every input.",
        True,
        "D*(x) = p_data/(p_data + p_g) = p/(2p) = 1/2: real and generated images are indistinguishable.",
        [(1, "D* = p_data/(p_data + p_g)"), (1, "= 1/2 when p_g = p_data")],
        mistake="optimal-d-is-data", group="optimum"),
    TrueFalse(
        "tf-d-zero",
        "A discriminator loss close to zero shows that the generator is doing badly.",
        True,
        "It shows the discriminator separates real from fake perfectly: the generator is losing, and with the "
        "minimax loss its gradient −D vanishes.",
        [(1, "near-zero D loss = D tells real from fake perfectly"), (1, "the generator is losing / gets little gradient")],
        mistake="d-zero-loss-good", group="d-loss"),
    TrueFalse(
        "tf-g-sees-data",
        "The generator of a GAN is trained by comparing its samples with training images pixel by pixel.",
        False,
        "The generator never sees a training image; its only training signal is the gradient of the "
        "discriminator's output on its samples.",
        [(1, "no pixel-wise comparison with training images"), (1, "the signal is the gradient through D")],
        mistake="g-sees-data", group="players"),
    TrueFalse(
        "tf-likelihood",
        "Like a VAE's ELBO, a GAN gives a formula for (a bound on) the likelihood $p(\\mathbf{x})$ of an image.",
        False,
        "A GAN defines p_g only implicitly, by sampling G(z); it has no likelihood or bound to evaluate. A VAE "
        "bounds log p(x) with its ELBO.",
        [(1, "GAN: implicit model, sampling only"), (1, "VAE: ELBO bounds log p(x)")],
        mistake="gan-likelihood"),
    Choice(
        "alternating",
        "How is a GAN trained?",
        right=[Opt("In alternating steps: the discriminator with the generator fixed, then the generator through the fixed discriminator.",
                   "Algorithm 1 of Goodfellow et al. (2014): k discriminator steps, then one generator step.")],
        wrong=[Opt("Both networks minimize one joint loss in a single step.", mistake="gan-cooperative"),
               Opt("The generator is trained to convergence first, then the discriminator.",
                   "The generator needs the discriminator's signal all along; the two improve together."),
               Opt("The discriminator is trained once on real and generated images, then frozen while the generator trains against it.",
                   "A frozen discriminator is soon fooled by a few samples (mode collapse); it keeps learning."),
               Opt("The generator is trained on reconstruction error alone, and the discriminator is only added at test time to filter its samples.",
                   mistake="g-sees-data")],
        group="d-loss"),
    Short(
        "why-ns-short",
        "Explain why the generator is trained with $-\\log D(G(\\mathbf{z}))$ rather than the minimax "
        "$\\log(1 - D(G(\\mathbf{z})))$. Use $D = \\sigma(a)$.",
        "∂ log(1 − σ(a))/∂a = −σ(a) = −D, which is about 0 early in training when D(G(z)) ≈ 0: the generator "
        "gets no gradient exactly when it is worst. ∂(−log σ(a))/∂a = −(1 − D) ≈ −1 there. Both losses push "
        "D(G(z)) up, so the goal is the same.",
        [(1, "minimax gradient −D ≈ 0 when D ≈ 0 (saturates)"),
         (1, "non-saturating gradient −(1 − D) ≈ −1"),
         (1, "same direction / fixed point")],
        difficulties=("medium", "hard"), group="ns"),
    Short(
        "mode-collapse-short",
        "What is mode collapse, and why is a generator that produces one very realistic image not punished "
        "right away?",
        "The generator maps many z to the same few outputs, covering only some modes of the data. Its loss is "
        "computed per sample from the discriminator's verdict: a realistic sample fools D whether or not the "
        "other samples differ, so nothing asks for variety until D learns to reject that one output.",
        [(1, "many z → the same few outputs; modes of the data missing"),
         (1, "the loss judges each sample alone: realistic = rewarded, no term for variety")],
        difficulties=("medium", "hard"), group="mode"),
]

POOL = Pool("gan", ITEMS)
GanConcepts = concept_family("gan-concepts", "GANs: the ideas", POOL)
