"""Diffusion, the ideas: the forward noising process and its closed form q(x_t | x₀) (ᾱₜ from a
drawn schedule, the mean and variance of x_t), the learned reverse process, the denoising
objective ‖ε − ε_θ(x_t, t)‖², the noise schedule, training vs sampling cost, and the relation to
the VAE's ELBO. A pool of choice, select-all, true/false-with-justification and short items, in
the notation of the computational diffusion-forward family (DDPM, Ho et al., 2020)."""

from __future__ import annotations

from fractions import Fraction

from ..kit.concept_family import concept_family
from ..kit.concepts import Choice, Multi, Opt, Pool, Short, TrueFalse
from ..kit.conv_items import DrawnChoice

FORWARD = (r"The forward noising process adds Gaussian noise step by step, "
           r"$q(\mathbf{x}_t \mid \mathbf{x}_{t-1}) = \mathcal{N}(\sqrt{1-\beta_t}\,\mathbf{x}_{t-1},\ \beta_t \mathbf{I})$, "
           r"with $\alpha_t = 1 - \beta_t$ and $\bar\alpha_t = \prod_{s \le t} \alpha_s$. ")
# three-step schedules (β₁, β₂, β₃), β growing with t, whose ᾱ₃ is a short decimal
SCHEDULES = ((0.1, 0.2, 0.5), (0.04, 0.2, 0.5), (0.1, 0.2, 0.25), (0.2, 0.25, 0.4), (0.05, 0.2, 0.5),
             (0.1, 0.25, 0.4), (0.04, 0.25, 0.5), (0.2, 0.2, 0.5))
# ᾱₜ whose root and whose complement's root are both short decimals (3-4-5 and 7-24-25 triangles)
ALPHA_BARS = (0.64, 0.36, 0.9216, 0.0784)


def _g(x) -> str:
    return f"{round(float(x), 6):g}"


def _prod(xs) -> Fraction:
    out = Fraction(1)
    for x in xs:
        out *= Fraction(str(x))
    return out


class AlphaBar(DrawnChoice):
    """ᾱ₃ from a drawn β schedule: the product of the α's, against 1 − Σβ, Πβ and α₃ alone."""

    id = "alphabar"
    group = "closed-form"

    def instance(self, draw):
        return {"betas": list(draw.choice(SCHEDULES))}

    def prompt(self, inst):
        b = inst["betas"]
        return (FORWARD + f"A schedule of $T = 3$ steps has $\\beta_1 = {_g(b[0])}$, $\\beta_2 = {_g(b[1])}$ and "
                f"$\\beta_3 = {_g(b[2])}$. What fraction of the signal's variance survives in "
                r"$\mathbf{x}_3 = \sqrt{\bar\alpha_3}\,\mathbf{x}_0 + \sqrt{1-\bar\alpha_3}\,\boldsymbol{\varepsilon}$, "
                r"that is, what is $\bar\alpha_3$?")

    def options(self, inst):
        b = [Fraction(str(x)) for x in inst["betas"]]
        right = _prod(1 - x for x in b)
        alphas = " · ".join(_g(1 - x) for x in b)
        return [
            (f"${_g(right)}$", f"ᾱ₃ = α₁α₂α₃ = {alphas} = {_g(right)}: each step keeps the share α_t = 1 − β_t.", None),
            (f"${_g(1 - sum(b))}$", "", "alphabar-sum"),
            (f"${_g(_prod(b))}$", "", "alphabar-betas"),
            (f"${_g(1 - b[-1])}$", "", "alphabar-last"),
            (f"${_g(1 - _prod(b))}$", f"1 − Πβ is not a survival share; ᾱ₃ = Π(1 − β_t) = {_g(right)}.", None),
        ]


