"""Misconceptions about diffusion models (DDPM: Ho, Jain & Abbeel, 2020; the ELBO view as in Luo,
*Understanding Diffusion Models: A Unified Perspective*, 2022). The deck names the topic in its
outline ("Generative Models VAEs, GANs, Diffusion", l. 32–50); its VAE words (prior matching and
reconstruction terms, l. 274) are the ones the ELBO view of diffusion reuses."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "alphabar-sum": Mistake(
        "thinks the signal kept after t steps is 1 − (β₁ + … + β_t)",
        "Each step multiplies the signal's variance share by α_s = 1 − β_s, so ᾱₜ = (1 − β₁)(1 − β₂)⋯(1 − β_t), a product, "
        "not 1 minus a sum."),
    "snr-constant": Mistake(
        "thinks the variance-preserving scaling keeps the signal-to-noise ratio fixed",
        "The scaling keeps the total variance at 1, not its split: each step multiplies the signal's share ᾱ by "
        "α_t < 1 and gives the rest to the noise, so ᾱₜ/(1 − ᾱₜ) falls."),
    "alphabar-betas": Mistake(
        "multiplies the betas instead of the alphas",
        "β_s is the noise a step adds; the signal share kept is α_s = 1 − β_s, and ᾱₜ = α₁α₂⋯α_t."),
    "alphabar-last": Mistake(
        "uses only the last step's α_t for the whole forward process",
        "x_t depends on x₀ through every step: ᾱₜ = α₁α₂⋯α_t, not α_t alone."),
    "variance-as-std": Mistake(
        "mixes up variances and standard deviations in x_t = √ᾱₜ x₀ + √(1 − ᾱₜ) ε",
        "q(x_t | x₀) = N(√ᾱₜ x₀, (1 − ᾱₜ) I): the mean is scaled by the square root √ᾱₜ and the variance is "
        "1 − ᾱₜ (the noise's standard deviation is √(1 − ᾱₜ))."),
    "mean-not-shrunk": Mistake(
        "thinks the forward process only adds noise and leaves the mean at x₀",
        "Each step scales xₜ₋₁ by √(1 − β_t) before adding noise, so the mean of x_t given x₀ is √ᾱₜ x₀, which "
        "shrinks towards 0; that is what keeps the variance bounded and makes x_T ≈ N(0, I)."),
    "forward-learned": Mistake(
        "thinks the forward (noising) process is learned",
        "The forward process q(x_t | xₜ₋₁) = N(√(1 − β_t) xₜ₋₁, β_t I) is fixed by the noise schedule; only "
        "the reverse process p_θ(xₜ₋₁ | x_t), the denoising network, has parameters."),
    "reverse-is-forward": Mistake(
        "confuses the reverse (generating) process with the forward (noising) process",
        "The forward process adds noise to data, step by step, with no parameters. The reverse process starts "
        "from noise x_T ~ N(0, I) and removes a little noise per step with the learned p_θ(xₜ₋₁ | x_t)."),
    "loss-x0-distance": Mistake(
        "thinks the denoising objective compares the noisy x_t with the clean x₀",
        "DDPM's simple objective is ‖ε − ε_θ(x_t, t)‖²: the network predicts the noise ε that was mixed into "
        "x_t = √ᾱₜ x₀ + √(1 − ᾱₜ) ε."),
    "train-by-sampling": Mistake(
        "thinks a training step runs the whole chain",
        "Training draws one t per example and forms x_t in closed form from x₀ and ε: one network call per "
        "example. Only sampling runs the T reverse steps."),
    "latent-smaller": Mistake(
        "thinks a diffusion model's latents are smaller than the data, as in a VAE",
        "The latents x₁, …, x_T of a diffusion model have the same dimension as x₀; the forward process only "
        "adds noise."),
    "one-step-sampling": Mistake(
        "thinks a trained diffusion model generates a sample in one network pass",
        "Sampling runs the reverse process from x_T ~ N(0, I) down to x₀: T network evaluations (1000 in DDPM), "
        "which makes diffusion slow to sample compared with a GAN or a VAE decoder."),
    "schedule-is-lr": Mistake(
        "confuses the noise schedule β_t with a learning-rate schedule",
        "β₁, …, β_T set how much noise each forward step adds (DDPM: linear from 10⁻⁴ to 0.02); they have "
        "nothing to do with the optimizer's step size."),
    "elbo-upper": Mistake(
        "thinks the ELBO is an upper bound on log p(x)",
        "As for a VAE, log p(x) ≥ ELBO: the ELBO is the evidence lower bound, and maximizing it raises a lower "
        "bound on the likelihood."),
    "gan-adversary": Mistake(
        "thinks a diffusion model is trained against a discriminator",
        "Diffusion has no adversary: its objective is a regression of the noise, ‖ε − ε_θ(x_t, t)‖², derived "
        "from an ELBO, which is why its training is stable."),
    "t-unneeded": Mistake(
        "thinks the denoising network does not need to know the step t",
        "x_t holds noise of standard deviation √(1 − ᾱₜ), which depends on t; one network serves every step, so "
        "it takes t as an input (DDPM: a sinusoidal embedding of t)."),
}
