"""Misconceptions about batch, layer, instance and group normalization (deck: Fundamentals,
Regularization: Batch Norm, Layer Norm, Instance Normalization)."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "bn-test-batch-stats": Mistake(
        "thinks batch norm normalizes with the test batch's own mean and variance at test time",
        "The deck: the batch statistics 'Can't do at test time'. A test input may come alone, and a "
        "prediction must not depend on which other examples share its batch, so batch norm "
        "'Maintain[s] running average[s]' of μ and σ² during training and uses those at test time."),
    "bn-stats-learned": Mistake(
        "thinks the running mean and variance are learned by backpropagation",
        "The running averages are not parameters: each training step moves them towards the "
        "batch's μ and σ² (a moving average). Only γ and β are learned by gradient descent."),
    "running-last-batch": Mistake(
        "thinks the running average is simply the statistics of the last training batch",
        "A running (moving) average mixes the statistics of many batches, so one unusual batch "
        "does not decide the test-time normalization."),
    "gamma-beta-fixed": Mistake(
        "thinks γ and β are fixed constants (1 and 0)",
        "γ_j and β_j are learned, one per feature: y = γ x̂ + β lets the layer rescale and shift "
        "the normalized values, and even undo the normalization if that helps the loss."),
    "gamma-beta-are-stats": Mistake(
        "confuses γ and β with the running σ and μ",
        "γ and β are learned scale and shift applied after normalizing; the running averages of "
        "μ and σ² are statistics of the data, used only to normalize at test time."),
    "eps-role": Mistake(
        "confuses ε with a learned parameter or with γ, β",
        "ε is a small fixed constant in √(σ² + ε): it keeps the denominator away from zero when "
        "a feature's variance is (nearly) zero. It is not learned."),
    "gamma-beta-per-example": Mistake(
        "thinks γ and β have one value per example",
        "γ, β: 1 × D (or 1 × C × 1 × 1 for images): one scale and shift per feature or channel, "
        "shared by every example, in batch, layer and instance norm alike."),
    "ln-over-batch": Mistake(
        "thinks layer norm averages over the examples of the batch",
        "Layer norm averages over the features of one example: μ, σ: N × 1, one mean and "
        "variance per example. It is batch norm that averages over the batch (μ, σ: 1 × D)."),
    "bn-per-example": Mistake(
        "thinks batch norm computes one mean per example",
        "Batch norm computes one mean and variance per feature, over the N examples of the "
        "batch: μ, σ: 1 × D (1 × C × 1 × 1 for images)."),
    "ln-needs-running": Mistake(
        "thinks layer or instance norm needs running averages for test time",
        "Layer and instance norm normalize each example with its own statistics, which exist at "
        "test time too: 'Same behavior at train and test!' No running averages are needed."),
    "bn-same-train-test": Mistake(
        "thinks batch norm behaves the same at train and test time",
        "In training batch norm uses the batch's μ and σ² (and updates the running averages); at "
        "test time it uses the running averages. The outputs differ unless the two agree."),
    "bn-fine-rnn": Mistake(
        "thinks batch norm suits recurrent networks as well as layer norm",
        "In an RNN the statistics would have to be kept per time step, sequences have different "
        "lengths and batches are often small; layer norm needs no batch statistics at all: "
        "'Can be used in recurrent networks', 'will be useful in Transformers'."),
    "bn-batch1-ok": Mistake(
        "thinks batch norm trains normally with a batch of one example",
        "With N = 1 each feature's batch mean is the value itself, so x − μ = 0, x̂ = 0 and the "
        "layer outputs β whatever the input: the example's information is erased (PyTorch "
        "refuses such a batch in training mode)."),
    "eps-no-division": Mistake(
        "thinks a zero variance makes batch norm divide by zero",
        "The denominator is √(σ² + ε) with ε > 0, so it is never zero; with σ² = 0 the "
        "numerator x − μ is 0 as well and x̂ = 0."),
    "norm-is-regularizer-only": Mistake(
        "thinks normalization layers are there only to regularize, like dropout",
        "Normalization keeps each layer's inputs on a stable scale (mean 0, variance 1 before γ "
        "and β), which lets training use larger learning rates; any regularizing effect of batch "
        "norm's batch noise is a side effect."),
}