class Marginal(DrawnChoice):
    """The mean and variance of q(x_t | x₀) at a drawn ᾱₜ and x₀."""

    id = "marginal"
    group = "closed-form"

    def instance(self, draw):
        return {"alpha_bar": draw.choice(ALPHA_BARS), "x0": draw.choice((-2, -1.5, 1, 1.5, 2, 2.5))}

    def prompt(self, inst):
        return (FORWARD + f"For a one-dimensional $x_0 = {_g(inst['x0'])}$ and a step $t$ with "
                f"$\\bar\\alpha_t = {_g(inst['alpha_bar'])}$, what are the mean and the variance of "
                r"$q(x_t \mid x_0)$?")

    def options(self, inst):
        ab, x0 = Fraction(str(inst["alpha_bar"])), Fraction(str(inst["x0"]))
        r, c = _sqrt(ab), _sqrt(1 - ab)
        pair = "mean ${}$, variance ${}$".format
        return [
            (pair(_g(r * x0), _g(1 - ab)), f"q(x_t | x₀) = N(√ᾱₜ x₀, (1 − ᾱₜ) I): mean {_g(r)} · {_g(x0)} = "
             f"{_g(r * x0)}, variance 1 − {_g(ab)} = {_g(1 - ab)}.", None),
            (pair(_g(ab * x0), _g(1 - ab)), f"The mean is scaled by √ᾱₜ = {_g(r)}, not by ᾱₜ.", "variance-as-std"),
            (pair(_g(r * x0), _g(c)), f"√(1 − ᾱₜ) = {_g(c)} is the noise's standard deviation; the variance is "
             f"{_g(1 - ab)}.", "variance-as-std"),
            (pair(_g(x0), _g(1 - ab)), "", "mean-not-shrunk"),
            (pair(_g(c * x0), _g(ab)), f"The weights are swapped: the signal keeps √ᾱₜ = {_g(r)}, the noise has "
             f"variance 1 − ᾱₜ = {_g(1 - ab)}.", None),
        ]


def _sqrt(q: Fraction) -> Fraction:
    """The exact root of a square of a short decimal (ALPHA_BARS are built that way)."""
    n, d = q.numerator, q.denominator
    rn, rd = round(n ** 0.5), round(d ** 0.5)
    assert rn * rn == n and rd * rd == d, q
    return Fraction(rn, rd)


LOSS = (r"$\mathbb{E}_{t, \mathbf{x}_0, \boldsymbol{\varepsilon}} \big\| \boldsymbol{\varepsilon} - "
        r"\boldsymbol{\varepsilon}_\theta(\sqrt{\bar\alpha_t}\,\mathbf{x}_0 + \sqrt{1-\bar\alpha_t}\,"
        r"\boldsymbol{\varepsilon},\ t) \big\|^2$")

