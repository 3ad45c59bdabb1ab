"""Normalization, the ideas: why batch norm keeps running averages, what γ and β are for, a batch
of one, why layer norm suits RNNs and transformers, which norms behave the same at train and test.
A pool of choice, select-all, true/false-with-justification and short items (probgen.kit.concepts)."""

from __future__ import annotations

from ..kit.concept_family import concept_family
from ..kit.concepts import Choice, Multi, Opt, Pool, Short, TrueFalse

BN = r"$y_{i,j} = \gamma_j \hat{x}_{i,j} + \beta_j$"

ITEMS = [
    Choice(
        "bn-running-average",
        "During training, batch normalization keeps a running average of each feature's mean "
        r"$\mu_j$ and variance $\sigma_j^2$. Why?",
        right=[Opt("At test time an input may come alone, and its prediction must not depend on the rest of its batch.",
                   "This is the deck's 'Can't do at test time … Maintain running average'.")],
        wrong=[Opt("They are the parameters that gradient descent updates in place of $\\gamma$ and $\\beta$ once training is over.",
                   mistake="bn-stats-learned"),
               Opt("So that each test batch can be normalized with its own mean and variance and compared "
                   "with the training ones.", mistake="bn-test-batch-stats"),
               Opt("To save time in training: with the running averages the batch mean need not be computed.",
                   "In training batch norm still normalizes with the batch's own μ and σ²; the running "
                   "averages are only updated, for use at test time."),
               Opt("They hold the statistics of the last training batch, which is the best estimate "
                   "for the test data.", mistake="running-last-batch")], group="bn-test"),
    Choice(
        "gamma-beta",
        f"A batch-norm layer ends with {BN}. What are $\\gamma_j$ and $\\beta_j$ for?",
        right=[Opt("Learned scale and shift parameters, one per feature, which can even undo the normalization.",
                   "x̂ has mean 0 and variance about 1 over the batch; γ and β, learned by gradient "
                   "descent, restore the freedom the normalization took away.")],
        wrong=[Opt("They are fixed to $\\gamma_j = 1$, $\\beta_j = 0$ and only there for notation.",
                   mistake="gamma-beta-fixed"),
               Opt("They are the running standard deviation and mean of each feature, kept for use at test time.",
                   mistake="gamma-beta-are-stats"),
               Opt("They keep the denominator $\\sqrt{\\sigma_j^2 + \\varepsilon}$ from being zero.",
                   mistake="eps-role"),
               Opt("They are one scale and shift per example, learned for that example during training.",
                   mistake="gamma-beta-per-example")], group="gamma"),
    Choice(
        "affine-shape",
        r"Batch normalization for a fully-connected network normalizes $\mathbf{x}: N \times D$. "
        r"What is the shape of $\gamma$ and $\beta$?",
        right=[Opt("$1 \\times D$", "One learned scale and shift per feature, shared by all N examples.")],
        wrong=[Opt("$N \\times 1$", mistake="gamma-beta-per-example"),
               Opt("$N \\times D$", "That would be one parameter per entry of the batch; γ and β do not "
                   "depend on the example (and N changes from batch to batch)."),
               Opt("$1 \\times 1$", "A single scale for all features would not let each feature take its "
                   "own mean and spread: γ, β are 1 × D.")], group="shapes"),
    Choice(
        "ln-stat-shape",
        r"Layer normalization for a fully-connected network normalizes $\mathbf{x}: N \times D$. "
        r"What is the shape of its $\mu$ and $\sigma$?",
        right=[Opt("$N \\times 1$", "One mean and standard deviation per example, over its D features.")],
        wrong=[Opt("$1 \\times D$", mistake="ln-over-batch"),
               Opt("$N \\times D$", "A mean over a single entry would be the entry itself; layer norm "
                   "averages over the D features of each example."),
               Opt("$1 \\times 1$", "Layer norm does not pool all examples together; each example gets its "
                   "own μ and σ.")], group="shapes"),
    Choice(
        "batch-of-one",
        "A fully-connected network with batch normalization is trained with a batch size of 1. By the "
        r"deck's formulas ($\mu_j$ and $\sigma_j^2$ over the batch, $\varepsilon > 0$), what does a "
        "batch-norm layer output in training?",
        right=[Opt("$\\beta_j$ for every feature, whatever the input.",
                   "With N = 1, μⱼ = x₁ⱼ, so x − μ = 0 and x̂ = 0/√ε = 0, leaving y = γ·0 + β.")],
        wrong=[Opt("The input unchanged, since there is nothing to average.",
                   "μ_j equals the input itself, so the normalized value is 0, not the input."),
               Opt("Infinite values for every feature, because the variance of a single example is 0.", mistake="eps-no-division"),
               Opt("The same as with a large batch: the running averages are used instead.",
                   mistake="bn-batch1-ok")],
    ),
    Choice(
        "ln-sequences",
        "Why is layer normalization, not batch normalization, the norm of recurrent networks and transformers?",
        right=[Opt("It normalizes each example over its own features, so it needs no batch statistics.",
                   "The deck: 'Same behavior at train and test! Can be used in recurrent networks … will be "
                   "useful in Transformers'.")],
        wrong=[Opt("It averages each feature over the batch and the time steps, which gives it more examples for sequences.",
                   mistake="ln-over-batch"),
               Opt("It keeps one running average per time step, which batch norm cannot do for sequences of varying length.",
                   mistake="ln-needs-running"),
               Opt("Batch norm would work as well; layer norm is only cheaper to compute.",
                   mistake="bn-fine-rnn"),
               Opt("It removes the need for residual connections in deep transformers.",
                   "A transformer block has both: LayerNorm and the residual connections around attention "
                   "and the feed-forward layer do different jobs.")], group="ln"),
    Multi(
        "same-train-test",
        "Which of these normalizations behave the same at train and test time?",
        right=[Opt("layer normalization", "μ, σ: N × 1 from the example itself: 'Same behavior at train and test!'"),
               Opt("instance normalization", "μ, σ: N × C × 1 × 1, per example and channel: 'Same behavior at "
                   "train / test!'"),
               Opt("group normalization", "Each example's statistics over a group of channels: nothing "
                   "comes from other examples.")],
        wrong=[Opt("batch normalization", mistake="bn-same-train-test"),
               Opt("batch normalization, once its running averages have stopped changing",
                   "In training it still normalizes with each batch's own μ and σ², which differ from "
                   "the running averages it uses at test time.")],
        options=4, n_right=(1, 3), group="train-test"),
    Multi(
        "bn-test-time",
        "A trained network with batch normalization is evaluated on a test batch. Which statements are right?",
        right=[Opt("It normalizes with the running averages of $\\mu$ and $\\sigma^2$ kept in training.",
                   "Maintain running average, used at test time."),
               Opt("An example's output does not depend on the other examples in the test batch.",
                   "The running averages are fixed numbers at test time, so each example is normalized alone."),
               Opt("It applies the $\\gamma$ and $\\beta$ learned in training.",
                   "γ and β are parameters like the weights; they are used unchanged at test time.")],
        wrong=[Opt("It computes $\\mu$ and $\\sigma^2$ over the test batch.", mistake="bn-test-batch-stats"),
               Opt("It updates the running averages with the test batch.",
                   "Updating the statistics with test data would make predictions depend on what was "
                   "tested before; the running averages change only in training."),
               Opt("It skips $\\gamma$ and $\\beta$, which are only needed in training.",
                   mistake="gamma-beta-fixed")],
        options=4, n_right=(1, 3), group="bn-test"),
    Multi(
        "learned",
        "Which quantities of a batch-normalization layer are learned by gradient descent?",
        right=[Opt("$\\gamma_j$, one per feature", "γ_j, the scale, is a parameter: gradient descent updates it "
                   "like a weight (PyTorch's BatchNorm weight)."),
               Opt("$\\beta_j$, one per feature", "β_j, the shift, is a parameter: gradient descent updates it "
                   "like a bias (PyTorch's BatchNorm bias).")],
        wrong=[Opt("the running mean of $\\mu_j$", mistake="bn-stats-learned"),
               Opt("the running variance of $\\sigma_j^2$", mistake="bn-stats-learned"),
               Opt("$\\varepsilon$", mistake="eps-role"),
               Opt("the batch mean $\\mu_j$", "μ_j is computed from the batch in each forward pass, not learned.")],
        options=4, n_right=(1, 2), group="learned"),
    TrueFalse(
        "tf-test-batch",
        "At test time, batch normalization normalizes each test batch with that batch's own mean and variance.",
        False,
        "Batch statistics 'Can't do at test time': a test input may come alone and its prediction must "
        "not depend on its batch-mates. Batch norm uses the running averages of μ and σ² kept during training.",
        [(1, "test time uses the running averages of μ and σ² from training"),
         (1, "reason: a single input, or the output would depend on the other examples in the batch")],
        mistake="bn-test-batch-stats", group="bn-test"),
    TrueFalse(
        "tf-ln-batch-size",
        "Layer normalization gives the same output for an example whether it is normalized in a batch "
        "of 1 or in a batch of 64.",
        True,
        "Layer norm's μ and σ (N × 1) are computed over the features of that one example, so the "
        "other examples of the batch, and their number, play no part.",
        [(1, "μ and σ are computed over the example's own features (one per example, N × 1)"),
         (1, "so nothing depends on the other examples or the batch size")],
        mistake="ln-over-batch", group="ln"),
    TrueFalse(
        "tf-train-eval",
        "A batch-normalization layer gives the same output for the same input batch in training mode "
        "and in evaluation (test) mode.",
        False,
        "In training it normalizes with the batch's own μ and σ² (and updates the running averages); "
        "in evaluation it uses the running averages. The outputs differ unless these agree.",
        [(1, "training mode: the batch's mean and variance"),
         (1, "evaluation mode: the running averages, so the outputs differ")],
        mistake="bn-same-train-test", group="train-test"),
    TrueFalse(
        "tf-instance-running",
        "Instance normalization must keep running averages of its statistics to be used at test time.",
        False,
        "Instance norm computes μ, σ: N × C × 1 × 1, per example and channel, from the input itself, "
        "which is available at test time too: 'Same behavior at train / test!'",
        [(1, "statistics per example and channel, from the input itself"),
         (1, "available at test time, so no running averages; same behaviour at train and test")],
        mistake="ln-needs-running", group="train-test"),
    TrueFalse(
        "tf-mean-beta",
        "Without $\\beta$, every feature of a batch-norm layer's output would have mean 0 over the "
        "training batch, whatever $\\gamma$ is.",
        True,
        "x̂ᵢⱼ = (xᵢⱼ − μⱼ)/√(σⱼ² + ε) averages to 0 over the batch, and so does γⱼx̂ᵢⱼ; "
        "only βⱼ can move the mean. That freedom is why the layer learns β.",
        [(1, "x̂ has batch mean 0 since μ_j is the batch mean"),
         (1, "γ only scales, so the mean stays 0; β sets it")],
        mistake="gamma-beta-fixed", group="gamma"),
    TrueFalse(
        "tf-running-backprop",
        "Unlike $\\gamma$ and $\\beta$, the running mean and variance of batch normalization get no gradient: "
        "they are not updated by backpropagation.",
        True,
        "They are not parameters: each training step moves them towards the batch's μ and σ² as a "
        "moving average, with no gradient. Only γ and β are learned.",
        [(1, "running statistics are moving averages of batch statistics"),
         (1, "no gradient / not parameters; only γ and β are learned")],
        mistake="bn-stats-learned", group="learned"),
    Short(
        "why-running",
        "Why can batch normalization not normalize with batch statistics at test time, and what does "
        "it use instead?",
        "A test input may come alone (no batch to average over), and its prediction should not depend "
        "on which other examples share its batch. So during training batch norm keeps running averages "
        "of each feature's μ and σ² and normalizes with those at test time.",
        [(1, "a single input / the prediction would depend on the other examples"),
         (1, "running averages of μ and σ² kept during training"),
         (1, "used in place of the batch statistics at test time")],
        difficulties=("medium", "hard"), group="bn-test"),
    Short(
        "why-ln-rnn",
        "Why does layer normalization suit recurrent networks and transformers better than batch "
        "normalization?",
        "Layer norm normalizes each example (at each time step) over its own features, so it needs no "
        "statistics across the batch: it works with any batch size and sequence length and behaves the "
        "same at train and test. Batch norm would need statistics per time step and a large batch.",
        [(1, "layer norm: statistics over the features of one example"),
         (1, "no dependence on batch size or sequence length; same at train and test"),
         (1, "batch norm needs per-step batch statistics / running averages")],
        difficulties=("medium", "hard"), group="ln"),
    Short(
        "derive-mean-beta",
        "Show that, over a training batch, the batch-norm outputs $y_{i,j}$ of feature $j$ have mean $\\beta_j$.",
        r"$\frac{1}{N}\sum_i \hat{x}_{i,j} = \frac{\frac{1}{N}\sum_i x_{i,j} - \mu_j}{\sqrt{\sigma_j^2 + \varepsilon}} = "
        r"\frac{\mu_j - \mu_j}{\sqrt{\sigma_j^2 + \varepsilon}} = 0$, so $\frac{1}{N}\sum_i y_{i,j} = \gamma_j \cdot 0 + \beta_j = \beta_j$.",
        [(1, "mean of x̂ over the batch is 0 because μ_j is the batch mean"),
         (1, "mean of y = γ_j · 0 + β_j = β_j")],
        difficulties=("hard",), group="gamma"),
]

# 'batch normalization keeps a running average of each feature's mean and variance' beside 'the running
# statistics get no gradient'
REVEALS = [("tf-running-backprop", "bn-running-average")]
POOL = Pool("normalization", ITEMS, REVEALS)
NormalizationConcepts = concept_family("normalization-concepts", "Normalization: the ideas", POOL)
