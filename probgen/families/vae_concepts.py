"""VAEs, the ideas: VAE vs autoencoder, why the reparameterization trick (the gradient of
z = μ + σε at a drawn ε), the ELBO's two terms (the deck's prior matching and reconstruction
terms), the Gaussian KL, generating new samples. A pool of choice, select-all,
true/false-with-justification and short items."""

from __future__ import annotations

from ..kit.concept_family import concept_family
from ..kit.concepts import Choice, Multi, Opt, Pool, Short, TrueFalse
from ..kit.conv_items import DrawnChoice

ELBO = (r"$\mathbb{E}_{q_\phi(\mathbf{z}|\mathbf{x})}[\log p_\theta(\mathbf{x}|\mathbf{z})] - "
        r"D_{\mathrm{KL}}(q_\phi(\mathbf{z}|\mathbf{x}) \parallel p(\mathbf{z}))$")


class ReparamGradient(DrawnChoice):
    """(∂z/∂μ, ∂z/∂σ) for z = μ + σε at drawn μ, σ, ε."""

    id = "reparam-grad"
    group = "reparam"

    def instance(self, draw):
        return {"mu": draw.choice((-1, 0.5, 2)), "sigma": draw.choice((3, 4)), "eps": draw.choice((-1.5, -0.5, 0.5, 2))}

    def prompt(self, inst):
        return (f"A VAE's encoder gives $\\mu = {inst['mu']:g}$ and $\\sigma = {inst['sigma']:g}$, and the latent is "
                f"sampled as $z = \\mu + \\sigma \\varepsilon$ with $\\varepsilon \\sim \\mathcal{{N}}(0, 1)$; this "
                f"time $\\varepsilon = {inst['eps']:g}$. What are $(\\partial z/\\partial \\mu,\\ \\partial z/\\partial \\sigma)$?")

    def options(self, inst):
        e, s = inst["eps"], inst["sigma"]
        pair = "$({:g},\\ {:g})$".format
        return [
            (pair(1, e), f"z = μ + σε: ∂z/∂μ = 1 and ∂z/∂σ = ε = {e:g}. The gradient flows through μ and σ; "
             "the randomness sits in ε.", None),
            (pair(0, 0), "", "sampling-no-grad"),
            (pair(e, 1), "", "reparam-swapped"),
            (pair(1, s), f"∂(σε)/∂σ = ε = {e:g}, not σ = {s:g}.", None),
            (pair(1, 1), f"σ is multiplied by ε = {e:g}, so ∂z/∂σ = {e:g}, not 1.", None),
        ]


