"""Misconceptions about attention and transformers (deck: NLP — Transformers; 'will be useful in
Transformers' on layer norm; Vaswani et al. 2017, 'Attention Is All You Need')."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "scale-for-speed": Mistake(
        "thinks the 1/√d_k scaling is there to make attention cheaper to compute",
        "Dividing by √d_k costs the same as not dividing. It is there because, for entries of mean 0 and "
        "variance 1, q·k has variance d_k: large dot products push the softmax into a region where one "
        "weight is almost 1 and the gradients are tiny."),
    "scale-changes-ranking": Mistake(
        "thinks scaling by √d_k changes which key a query attends to most",
        "Dividing every score of a row by the same positive number keeps their order, so the largest "
        "weight stays on the same key; only how peaked the softmax is changes."),
    "variance-grows-sqrt": Mistake(
        "thinks the variance of q·k grows like √d_k (so the standard deviation stays 1)",
        "q·k is a sum of d_k independent products q_i k_i, each of variance 1: the variances add, so "
        "Var(q·k) = d_k and the standard deviation is √d_k. Dividing by √d_k brings the variance back to 1."),
    "mask-sees-future": Mistake(
        "thinks a causal mask lets a position attend to the positions after it",
        "A causal (look-ahead) mask hides the future: position i may attend only to positions 1 … i, so a "
        "decoder trained on whole sequences at once cannot peek at the tokens it must predict."),
    "mask-excludes-self": Mistake(
        "thinks a causal mask also hides the position itself",
        "The mask sets the scores of j > i to −∞; the diagonal j = i stays, so each position attends to "
        "itself and to everything before it."),
    "mask-after-softmax": Mistake(
        "thinks the mask is applied by zeroing weights after the softmax",
        "The masked scores are set to −∞ before the softmax, so their weights are exactly 0 and the "
        "remaining weights of the row still sum to 1. Zeroing after the softmax would leave rows that "
        "do not sum to 1."),
    "attention-knows-order": Mistake(
        "thinks self-attention knows the order of the tokens without positional encodings",
        "Without positional information, self-attention is permutation equivariant: permuting the input "
        "tokens only permutes the outputs. 'dog bites man' and 'man bites dog' give the same set of "
        "outputs, so the order must be added, with positional encodings."),
    "batchnorm-in-block": Mistake(
        "thinks a transformer block normalizes with batch normalization",
        "Transformers use layer normalization: the deck's layer norm 'Same behavior at train and test!' "
        "… 'will be useful in Transformers'. It normalizes each token over its own features, whatever "
        "the batch size or sequence length."),
    "ffn-mixes-positions": Mistake(
        "thinks the feed-forward layer of a block mixes information across positions",
        "The feed-forward network is position-wise: the same two-layer MLP is applied to each token "
        "separately. Only attention moves information between positions."),
    "heads-add-params": Mistake(
        "thinks more heads multiply the number of parameters",
        "With h heads of size $d_{\\mathrm{model}}/h$ each, the per-head projections together are still "
        "$d_{\\mathrm{model}} \\times d_{\\mathrm{model}}$: multi-head attention has as many parameters as one head of size "
        "$d_{\\mathrm{model}}$."),
    "heads-same-thing": Mistake(
        "thinks the heads of multi-head attention all compute the same attention",
        "Each head has its own learned W_Q, W_K, W_V, so each can attend to different positions and "
        "relations (say, the previous word in one head, the subject in another); their outputs are "
        "concatenated and mixed by W_O."),
    "residual-regularizes": Mistake(
        "thinks residual connections are a regularizer like dropout",
        "A residual connection adds the input back: y = x + F(x), so ∂y/∂x = 1 + F′(x). It gives the "
        "gradient a direct path through a deep stack; it does not add noise or a penalty."),
    "attention-linear-cost": Mistake(
        "thinks self-attention costs time linear in the sequence length",
        "Every query is compared with every key: a sequence of T tokens gives a T × T matrix of scores, "
        "so the cost grows with T²."),
    "weights-unnormalized": Mistake(
        "thinks the attention weights of a row need not sum to 1",
        "The weights are a softmax over the keys, so each row is positive and sums to 1: each output is a "
        "weighted average of the value vectors."),
}
