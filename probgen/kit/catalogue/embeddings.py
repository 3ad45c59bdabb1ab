"""Misconceptions about word embeddings, cosine similarity, analogies and skip-gram (deck: NLP — Word
Embeddings; Mikolov et al. 2013, word2vec; Jurafsky & Martin, *Speech and Language Processing*, ch. 6)."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "dot-not-cosine": Mistake(
        "confuses cosine similarity with the dot product (longer vectors look more similar)",
        "cos(u, v) = u·v / (‖u‖ ‖v‖) divides out both lengths: it measures the angle only. A long vector "
        "can have a large dot product with q and still point in a quite different direction."),
    "cosine-length": Mistake(
        "thinks cosine similarity depends on the vectors' lengths",
        "Scaling a vector by any positive number leaves its direction, and so every cosine with it, "
        "unchanged; a negative factor flips the sign."),
    "cosine-orthogonal-opposite": Mistake(
        "thinks orthogonal vectors are the most dissimilar (cosine −1)",
        "Orthogonal vectors have cosine 0 (unrelated directions); cosine −1 means exactly opposite directions."),
    "analogy-reversed": Mistake(
        "subtracts the analogy's offset the wrong way round (B − A + C)",
        "The target is A − B + C: the offset A − B (the relation from B to A) is added to C. "
        "B − A + C applies the relation backwards and lands on the other side of C."),
    "analogy-no-c": Mistake(
        "forgets to add C and looks for the offset A − B alone",
        "The offset A − B is the relation; the answer is the word whose vector is near C + (A − B), "
        "the relation applied to C."),
    "skipgram-is-cbow": Mistake(
        "confuses skip-gram with CBOW (predicting the center word from its context)",
        "Skip-gram predicts each context word from the center word; CBOW does the reverse, predicting "
        "the center word from the (averaged) context."),
    "skipgram-next-only": Mistake(
        "thinks skip-gram predicts only the next word",
        "The context is every word within the window on both sides of the center: m before and m after."),
    "skipgram-includes-center": Mistake(
        "thinks the center word is one of its own context words",
        "The pairs are (center, w) for the other words of the window; predicting the center from itself "
        "would teach nothing."),
    "similar-means-synonym": Mistake(
        "thinks a high cosine similarity means the words are synonyms",
        "Embeddings learned from contexts put words used in similar contexts close together; antonyms "
        "such as 'hot' and 'cold' share contexts and often have high cosine similarity."),
    "embeddings-handmade": Mistake(
        "thinks word vectors are assigned by hand or from a dictionary",
        "word2vec learns them from raw text: the vectors are the parameters that make the center word "
        "predict its context words well."),
}
