"""Transformers, the ideas: why attention scales by √d_k (with a drawn d_k), what a causal mask lets a
row attend to (with a drawn length and row), the parts of a transformer block, why positional
encodings (attention is permutation equivariant without them), multi-head attention.
A pool of choice, select-all, true/false-with-justification and short items (probgen.kit.concepts)."""

from __future__ import annotations

from typing import Any

from ..kit.concept_family import concept_family
from ..kit.concepts import Choice, Item, Multi, Opt, Pool, Short, TrueFalse
from ..kit.heatmap_item import AttentionHeatmap

ATT = r"$\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(QK^\top/\sqrt{d_k}\right)V$"
D_KS = (16, 25, 36, 49, 64, 100, 144)


def _n(x: float) -> str:
    return f"${x:g}$"


class ScaleVariance(Item):
    """The variance of q·k (or q·k/√d_k) for a drawn d_k: one right number among four."""

    id = "sqrt-dk-variance"
    group = "scale"
    difficulties = ("easy", "medium", "hard")

    def _choice(self, d: int, scaled: bool) -> Choice:
        r = d ** 0.5
        asked = r"q \cdot k / \sqrt{d_k}" if scaled else r"q \cdot k"
        prompt = (f"In {ATT}, take one query $q$ and one key $k$ of dimension $d_k = {d}$ whose entries are "
                  f"independent, with mean 0 and variance 1. What is the variance of ${asked}$?")
        if scaled:
            right = [Opt(_n(1), f"Var(q·k) = d_k = {d}; dividing by √d_k = {r:g} divides the variance by d_k: {d}/{d} = 1.")]
            wrong = [Opt(_n(d), f"{d} is the variance before scaling; dividing by √d_k divides the variance by "
                                 f"(√d_k)² = {d}."),
                     Opt(_n(r), f"Dividing by √d_k divides the standard deviation √{d} = {r:g} by {r:g}, "
                                 "so the variance is 1, not √d_k."),
                     Opt(f"$1/{r:g}$", "That treats the scaled variance as 1/√d_k: but (1/√d_k)² · d_k = 1.",
                         mistake="variance-grows-sqrt"),
                     Opt(f"$1/{d}$", f"That divides the variance d_k by d_k twice; (1/√d_k)² · {d} = 1.")]
        else:
            right = [Opt(_n(d), f"q·k = Σ q_i k_i, a sum of {d} independent terms of variance 1 each: the variances add, "
                                 f"Var(q·k) = d_k = {d}.")]
            wrong = [Opt(_n(1), "Each product q_i k_i has variance 1, but there are d_k of them and their "
                                 "variances add: the variance is d_k, which is why attention divides by √d_k."),
                     Opt(_n(r), f"√d_k = {r:g} is the standard deviation of q·k, not its variance.",
                         mistake="variance-grows-sqrt"),
                     Opt(_n(d * d), f"The variances of the {d} independent terms add to d_k = {d}; nothing squares d_k."),
                     Opt(_n(2 * d), f"Each of the {d} products q_i k_i has variance $E[q_i^2]E[k_i^2]$ = 1, not 2.")]
        return Choice(self.id, prompt, right=right, wrong=wrong)

    def draw(self, draw) -> dict[str, Any]:
        d, scaled = draw.choice(D_KS), draw.choice((False, True))
        return {"d_k": d, "scaled": scaled, **self._choice(d, scaled).draw(draw)}

    def build(self, key, inst, mistakes):
        return self._choice(inst["d_k"], inst["scaled"]).build(key, inst, mistakes)


def _set(lo: int, hi: int) -> str:
    return "$\\{" + ", ".join(str(j) for j in range(lo, hi + 1)) + "\\}$"


class CausalRow(Item):
    """Which positions row i of a causally masked attention matrix attends to (drawn T and i)."""

    id = "causal-row"
    group = "mask"
    difficulties = ("easy", "medium", "hard")

    def _choice(self, t: int, i: int) -> Choice:
        prompt = (f"A decoder's self-attention over a sequence of $T = {t}$ tokens (positions $1, \\dots, {t}$) "
                  "uses a causal mask: the score of query $i$ and key $j$ is set to $-\\infty$ for $j > i$ "
                  f"before the softmax. Which positions get a nonzero attention weight in row $i = {i}$?")
        right = [Opt(_set(1, i), f"Row {i} keeps the scores of j ≤ {i}; $e^{{-\\infty}} = 0$ removes j > {i}, and every "
                                  "kept weight is positive.")]
        wrong = [Opt(_set(i, t), "Those are the positions the mask hides (except i itself): the future.",
                     mistake="mask-sees-future"),
                 Opt(_set(i, i), f"Only j > {i} is masked; the earlier position(s) {', '.join(str(j) for j in range(1, i))} keep positive weights."),
                 Opt(_set(1, t), "That is attention without a mask; the causal mask removes the future positions."),
                 Opt(_set(1, i - 1), "The diagonal is not masked: position i attends to itself too.",
                     mistake="mask-excludes-self")]
        return Choice(self.id, prompt, right=right, wrong=wrong)

    def draw(self, draw) -> dict[str, Any]:
        t = draw.integer(4, 7)
        i = draw.integer(2, t - 1)
        return {"T": t, "i": i, **self._choice(t, i).draw(draw)}

    def build(self, key, inst, mistakes):
        return self._choice(inst["T"], inst["i"]).build(key, inst, mistakes)