ITEMS = [
    AlphaBar(),
    Marginal(),
    TrueFalse(
        "tf-closed-form",
        "To train on a noisy $\\mathbf{x}_t$ at step $t = 500$, you must first run the 500 forward noising steps "
        "one after the other.",
        False,
        "Gaussian steps compose in closed form: q(x_t | x₀) = N(√ᾱₜ x₀, (1 − ᾱₜ) I), so x_t = √ᾱₜ x₀ + "
        "√(1 − ᾱₜ) ε is one draw of ε ~ N(0, I), whatever t is.",
        [(1, "the forward steps compose into q(x_t | x₀) = N(√ᾱₜ x₀, (1 − ᾱₜ) I)"),
         (1, "so x_t is sampled directly, with one ε")],
        mistake="train-by-sampling", group="closed-form2"),
    TrueFalse(
        "tf-xT-noise",
        "With DDPM's schedule ($T = 1000$, $\\beta_t$ rising linearly from $10^{-4}$ to $0.02$), $\\mathbf{x}_T$ is "
        "close to pure noise $\\mathcal{N}(\\mathbf{0}, \\mathbf{I})$ whatever the image $\\mathbf{x}_0$ was.",
        True,
        "$\\bar\\alpha_T$ = Π(1 − β_t) ≈ 4·10⁻⁵ for that schedule, so x_T = $\\sqrt{\\bar\\alpha_T}$ x₀ + "
        "$\\sqrt{1 - \\bar\\alpha_T}$ ε is about 0.006 x₀ + "
        "ε: almost all noise. That is why sampling can start from x_T ~ N(0, I).",
        [(1, "$\\bar\\alpha_T$ = Π(1 − β_t) is close to 0 for this schedule"), (1, "so x_T ≈ ε ~ N(0, I), independent of x₀")],
        mistake="mean-not-shrunk", group="schedule"),
    TrueFalse(
        "tf-unit-variance",
        "If $x_{t-1}$ has mean 0 and variance 1, then $x_t = \\sqrt{1-\\beta_t}\\,x_{t-1} + \\sqrt{\\beta_t}\\,"
        "\\varepsilon$ (with $\\varepsilon \\sim \\mathcal{N}(0, 1)$ independent) also has variance 1.",
        True,
        "Var(x_t) = (1 − β_t)·Var(xₜ₋₁) + β_t·Var(ε) = (1 − β_t) + β_t = 1: the √(1 − β_t) scaling keeps the "
        "variance from growing as noise is added ('variance preserving').",
        [(1, "variances of independent terms add, with squared coefficients"), (1, "(1 − β_t)·1 + β_t = 1")],
        mistake="variance-as-std", group="variance"),
    Choice(
        "reverse-process",
        "What does the reverse process of a trained diffusion model do?",
        right=[Opt("It starts from noise $\\mathbf{x}_T \\sim \\mathcal{N}(\\mathbf{0}, \\mathbf{I})$ and removes a "
                   "little noise per step, $p_\\theta(\\mathbf{x}_{t-1} \\mid \\mathbf{x}_t)$.",
                   "The learned reverse chain goes x_T → $x_{T-1}$ → … → x₀; each step is a Gaussian whose mean comes "
                   "from the denoising network.")],
        wrong=[Opt("It adds Gaussian noise to a training image, step by step, until only noise is left.",
                   mistake="reverse-is-forward"),
               Opt("It maps an image to a lower-dimensional code $\\mathbf{z}$, as the encoder of a VAE does.",
                   mistake="latent-smaller"),
               Opt("It undoes the forward steps exactly, with a closed formula that needs no trained network.",
                   "Undoing a step in closed form needs x₀ (q(xₜ₋₁ | x_t, x₀)); without x₀ the step must be "
                   "learned, p_θ(xₜ₋₁ | x_t)."),
               Opt("It tells real images from generated ones, like the discriminator of a GAN does.",
                   mistake="gan-adversary")],
        group="reverse"),
    Choice(
        "what-learned",
        "Which part of a DDPM has trainable parameters?",
        right=[Opt("Only the reverse process: the network $\\boldsymbol{\\varepsilon}_\\theta(\\mathbf{x}_t, t)$.",
                   "The forward process is fixed by β₁, …, β_T; p_θ(xₜ₋₁ | x_t) is computed from ε_θ.")],
        wrong=[Opt("Only the forward process $q(\\mathbf{x}_t \\mid \\mathbf{x}_{t-1})$, which learns how to add noise.",
                   mistake="forward-learned"),
               Opt("Both, like the encoder and the decoder of a VAE, trained together on the ELBO.",
                   mistake="forward-learned"),
               Opt("Only the noise schedule $\\beta_1, \\dots, \\beta_T$, which is fitted by gradient descent.",
                   "DDPM fixes the schedule (linear from 10⁻⁴ to 0.02); the trained part is the denoising network."),
               Opt("Only a discriminator that scores how realistic each $\\mathbf{x}_t$ looks.", mistake="gan-adversary")],
        group="reverse"),
    Choice(
        "objective",
        "DDPM trains its network with the simple denoising objective " + LOSS + ". What does "
        "$\\boldsymbol{\\varepsilon}_\\theta$ learn to output?",
        right=[Opt("The noise $\\boldsymbol{\\varepsilon}$ that was mixed into $\\mathbf{x}_t$.",
                   "The loss is a squared error between ε and ε_θ(x_t, t): a regression on the added noise. From it, "
                   "x₀ ≈ (x_t − √(1 − ᾱₜ) ε_θ)/√ᾱₜ.")],
        wrong=[Opt("The noisy input $\\mathbf{x}_t$ itself, so that the loss measures how well it is copied.",
                   "Copying x_t would not denoise anything; the target in the loss is ε."),
               Opt("A probability that $\\mathbf{x}_t$ is a real image rather than a generated one.", mistake="gan-adversary"),
               Opt("The next noise level $\\beta_{t+1}$ of the schedule, one step ahead.",
                   "The schedule β₁, …, β_T is fixed in advance, not predicted; the target in the loss is ε."),
               Opt("The distance $\\|\\mathbf{x}_t - \\mathbf{x}_0\\|$ between the noisy and the clean image.",
                   mistake="loss-x0-distance")],
        group="objective"),
    Choice(
        "training-step",
        "Which is one training step of a DDPM on an image $\\mathbf{x}_0$?",
        right=[Opt("Draw $t$ and $\\boldsymbol{\\varepsilon}$, form $\\mathbf{x}_t$ in closed form, and step on "
                   "$\\|\\boldsymbol{\\varepsilon} - \\boldsymbol{\\varepsilon}_\\theta(\\mathbf{x}_t, t)\\|^2$.",
                   "Ho et al.'s Algorithm 1: t ~ Uniform{1, …, T}, ε ~ N(0, I), x_t = √ᾱₜ x₀ + √(1 − ᾱₜ) ε, one "
                   "gradient step. One network call per example.")],
        wrong=[Opt("Run all $T$ reverse steps from noise and compare the generated image with $\\mathbf{x}_0$.",
                   mistake="train-by-sampling"),
               Opt("Run the forward chain one step at a time up to $t$, then fit the schedule $\\beta_t$.",
                   mistake="forward-learned"),
               Opt("Encode $\\mathbf{x}_0$ to a small code, decode it, and add a KL term to the prior.",
                   mistake="latent-smaller"),
               Opt("Update a discriminator on $\\mathbf{x}_0$ and $\\mathbf{x}_t$, then the denoiser to fool it.",
                   mistake="gan-adversary")],
        group="objective"),
    TrueFalse(
        "tf-sampling-cost",
        "Training a DDPM calls the network once per example, but generating one image calls it $T$ times.",
        True,
        "Training (Algorithm 1) samples one t and forms x_t in closed form; sampling (Algorithm 2) runs the "
        "reverse chain from x_T down to x₀, one network call per step: T = 1000 in DDPM.",
        [(1, "training: one t per example, x_t in closed form"), (1, "sampling: T reverse steps, one call each")],
        mistake="one-step-sampling", group="cost"),
    Multi(
        "elbo-link",
        "How is a diffusion model related to a VAE and its ELBO?",
        right=[Opt("Its loss is derived from an ELBO, a lower bound on $\\log p(\\mathbf{x}_0)$.",
                   "Ho et al. derive their loss from the variational bound; $L_{\\mathrm{simple}}$ is a reweighted form of it."),
               Opt("$\\mathbf{x}_1, \\dots, \\mathbf{x}_T$ play the role of the latent variables.",
                   "The forward process is the 'encoder' q(x₁, …, x_T | x₀); the reverse process is the 'decoder'."),
               Opt("Its 'encoder', the forward process, is fixed rather than learned.",
                   "Unlike a VAE's q_φ(z|x), q(x_t | xₜ₋₁) has no parameters.")],
        wrong=[Opt("Its latents are lower-dimensional than $\\mathbf{x}_0$, as a VAE's $\\mathbf{z}$ is.",
                   mistake="latent-smaller"),
               Opt("It maximizes an upper bound on $\\log p(\\mathbf{x}_0)$.", mistake="elbo-upper"),
               Opt("Its encoder is learned together with the decoder, as in a VAE.", mistake="forward-learned")],
        options=4, n_right=(1, 3), group="elbo"),
    TrueFalse(
        "tf-latent-dim",
        "As in a VAE, the latent variables $\\mathbf{x}_1, \\dots, \\mathbf{x}_T$ of a diffusion model have fewer "
        "dimensions than the data $\\mathbf{x}_0$.",
        False,
        "Every x_t has the shape of x₀: the forward process only scales it and adds noise of the same shape.",
        [(1, "x_t = √ᾱₜ x₀ + √(1 − ᾱₜ) ε has the same shape as x₀"), (1, "no compression, unlike a VAE's z")],
        mistake="latent-smaller", group="elbo"),
    Choice(
        "schedule-role",
        "What does the noise schedule $\\beta_1, \\dots, \\beta_T$ of a diffusion model set?",
        right=[Opt("How much noise each forward step adds, so $\\bar\\alpha_t$ falls from near 1 to near 0.",
                   "β_t is the variance of the noise added at step t; ᾱₜ = Π(1 − β_s) is the share of x₀'s variance "
                   "left in x_t.")],
        wrong=[Opt("The learning rate of the denoising network at each epoch of its training.", mistake="schedule-is-lr"),
               Opt("The share of the signal each step keeps, so $\\bar\\alpha_t = \\prod_s \\beta_s$.",
                   mistake="alphabar-betas"),
               Opt("Nothing fixed: the network learns the $\\beta_t$ together with its weights.",
                   "DDPM fixes the schedule in advance (linear from 10⁻⁴ to 0.02); it is not trained."),
               Opt("How many of the reverse steps the sampler may skip when it generates an image.",
                   "The schedule belongs to the forward process: the variance of the noise added at each step.")],
        group="schedule"),
    Choice(
        "t-input",
        "Why does the denoising network take the step $t$ as an input, $\\boldsymbol{\\varepsilon}_\\theta(\\mathbf{x}_t, t)$?",
        right=[Opt("One network serves every step, and the noise in $\\mathbf{x}_t$ depends on $t$.",
                   "x_t holds noise of standard deviation √(1 − ᾱₜ); knowing t tells the network how much to remove.")],
        wrong=[Opt("It does not need $t$: the same denoising step is right at every noise level.", mistake="t-unneeded"),
               Opt("So that it can run the forward process up to step $t$ on its own.", mistake="forward-learned"),
               Opt("Because $t$ is the learning rate the update of that step should use.", mistake="schedule-is-lr"),
               Opt("To produce the whole chain $\\mathbf{x}_T, \\dots, \\mathbf{x}_0$ in one network pass.",
                   mistake="one-step-sampling")],
        group="reverse2"),
    Choice(
        "vs-gan",
        "Compared with a GAN, what is typical of a diffusion model?",
        right=[Opt("Stable training on a plain regression loss, but slow sampling ($T$ network calls).",
                   "No adversarial game (no mode-collapse-prone min-max); the price is the T-step reverse chain.")],
        wrong=[Opt("Fast sampling in one pass, but an unstable min-max game during training.", mistake="one-step-sampling"),
               Opt("It trains a discriminator too, but on noisy images $\\mathbf{x}_t$ instead of clean ones.",
                   mistake="gan-adversary"),
               Opt("It can only denoise the images it is given; it cannot generate new ones from pure noise.",
                   mistake="reverse-is-forward"),
               Opt("It needs a small latent code $\\mathbf{z}$, which is what makes it faster to sample than a GAN.",
                   mistake="latent-smaller")],
        group="cost"),
    TrueFalse(
        "tf-snr",
        "With every $\\beta_t$ in $(0, 1)$, the signal-to-noise ratio $\\bar\\alpha_t / (1 - \\bar\\alpha_t)$ of "
        "$\\mathbf{x}_t$ stays the same from step to step, since each step keeps the variance at 1.",
        False,
        "ᾱₜ = ᾱₜ₋₁(1 − β_t) < ᾱₜ₋₁, and ᾱ/(1 − ᾱ) is increasing in ᾱ, so the SNR falls at every step: "
        "each step leaves less signal and more noise.",
        [(1, "ᾱₜ = ᾱₜ₋₁(1 − β_t) decreases"), (1, "ᾱ/(1 − ᾱ) increases with ᾱ, so the SNR decreases")],
        mistake="snr-constant", group="variance"),
    Short(
        "x0-from-eps",
        "Show that a network that predicts the noise, $\\boldsymbol{\\varepsilon}_\\theta(\\mathbf{x}_t, t) \\approx "
        "\\boldsymbol{\\varepsilon}$, also gives an estimate of the clean image $\\mathbf{x}_0$.",
        "From x_t = √ᾱₜ x₀ + √(1 − ᾱₜ) ε, solving for x₀ gives x₀ = (x_t − √(1 − ᾱₜ) ε)/√ᾱₜ; replacing ε by "
        "the prediction gives x̂₀ = (x_t − √(1 − ᾱₜ) ε_θ(x_t, t))/√ᾱₜ.",
        [(1, "start from x_t = √ᾱₜ x₀ + √(1 − ᾱₜ) ε"), (1, "solve for x₀ and plug in ε_θ for ε")],
        difficulties=("medium", "hard"), group="objective"),
    Short(
        "two-steps",
        "Show that two forward steps give $\\mathbf{x}_2 = \\sqrt{\\alpha_1\\alpha_2}\\,\\mathbf{x}_0 + "
        "\\sqrt{1-\\alpha_1\\alpha_2}\\,\\bar{\\boldsymbol{\\varepsilon}}$ with $\\bar{\\boldsymbol{\\varepsilon}} \\sim "
        "\\mathcal{N}(\\mathbf{0}, \\mathbf{I})$.",
        "x₂ = √α₂ x₁ + √(1 − α₂) ε₂ = √(α₁α₂) x₀ + √(α₂(1 − α₁)) ε₁ + √(1 − α₂) ε₂. The two noise terms are "
        "independent Gaussians, so their sum is Gaussian with variance α₂(1 − α₁) + (1 − α₂) = 1 − α₁α₂: it is "
        "√(1 − α₁α₂) ε̄.",
        [(1, "substitute x₁ = √α₁ x₀ + √(1 − α₁) ε₁"), (1, "independent Gaussian noises add: variances add"),
         (1, "α₂(1 − α₁) + 1 − α₂ = 1 − α₁α₂")],
        difficulties=("hard",), group="closed-form2"),
    Short(
        "why-many-steps",
        "Why does a diffusion model use many small noising steps (DDPM: $T = 1000$) rather than a few large ones?",
        "When each forward step adds only a little noise, each reverse step p(xₜ₋₁ | x_t) is itself close to "
        "a Gaussian, so a Gaussian with a learned mean can model it; the chain of small steps turns noise into "
        "data gradually. With a few large steps the reverse steps would be far from Gaussian.",
        [(1, "small β_t: the true reverse step is close to Gaussian"), (1, "so a Gaussian p_θ(xₜ₋₁ | x_t) can fit it")],
        difficulties=("medium", "hard"), group="cost"),
]

# items whose prompt or options show x_t formed in one draw from x_0 (the x_3 formula, the loss
# ε_θ(√ᾱ x_0 + √(1 − ᾱ) ε, t), 'form x_t in closed form', q(x_t | x_0) asked for), beside the true/false
# 'you must first run the 500 forward steps'
REVEALS = [("tf-closed-form", other) for other in ("alphabar", "marginal", "objective", "training-step")]
POOL = Pool("diffusion", ITEMS, REVEALS)
DiffusionConcepts = concept_family("diffusion-concepts", "Diffusion: the ideas", POOL)