ITEMS = [
    ReparamGradient(),
    Choice(
        "vae-vs-ae",
        "How does a variational autoencoder differ from a plain autoencoder?",
        right=[Opt("Its encoder outputs a distribution $q_\\phi(\\mathbf{z}|\\mathbf{x})$, pulled towards the prior $p(\\mathbf{z})$ by the prior matching term.",
                   "The deck's ELBO: reconstruction term plus −D_KL(q_φ(z|x) ‖ p(z)), the prior matching term.")],
        wrong=[Opt("It has no decoder: it only encodes.", "It has both: encoder q_φ(z|x) and decoder p_θ(x|z)."),
               Opt("It is an autoencoder with a larger latent code and nothing else, so it reconstructs its inputs more exactly.", mistake="vae-is-ae"),
               Opt("The plain autoencoder has the KL term and the VAE drops it.",
                   "The reverse: the VAE adds the prior matching term −D_KL(q_φ(z|x) ‖ p(z)); a plain autoencoder "
                   "has only a reconstruction loss."),
               Opt("It generates new images by encoding training images and decoding their codes, with a KL term on the decoder.",
                   mistake="generate-by-reconstruct")],
        group="ae"),
    Choice(
        "why-reparam",
        "Why does a VAE sample its latent as $\\mathbf{z} = \\boldsymbol{\\mu} + \\boldsymbol{\\sigma} \\odot "
        "\\boldsymbol{\\varepsilon}$, $\\boldsymbol{\\varepsilon} \\sim \\mathcal{N}(\\mathbf{0}, \\mathbf{I})$, "
        "instead of drawing $\\mathbf{z} \\sim \\mathcal{N}(\\boldsymbol{\\mu}, \\boldsymbol{\\sigma}^2)$ directly?",
        right=[Opt("So that $\\mathbf{z}$ is a differentiable function of $\\boldsymbol{\\mu}$ and $\\boldsymbol{\\sigma}$, and gradients reach the encoder.",
                   "∂z/∂μ = 1, ∂z/∂σ = ε; a sampling step itself has no gradient (Kingma & Welling, 2014).")],
        wrong=[Opt("It makes sampling faster.", mistake="reparam-speed"),
               Opt("It makes $\\mathbf{z}$ deterministic during training, so that the loss no longer depends on a random draw.", mistake="reparam-speed"),
               Opt("It removes the need for the prior matching term, since $\\boldsymbol{\\varepsilon}$ is already drawn from the prior.",
                   "The KL term is still in the ELBO; the trick only concerns how gradients reach μ and σ."),
               Opt("It lets the decoder output a distribution.",
                   "The decoder's output model p_θ(x|z) is separate; the trick is about sampling z in the encoder.")],
        group="reparam"),
    TrueFalse(
        "tf-rsample",
        "In PyTorch, `Normal(mu, sigma).sample()` passes gradients back to `mu` and `sigma`, so the reparameterized "
        "`rsample()` is not needed in a VAE.",
        False,
        "`sample()` draws without building a graph: no gradient reaches μ or σ. `rsample()` computes μ + σ·ε "
        "with ε drawn separately, so gradients flow: the reparameterization trick.",
        [(1, "a plain sample is not differentiable in μ, σ"), (1, "rsample = μ + σ ε lets the gradient flow")],
        mistake="sampling-no-grad", group="reparam"),
    Choice(
        "elbo-terms",
        f"The deck writes the ELBO as {ELBO}. Which term is which?",
        right=[Opt("The first is the reconstruction term; the second is the prior matching term.",
                   "E_q[log p(x|z)] rewards decoding z back to x; −D_KL keeps q_φ(z|x) close to p(z).")],
        wrong=[Opt("The first is the prior matching term; the second is the reconstruction term.",
                   mistake="elbo-terms-swapped"),
               Opt("Both measure reconstruction, of $\\mathbf{x}$ and of $\\mathbf{z}$.",
                   "The KL term compares two distributions over z; nothing reconstructs z."),
               Opt("The second measures how far the decoder's output is from $\\mathbf{x}$.", mistake="elbo-terms-swapped"),
               Opt("The first is a regularizer on the weights; the second is the data term.",
                   "Neither is a weight penalty: the first is the data (reconstruction) term, the second compares "
                   "q_φ(z|x) with the prior.")],
        group="terms"),
    Multi(
        "elbo-maximize",
        f"Training a VAE maximizes the ELBO {ELBO}. What does that do?",
        right=[Opt("It raises the expected log-likelihood of $\\mathbf{x}$ given its code (better reconstructions).",
                   "That is the reconstruction term E_q[log p(x|z)]."),
               Opt("It keeps $q_\\phi(\\mathbf{z}|\\mathbf{x})$ close to the prior $p(\\mathbf{z})$.",
                   "The prior matching term, −D_KL, is largest when the KL is small."),
               Opt("It raises a lower bound on $\\log p(\\mathbf{x})$.", "log p(x) = ELBO + KL(q ‖ true posterior) ≥ ELBO: the evidence lower bound.")],
        wrong=[Opt("It makes $D_{\\mathrm{KL}}(q_\\phi \\parallel p)$ as large as possible.", mistake="kl-maximized"),
               Opt("It raises an upper bound on $\\log p(\\mathbf{x})$.", mistake="elbo-upper"),
               Opt("It drives every $\\sigma$ to 0, so that $\\mathbf{z}$ is exact.",
                   "σ → 0 makes log σ² → −∞ and the KL term huge; the prior matching term keeps σ away from 0.")],
        options=4, n_right=(1, 3), group="terms"),
    TrueFalse(
        "tf-lower-bound",
        "The ELBO is never larger than $\\log p(\\mathbf{x})$.",
        True,
        "log p(x) = ELBO + D_KL(q_φ(z|x) ‖ p_θ(z|x)), and a KL divergence is ≥ 0: the evidence lower bound.",
        [(1, "log p(x) − ELBO = KL(q ‖ true posterior)"), (1, "KL ≥ 0, so ELBO ≤ log p(x)")],
        mistake="elbo-upper", group="bound"),
    Choice(
        "kl-gauss",
        "For one latent dimension with $q = \\mathcal{N}(\\mu, \\sigma^2)$ and prior $p = \\mathcal{N}(0, 1)$, what is "
        "$D_{\\mathrm{KL}}(q \\parallel p)$?",
        right=[Opt("$(1/2)(\\mu^2 + \\sigma^2 - 1 - \\log \\sigma^2)$", "The standard closed form; 0 at μ = 0, σ = 1.")],
        wrong=[Opt("$(1/2)(\\mu^2 + \\sigma^2 - 1)$", mistake="kl-formula"),
               Opt("$(1/2)(\\mu^2 - \\sigma^2 + 1 + \\log \\sigma^2)$", mistake="kl-formula"),
               Opt("$\\mu^2 + \\log \\sigma$", mistake="kl-formula"),
               Opt("$(1/2)\\mu^2$", "That leaves out σ: a q with the right mean but the wrong spread would cost nothing.")],
        group="kl"),
    TrueFalse(
        "tf-kl-zero",
        "The prior matching term $-D_{\\mathrm{KL}}(q_\\phi(z|\\mathbf{x}) \\parallel \\mathcal{N}(0, 1))$ is 0 "
        "whenever the encoder outputs $\\mu = 0$, whatever $\\sigma$ is.",
        False,
        "½(μ² + σ² − 1 − log σ²) is 0 only at μ = 0, σ = 1 (σ² − 1 − log σ² ≥ 0 with equality at σ² = 1): at "
        "μ = 0, σ = 0.5 it is ½(0.25 − 1 + 1.386) ≈ 0.32.",
        [(1, "KL = ½(μ² + σ² − 1 − log σ²)"), (1, "zero only at μ = 0, σ = 1")],
        mistake="kl-formula", group="kl"),
    Choice(
        "generate",
        "How do you generate a new image with a trained VAE?",
        right=[Opt("Sample $\\mathbf{z} \\sim \\mathcal{N}(\\mathbf{0}, \\mathbf{I})$ and decode it.",
                   "The prior matching term made the codes of the training data look like samples from p(z).")],
        wrong=[Opt("Encode a training image and decode its code, which gives a new image.", mistake="generate-by-reconstruct"),
               Opt("Run the encoder on random noise and take its output as the image.", "The encoder maps images to codes; images come out of the decoder."),
               Opt("Decode $\\mathbf{z} = \\mathbf{0}$ every time.",
                   "That gives one image, the same each time; new images need random z ~ p(z)."),
               Opt("Average the training images.", "That gives one blurry image; the decoder makes new ones from z.")],
        group="ae"),
    TrueFalse(
        "tf-no-kl",
        "Even without the prior matching term, decoding $\\mathbf{z} \\sim \\mathcal{N}(\\mathbf{0}, \\mathbf{I})$ gives "
        "realistic images, since the decoder is trained on the encoder's codes.",
        False,
        "Nothing would tie the codes to the prior: the encoder could spread its μ's anywhere and shrink σ, "
        "like a plain autoencoder, and most of N(0, I) would fall where the decoder never trained.",
        [(1, "without KL, codes need not follow p(z) (plain autoencoder)"), (1, "samples from p(z) land in untrained regions")],
        mistake="vae-is-ae", group="ae2"),
    TrueFalse(
        "tf-mse",
        "With a Gaussian decoder $p_\\theta(\\mathbf{x}|\\mathbf{z}) = \\mathcal{N}(\\hat{\\mathbf{x}}, \\mathbf{I})$, the "
        "reconstruction term is, up to a constant, $-(1/2)\\|\\mathbf{x} - \\hat{\\mathbf{x}}\\|^2$.",
        True,
        "log N(x; x̂, I) = −½‖x − x̂‖² − (d/2) log 2π: maximizing it is minimizing the squared error.",
        [(1, "log of a Gaussian density: −½‖x − x̂‖² + const"), (1, "so the reconstruction term is an MSE")],
        group="terms2"),
    Choice(
        "log-var",
        "VAE encoders usually output $\\log \\sigma^2$ for each latent dimension rather than $\\sigma$. Why?",
        right=[Opt("Any real output is allowed: $\\sigma = \\exp((1/2) \\log \\sigma^2)$ is always positive.",
                   "A standard deviation must be > 0; a linear output layer can give any real number, and exp maps it "
                   "to a positive σ (log σ² also appears directly in the KL term).")],
        wrong=[Opt("It makes the prior matching term zero.",
                   "The KL term is zero only when μ = 0 and σ = 1, whatever the encoder outputs; log σ² just lets σ be any positive number."),
               Opt("It lets $\\sigma$ take negative values, which the prior $\\mathcal{N}(0, 1)$ needs for half of its samples.", "σ = exp(½ log σ²) is always positive; that is the point."),
               Opt("It makes sampling faster.", mistake="reparam-speed"),
               Opt("It removes the need for the reparameterization trick, because $\\log \\sigma^2$ can be differentiated directly.",
                   "z = μ + σ ε is still needed; log σ² only parameterizes σ.")],
        group="logvar"),
    Short(
        "why-reparam-short",
        "Why does a VAE need the reparameterization trick? Say what $\\partial \\mathbf{z}/\\partial \\boldsymbol{\\mu}$ "
        "and $\\partial \\mathbf{z}/\\partial \\boldsymbol{\\sigma}$ are with it.",
        "Sampling z ~ N(μ, σ²) is not a differentiable operation, so no gradient would reach μ, σ and the encoder. "
        "Writing z = μ + σ ⊙ ε with ε ~ N(0, I) moves the randomness into ε: ∂z/∂μ = 1 and ∂z/∂σ = ε, and "
        "backpropagation reaches the encoder.",
        [(1, "sampling has no gradient w.r.t. μ, σ"), (1, "z = μ + σ ε with ε ~ N(0, I)"),
         (1, "∂z/∂μ = 1, ∂z/∂σ = ε")],
        difficulties=("medium", "hard"), group="reparam"),
    Short(
        "two-terms-short",
        f"Name the two terms of the ELBO {ELBO} as the deck does, and say what each makes the VAE do.",
        "The reconstruction term E_q[log p(x|z)] makes the decoder rebuild x from its code. The prior matching term "
        "−D_KL(q_φ(z|x) ‖ p(z)) keeps the encoder's distribution close to the prior N(0, I), so that codes sampled "
        "from the prior decode to realistic data.",
        [(1, "reconstruction term: decode z back to x"), (1, "prior matching term: q_φ(z|x) close to p(z)"),
         (1, "which makes sampling z ~ p(z) work for generation")],
        difficulties=("medium", "hard"), group="terms"),
]

POOL = Pool("vae", ITEMS)
VaeConcepts = concept_family("vae-concepts", "VAEs: the ideas", POOL)