ITEMS = [
    ScaleVariance(),
    AttentionHeatmap(),
    CausalRow(),
    Choice(
        "why-scale",
        f"Scaled dot-product attention is {ATT}. Why divide the scores by $\\sqrt{{d_k}}$?",
        right=[Opt("For entries of variance 1, $q \\cdot k$ has variance $d_k$; such large scores saturate the softmax.",
                   "Vaswani et al. 2017, §3.2.1: 'the dot products grow large in magnitude, pushing the softmax "
                   "function into regions where it has extremely small gradients'.")],
        wrong=[Opt("To make attention cheaper to compute for long sequences.", mistake="scale-for-speed"),
               Opt("To change which key each query attends to most, so that the nearby positions are favoured over distant ones.",
                   mistake="scale-changes-ranking"),
               Opt("To make each row of attention weights sum to 1.",
                   "The softmax already makes each row sum to 1, whatever the scale of the scores."),
               Opt("Because the standard deviation of $q \\cdot k$ grows like $d_k$, so dividing by $\\sqrt{d_k}$ halves its growth.",
                   "The variance grows like d_k, so the standard deviation grows like √d_k: that is what "
                   "dividing by √d_k undoes.")], group="scale"),
    TrueFalse(
        "tf-scale-argmax",
        "Dividing the scores of a row by $\\sqrt{d_k}$ can change which key gets the largest attention weight.",
        False,
        "Dividing all scores of a row by the same positive number keeps their order, and the softmax is "
        "increasing, so the largest weight stays on the same key; the scaling only makes the softmax less "
        "peaked (keeps it out of saturation).",
        [(1, "same positive factor for the whole row keeps the order of the scores"),
         (1, "softmax is monotone: the argmax is unchanged; only the peakedness changes")],
        mistake="scale-changes-ranking", group="scale"),
    TrueFalse(
        "tf-unscaled-peaked",
        "Without the $1/\\sqrt{d_k}$ factor, for large $d_k$ the softmax of a row of random scores tends to put "
        "almost all its weight on one key.",
        True,
        "Unscaled scores have standard deviation √d_k, so the gaps between them are large, and the softmax of "
        "widely spread scores is nearly one-hot; its gradients are then nearly 0. Scaling keeps the scores' "
        "standard deviation near 1.",
        [(1, "unscaled scores spread like √d_k (variance d_k)"),
         (1, "softmax of widely spread scores is nearly one-hot / saturates with tiny gradients")],
        mistake="variance-grows-sqrt", group="scale"),
    TrueFalse(
        "tf-mask-after",
        "A causal mask works just as well applied after the softmax: set the weights of the later positions to 0, "
        "and each row's remaining weights still sum to 1.",
        False,
        "The softmax normalized each row over all keys, the later ones included, so zeroing those weights leaves "
        "the row summing to less than 1. The mask sets the later scores to $-\\infty$ before the softmax: "
        "$e^{-\\infty} = 0$, and the softmax normalizes over the visible keys alone.",
        [(1, "after the softmax, zeroing weights leaves the row summing to less than 1"),
         (1, "the mask is $-\\infty$ on the scores before the softmax, which renormalizes over the visible keys")],
        mistake="mask-after-softmax", group="mask"),
    Short(
        "why-causal",
        "Why does a transformer decoder that is trained to predict the next token use a causal mask in "
        "its self-attention?",
        "Position i must predict token i + 1 from tokens 1 … i only. Training feeds the whole sequence at once, "
        "so without the mask position i could attend to the later tokens, including the one it must predict, "
        "and would learn to copy it; at generation time those tokens do not exist yet. The mask sets the "
        "scores of j > i to −∞.",
        [(1, "a position must not see later tokens / the token it predicts"),
         (1, "the whole sequence is processed in parallel in training, so the future is present"),
         (1, "mask: scores of j > i set to −∞ before the softmax")],
        difficulties=("medium", "hard"), group="mask-why"),
    Multi(
        "block-parts",
        "Which of these are parts of a standard transformer encoder block?",
        right=[Opt("multi-head self-attention", "The block's first sub-layer: every token attends to every token."),
               Opt("a position-wise feed-forward network", "The second sub-layer: the same two-layer MLP on every token."),
               Opt("residual connections around each sub-layer", "x + Sublayer(x): a direct path for the gradient."),
               Opt("layer normalization", "LayerNorm(x + Sublayer(x)): the deck's layer norm, 'useful in Transformers'.")],
        wrong=[Opt("batch normalization", mistake="batchnorm-in-block"),
               Opt("a recurrent connection from one time step to the next",
                   "A transformer has no recurrence: attention reaches every position in one step, which is why "
                   "the positions are processed in parallel."),
               Opt("max pooling over the sequence",
                   "The block keeps one vector per token (T in, T out); pooling belongs to CNNs and "
                   "classification heads.")],
        options=4, n_right=(2, 3), group="block"),
    Choice(
        "ffn-role",
        "In a transformer block, what does the feed-forward sub-layer do?",
        right=[Opt("The same two-layer MLP to each position separately.",
                   "Vaswani et al. 2017, §3.3: 'applied to each position separately and identically'.")],
        wrong=[Opt("It mixes information between the positions, like attention does.", mistake="ffn-mixes-positions"),
               Opt("It computes the attention weights from the queries and keys.",
                   "The weights come from softmax(QKᵀ/√d_k) in the attention sub-layer, not from the MLP."),
               Opt("It has separate weights for each position of the sequence, learned per position.",
                   "The same weights are shared by every position; that is what lets the block take any length."),
               Opt("It adds the positional encodings to the token embeddings.",
                   "Positional encodings are added once, to the input embeddings, before the first block.")],
        group="block"),
    Choice(
        "residual-role",
        "Each sub-layer of a transformer block is wrapped as $x + \\mathrm{Sublayer}(x)$. What is the residual "
        "connection for?",
        right=[Opt("A direct path for the gradient: $\\partial y/\\partial x = 1 + \\mathrm{Sublayer}'(x)$.",
                   "The identity term 1 carries the gradient past every block, as in ResNets.")],
        wrong=[Opt("It is a regularizer that adds noise to each token's representation, like dropout.", mistake="residual-regularizes"),
               Opt("It normalizes each token to mean 0 and variance 1.",
                   "That is layer normalization, the other half of 'Add & Norm'."),
               Opt("It tells attention the order of the tokens.", mistake="attention-knows-order"),
               Opt("It lets the block skip the softmax when the scores are all small, which saves computation.",
                   "The sub-layer is always computed; the residual adds its input to its output.")],
        group="residual"),
    Choice(
        "why-positional",
        "Why does a transformer add positional encodings to the token embeddings?",
        right=[Opt("Self-attention without a mask is permutation equivariant: it cannot tell word order.",
                   "Attention weights depend only on the contents of q and k; nothing in them says where a token is.")],
        wrong=[Opt("Attention already knows the order of the tokens; the encodings only speed up training.",
                   mistake="attention-knows-order"),
               Opt("To make the embeddings of different words orthogonal, so that attention can tell them apart.",
                   "They encode where a token is, not which word it is; they are added to every embedding alike."),
               Opt("To implement the causal mask.",
                   "The mask is a −∞ pattern on the scores; positional encodings are vectors added to the inputs."),
               Opt("To normalize the embeddings before attention.",
                   "Normalization is LayerNorm's job; positional encodings add information, they do not rescale.")],
        group="pos"),
    TrueFalse(
        "tf-permutation",
        "Without positional encodings, permuting the input tokens of an unmasked self-attention layer permutes its outputs in "
        "the same way and changes nothing else.",
        True,
        "Each output is softmax(q_i Kᵀ/√d_k)V: a function of token i's query and the set of keys and values, "
        "which a permutation leaves unchanged. So self-attention is permutation equivariant, and word order "
        "must come from positional encodings.",
        [(1, "output i depends on q_i and on the set of (k, v) pairs, not their order"),
         (1, "so the outputs are permuted the same way: order needs positional encodings")],
        mistake="attention-knows-order", group="pos"),
    Choice(
        "multihead-why",
        "Why does a transformer use several attention heads instead of one?",
        right=[Opt("Each head has its own $W_Q, W_K, W_V$, so heads can attend to different relations at once.",
                   "Vaswani et al. 2017, §3.2.2: 'attend to information from different representation subspaces'.")],
        wrong=[Opt("The heads all compute the same attention, and their outputs are averaged to reduce the noise of a single head.",
                   mistake="heads-same-thing"),
               Opt("Each head handles a different part of the sequence, so long sequences are split among heads.",
                   "Every head attends over the whole sequence; heads differ in their projections, not their span."),
               Opt("More heads give more parameters, which is what makes the model larger.",
                   mistake="heads-add-params"),
               Opt("One head per layer of the network, so each layer can attend once.",
                   "Every layer has h heads of its own; the number of heads is unrelated to depth.")],
        group="heads"),
    TrueFalse(
        "tf-heads-params",
        "With $d_{\\text{model}} = 512$, multi-head attention with 8 heads of size 64 has 8 times as many "
        "parameters as with 1 head of size 512.",
        False,
        "The 8 per-head projections $W_Q^{(h)}$ (512 × 64 each) together form one 512 × 512 matrix, likewise W_K, W_V, "
        "and W_O is 512 × 512 either way: 4 · 512² weights (+ biases) for any h dividing 512, the same count.",
        [(1, "per-head size $d_{\\mathrm{model}}/h$, so h heads' projections stack to $d_{\\mathrm{model}} \\times d_{\\mathrm{model}}$"),
         (1, "W_O is $d_{\\mathrm{model}} \\times d_{\\mathrm{model}}$ in both cases: the count does not depend on h")],
        mistake="heads-add-params", group="heads"),
    Choice(
        "attention-cost",
        "How does the number of attention scores a self-attention layer computes grow with the sequence length $T$?",
        right=[Opt("Like $T^2$: each query meets each key.", "The score matrix QKᵀ is T × T.")],
        wrong=[Opt("Like $T$: one score per token.", mistake="attention-linear-cost"),
               Opt("Like $T \\log T$, as in sorting.", "Nothing is sorted: all T × T pairs are scored."),
               Opt("It does not depend on $T$ at all: it depends only on the width $d_k$.",
                   "d_k sets the cost of one score; the number of scores is T × T."),
               Opt("Like $T^3$: one factor of $T$ for each of $Q$, $K$ and $V$.",
                   "Q, K and V are each T × d; only QKᵀ is T × T, so T² scores.")], group="cost"),
    TrueFalse(
        "tf-weighted-average",
        "In self-attention, each output vector (before $W_O$) is a weighted average of the value vectors, "
        "with weights that are positive and sum to 1.",
        True,
        "Row i of softmax(QKᵀ/√d_k) is a softmax: positive entries summing to 1. Multiplying by V gives "
        "Σ_j a_ij v_j, a weighted average (convex combination) of the values.",
        [(1, "each row of weights is a softmax: positive, sums to 1"),
         (1, "output = Σ_j a_ij v_j, a weighted average of the values")],
        mistake="weights-unnormalized", group="cost"),
    Choice(
        "ln-in-transformer",
        "Why do transformers normalize with layer normalization rather than batch normalization?",
        right=[Opt("Layer norm normalizes each token over its own features, so it needs no batch statistics.",
                   "The deck on layer norm: 'Same behavior at train and test! … will be useful in Transformers'.")],
        wrong=[Opt("Transformers do use batch normalization after each sub-layer.", mistake="batchnorm-in-block"),
               Opt("Layer norm keeps running averages per position, which batch norm cannot.",
                   "Layer norm keeps no running averages: its μ and σ come from the token itself."),
               Opt("Layer norm averages each feature over the batch and the positions, which gives it more examples for sequences.",
                   "That describes batch norm; layer norm's μ, σ are N × 1, over one example's features."),
               Opt("Layer norm replaces the residual connections.",
                   "A block has both: x + Sublayer(x), then LayerNorm.")], group="block-norm"),
    Short(
        "why-scale-short",
        "Explain in one or two sentences why scaled dot-product attention divides $QK^\\top$ by $\\sqrt{d_k}$.",
        "If the entries of q and k have mean 0 and variance 1, q·k is a sum of d_k such products and has variance "
        "d_k. For large d_k the scores are large, the softmax becomes nearly one-hot and its gradients vanish; "
        "dividing by √d_k brings the variance back to 1.",
        [(1, "Var(q·k) = d_k (grows with the dimension)"),
         (1, "large scores saturate the softmax / tiny gradients"),
         (1, "dividing by √d_k restores variance 1")],
        difficulties=("medium", "hard"), group="scale"),
    Short(
        "why-positional-short",
        "Explain why a transformer encoder (self-attention, no mask) without positional encodings cannot tell 'dog bites man' from 'man bites dog'.",
        "Self-attention computes each output from its token's query and the set of keys and values, so it is "
        "permutation equivariant: the two sentences contain the same tokens, and each token gets the same output "
        "in both. Positional encodings added to the embeddings make the inputs, and so the outputs, depend on position.",
        [(1, "same tokens, only the order differs"),
         (1, "attention is permutation equivariant: outputs just permute"),
         (1, "positional encodings inject the position into the inputs")],
        difficulties=("medium", "hard"), group="pos"),
]

# the heatmap's 'Which weights add up to 1?' beside a true/false that states it
REVEALS = [("attention-heatmap", "tf-weighted-average"), ("attention-heatmap", "tf-mask-after")]
POOL = Pool("transformers", ITEMS, REVEALS)
TransformersConcepts = concept_family("transformers-concepts", "Transformers: the ideas", POOL)
