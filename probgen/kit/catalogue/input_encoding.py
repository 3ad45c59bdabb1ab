"""Misconceptions about encoding inputs (deck: Fundamentals — Input Processing, 'needs to be encoded':
ONE HOT ENCODING, BAG OF WORDS, EMBEDDINGS, DIRECT PIXEL VALUES)."""

from ..concepts import Mistake

MISCONCEPTIONS = {
    "onehot-similarity": Mistake(
        "thinks one-hot vectors of related words are closer than those of unrelated words",
        "Every one-hot vector has a single 1 in its own position: any two different words are orthogonal "
        "(cosine 0) and at the same distance √2. One-hot encodes identity, nothing about meaning."),
    "onehot-dim-small": Mistake(
        "thinks a one-hot vector is short (a few numbers per word)",
        "A one-hot vector has one entry per word of the vocabulary: its length is V, tens of thousands "
        "for real text, with a single 1 and V − 1 zeros."),
    "onehot-loses-order": Mistake(
        "confuses what one-hot encoding loses with what bag-of-words loses",
        "One-hot encodes each word on its own and a sequence of one-hot vectors keeps the order; it is "
        "bag-of-words, the sum of the one-hot vectors, that throws the order away."),
    "bow-keeps-order": Mistake(
        "thinks a bag-of-words vector keeps the word order",
        "A bag of words counts how often each vocabulary word occurs: 'the dog chased the cat' and 'the "
        "cat chased the dog' have the same counts and so the same vector."),
    "bow-loses-counts": Mistake(
        "thinks bag-of-words only records which words occur, not how often",
        "A bag-of-words vector holds the count of each word (the sum of the words' one-hot vectors), so "
        "repeated words count more; their sum is the sentence's length."),
    "embedding-fixed": Mistake(
        "thinks embeddings are fixed, hand-made or random vectors",
        "Embeddings are dense vectors of learned parameters (a V × d table, d ≪ V), trained with the rest "
        "of the network or by word2vec, so words used alike end up with similar vectors."),
    "embedding-sparse": Mistake(
        "thinks an embedding is a sparse vector like one-hot",
        "An embedding has d real-valued entries, all of them in use (dense), with d in the hundreds "
        "rather than the vocabulary size V."),
    "pixels-bias": Mistake(
        "thinks the biases make the pixel layer's parameter count explode",
        "A dense layer has one bias per hidden unit, n in all; the weights are (H · W · C) × n, one per "
        "pixel value and hidden unit, and they are what explodes."),
    "pixels-forget-channels": Mistake(
        "forgets the colour channels when counting pixel inputs",
        "A colour image has C = 3 values per pixel (red, green, blue): the flattened input has H · W · C "
        "entries, not H · W."),
    "fc-knows-neighbours": Mistake(
        "thinks a fully connected layer knows which pixels are neighbours",
        "A dense layer connects every input to every unit with its own weight; shuffle the pixels (and the "
        "weights' columns alike) and it computes the same thing. Nothing in it says which pixels are "
        "neighbours: CNNs build that in with small shared kernels."),
}
