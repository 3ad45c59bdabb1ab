"""Misconceptions about variational autoencoders (deck l. 274: the ELBO's "prior matching term"
−D_KL(q_φ(z|x) ‖ p(z)) and "reconstruction term", encoder, decoder; Kingma & Welling, 2014)."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "sampling-no-grad": Mistake(
        "thinks no gradient can reach μ and σ through the sampled z",
        "Written as z = μ + σ ⊙ ε with ε ~ N(0, I), z is a differentiable function of μ and σ: ∂z/∂μ = 1, "
        "∂z/∂σ = ε. That is the point of the reparameterization trick."),
    "reparam-swapped": Mistake(
        "swaps the roles of μ and σ in z = μ + σ ε",
        "z = μ + σ ε: μ enters with coefficient 1 (∂z/∂μ = 1) and σ is multiplied by the noise (∂z/∂σ = ε)."),
    "reparam-speed": Mistake(
        "thinks the reparameterization trick is there to make sampling faster or deterministic",
        "Sampling costs the same and z stays random (ε is drawn); the trick moves the randomness into ε so "
        "that gradients flow through μ and σ into the encoder."),
    "elbo-terms-swapped": Mistake(
        "swaps the ELBO's reconstruction and prior matching terms",
        "The deck: E_q[log p(x|z)] is the reconstruction term (decode z back to x); −D_KL(q_φ(z|x) ‖ p(z)) is "
        "the prior matching term (keep the encoder's distribution near the prior)."),
    "vae-is-ae": Mistake(
        "thinks a VAE is an autoencoder with nothing added",
        "A VAE's encoder outputs a distribution q_φ(z|x) (μ and σ), z is sampled from it, and the prior matching "
        "term pulls q towards p(z) = N(0, I), so that decoding z ~ p(z) gives new data."),
    "generate-by-reconstruct": Mistake(
        "thinks new samples come from encoding and decoding training images",
        "Encoding then decoding reconstructs an existing image; a new image comes from z ~ p(z) = N(0, I) "
        "decoded by the decoder alone."),
    "kl-maximized": Mistake(
        "thinks training makes the KL divergence to the prior large",
        "The ELBO has −D_KL: maximizing it makes the KL small, keeping q_φ(z|x) close to the prior."),
    "kl-formula": Mistake(
        "misremembers the KL divergence between N(μ, σ²) and N(0, 1)",
        "D_KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − log σ²), which is 0 only at μ = 0, σ = 1."),
    "elbo-upper": Mistake(
        "thinks the ELBO is an upper bound on log p(x) or equal to it",
        "log p(x) = ELBO + D_KL(q(z|x) ‖ p(z|x)) ≥ ELBO: it is a lower bound (evidence lower bound), equal only "
        "when q matches the true posterior."),
}
