"""Misconceptions about backpropagation (deck: Fundamentals → Backpropagation: 'calculate
derivatives of loss and update parameters'; vanishing gradients, dead ReLUs, gradient shapes)."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "sigmoid-max-1": Mistake(
        "thinks the sigmoid's derivative can be as large as 1",
        "σ′(z) = σ(z)(1 − σ(z)) is largest at z = 0, where σ = 1/2: σ′(0) = 1/4."),
    "sigmoid-max-half": Mistake(
        "takes σ(0) = 1/2 for the largest value of σ′",
        "σ′(0) = σ(0)(1 − σ(0)) = (1/2)(1/2) = 1/4, not 1/2."),
    "vanish-additive": Mistake(
        "thinks the sigmoid factors add up along the layers instead of multiplying",
        "The chain rule multiplies local derivatives: n sigmoid layers contribute a product of n "
        "factors, each at most 1/4, so at most (1/4)ⁿ."),
    "relu-dead-recovers": Mistake(
        "thinks a dead ReLU recovers by itself through its gradient",
        "A ReLU whose input is negative for every example passes a zero gradient, so its incoming "
        "weights and bias get no update: nothing moves it back."),
    "relu-vanish-like-sigmoid": Mistake(
        "thinks ReLU shrinks gradients like a sigmoid",
        "For a positive input ReLU′ = 1: the gradient passes unchanged; sigmoid multiplies it by at most 1/4."),
    "shape-transposed": Mistake(
        "writes ∂L/∂W with the shape transposed (xδᵀ instead of δxᵀ)",
        "∂L/∂W must have W's shape: for z = Wx with W: m × n, δ = ∂L/∂z is m × 1 and x is n × 1, so "
        "∂L/∂W = δxᵀ is m × n."),
    "shape-vector": Mistake(
        "gives the gradient of a weight matrix the shape of a vector",
        "Every entry W_ij gets its own derivative δ_i x_j: the gradient is a matrix of W's shape."),
    "delta-is-output": Mistake(
        "takes δ to be the layer's output instead of the gradient of the loss at it",
        "δ = ∂L/∂z, the gradient of the loss with respect to the layer's pre-activation output z."),
    "zero-init-fine": Mistake(
        "thinks initializing all weights to zero is harmless",
        "With equal (zero) weights every hidden unit computes the same value and gets the same "
        "gradient, so they stay identical: the symmetry is never broken."),
    "bigger-weights-fix": Mistake(
        "thinks larger weights always cure vanishing gradients in sigmoid networks",
        "Large weights push pre-activations into the sigmoid's flat tails, where σ′ ≈ 0: the gradient "
        "vanishes even faster (or explodes through the weights)."),
}
