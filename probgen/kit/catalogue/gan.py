"""Misconceptions about generative adversarial networks (deck: Generative Models — VAEs, GANs,
Diffusion, l. 32–50; Goodfellow et al., *Generative Adversarial Nets*, 2014)."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "minimax-strong-early": Mistake(
        "thinks the minimax generator loss log(1 − D(G(z))) gives a strong gradient when D rejects the fakes",
        "With D = σ(a), ∂ log(1 − D)/∂a = −D: when D(G(z)) ≈ 0, early in training, the gradient is about 0 "
        "(the loss saturates). The non-saturating loss −log D(G(z)) has ∂/∂a = −(1 − D) ≈ −1 there."),
    "ns-different-goal": Mistake(
        "thinks the non-saturating loss trains the generator towards a different goal",
        "Both losses are smallest where D(G(z)) is large: both push the generator to make D call its samples "
        "real. Only the size of the gradient differs, strongest where the generator is worst for −log D."),
    "forgets-sigmoid": Mistake(
        "differentiates with respect to D instead of the discriminator's logit",
        "The gradient reaches the generator through D = σ(a), whose derivative is D(1 − D): the 1/D or "
        "1/(1 − D) of the derivative with respect to D is multiplied by it."),
    "mode-collapse-is-divergence": Mistake(
        "confuses mode collapse with training diverging or the loss becoming NaN",
        "In mode collapse training runs and the samples can look sharp, but the generator maps many z to the "
        "same few outputs: it covers one or a few modes of the data and ignores the rest."),
    "mode-collapse-blur": Mistake(
        "confuses mode collapse with blurry samples",
        "Blurry averages are typical of pixel-wise reconstruction losses (autoencoders, VAEs); mode collapse "
        "gives sharp samples with too little variety."),
    "g-sees-data": Mistake(
        "thinks the generator is trained by comparing its samples with training images",
        "The generator never sees a training image: its only signal is the gradient of the discriminator's "
        "verdict on its samples."),
    "gan-cooperative": Mistake(
        "thinks the generator and the discriminator minimize the same loss together",
        "It is a two-player game: the discriminator maximizes the value function (tell real from fake), the "
        "generator minimizes it (fool the discriminator), in alternating steps."),
    "gan-autoencoder": Mistake(
        "confuses the GAN generator with an autoencoder's decoder that reconstructs its input",
        "The generator maps random noise z ~ p(z) to a sample; there is no encoder and no input image to "
        "reconstruct."),
    "d-zero-loss-good": Mistake(
        "thinks a discriminator loss near zero means the generator is doing well",
        "A near-zero discriminator loss means it tells real from fake perfectly: the generator is losing, and "
        "with the minimax loss its gradient vanishes."),
    "optimal-d-is-data": Mistake(
        "thinks the optimal discriminator outputs p_data(x) alone",
        "For a fixed generator, maximizing p_data log D + p_g log(1 − D) at each x gives D*(x) = "
        "p_data(x)/(p_data(x) + p_g(x)): it compares the two densities."),
    "gan-likelihood": Mistake(
        "thinks a GAN gives an explicit likelihood p(x) for an image",
        "A GAN only samples: the generator defines p_g implicitly, through G(z), with no formula for p(x) and no "
        "ELBO, unlike a VAE."),
}
