"""Input encoding, the ideas: why one-hot is a poor representation (dimension V, all words orthogonal),
what bag-of-words loses (order: two drawn sentences with the same vector), why embeddings are dense and
learned, why raw pixels into a fully connected layer explode the parameter count (a drawn image size).
A pool of choice, select-all, true/false-with-justification and short items (probgen.kit.concepts)."""

from __future__ import annotations

from typing import Any

from ..kit.concept_family import concept_family
from ..kit.concepts import Choice, Item, Multi, Opt, Pool, Short, TrueFalse

VOCABS = (5_000, 10_000, 20_000, 30_000, 50_000)
WORD_PAIRS = (("cat", "kitten"), ("good", "great"), ("king", "queen"), ("car", "truck"), ("walk", "walked"))
# pairs of sentences with the same words, the same counts, and a different meaning
SAME_BAG = (
    ("the dog chased the cat", "the cat chased the dog"),
    ("alice gave bob a book", "bob gave alice a book"),
    ("the movie was not good it was bad", "the movie was not bad it was good"),
    ("man bites dog", "dog bites man"),
    ("we train before we test", "we test before we train"),
    ("only she said she loved him", "she said only she loved him"),
)
IMAGES = ((28, 28, 1), (32, 32, 3), (64, 64, 3), (96, 96, 3), (128, 128, 3), (224, 224, 3))
HIDDEN = (100, 256, 500, 1000)


def _int(n: int) -> str:
    return f"${n:,}$".replace(",", "{,}")


class OneHotCosine(Item):
    """Cosine similarity of the one-hot vectors of two related words (drawn V and words)."""

    id = "onehot-cosine"
    group = "onehot"

    def _choice(self, v: int, a: str, b: str) -> Choice:
        prompt = (f"A vocabulary of $V = {v:,}$ words is one-hot encoded. What is the cosine similarity of the "
                  f"one-hot vectors of '{a}' and '{b}'?").replace(",", "{,}", 1)
        return Choice(self.id, prompt,
                      right=[Opt("$0$", f"The two vectors have their single 1 in different positions, so their dot "
                                        f"product is 0: orthogonal, however related '{a}' and '{b}' are.")],
                      wrong=[Opt("$1$", "Cosine 1 means the same direction: only a word with itself."),
                             Opt("a value near 1, since the words are related", mistake="onehot-similarity"),
                             Opt(f"$1/{v}$".replace(",", ""), "The dot product of the two vectors is exactly 0; "
                                 "V sets their length, not their overlap."),
                             Opt("$-1$", "One-hot entries are 0 or 1, never negative: the cosine cannot be −1.")])

    def draw(self, draw) -> dict[str, Any]:
        v, (a, b) = draw.choice(VOCABS), draw.choice(WORD_PAIRS)
        return {"V": v, "words": [a, b], **self._choice(v, a, b).draw(draw)}

    def build(self, key, inst, mistakes):
        return self._choice(inst["V"], *inst["words"]).build(key, inst, mistakes)


class OneHotSize(Item):
    """Length of a one-hot vector and of a bag-of-words vector for a drawn V."""

    id = "onehot-size"
    group = "size"

    def _choice(self, v: int, bow: bool) -> Choice:
        what = "a bag-of-words vector of a 12-word sentence" if bow else "the one-hot vector of one word"
        prompt = f"A vocabulary has $V = {v:,}$ words. How many entries does {what} have?".replace(",", "{,}", 1)
        right = (f"One entry per vocabulary word: V = {v:,}, whatever the sentence's length." if bow else
                 f"One entry per vocabulary word: V = {v:,}, a single 1 and V − 1 zeros.")
        return Choice(self.id, prompt,
                      right=[Opt(_int(v), right)],
                      wrong=[Opt("$12$" if bow else "$1$",
                                 "The count of words in the sentence is the sum of the entries, not their number."
                                 if bow else "The word's index is one number, but the one-hot vector spells it out "
                                 "as V entries.", mistake="onehot-dim-small" if not bow else None),
                             Opt(_int(12 * v) if bow else _int(v * v),
                                 "That would be a V-vector per word (or per word pair); bag-of-words adds the words' "
                                 "one-hot vectors into one V-vector." if bow else
                                 "V × V would be a matrix; one word gets one V-vector."),
                             Opt(_int(v - 1), "V entries, one per word; V − 1 of them are 0."),
                             Opt("$300$", "300 is a typical embedding size d: dense, learned vectors are short; "
                                          "one-hot and bag-of-words vectors are V long.", mistake="embedding-sparse")])

    def draw(self, draw) -> dict[str, Any]:
        v, bow = draw.choice(VOCABS), draw.choice((False, True))
        return {"V": v, "bow": bow, **self._choice(v, bow).draw(draw)}

    def build(self, key, inst, mistakes):
        return self._choice(inst["V"], inst["bow"]).build(key, inst, mistakes)


class SameBag(Item):
    """Two drawn sentences with the same bag-of-words vector."""

    id = "bow-same-vector"
    group = "bow"

    def _choice(self, s1: str, s2: str) -> Choice:
        prompt = (f"Sentence A is '{s1}' and sentence B is '{s2}'. What can you say about their bag-of-words "
                  "vectors (word counts over the vocabulary)?")
        return Choice(self.id, prompt,
                      right=[Opt("They are identical: the sentences have the same words with the same counts, and "
                                 "bag-of-words throws away the order that makes their meanings differ.",
                                 "Count each word in A and in B: every count agrees, so the vectors agree.")],
                      wrong=[Opt("They differ, because the words come in a different order.", mistake="bow-keeps-order"),
                             Opt("They differ only in the entries of the first and last word.",
                                 "Bag-of-words has no 'first' or 'last': only counts, and every count is the same."),
                             Opt("They are orthogonal, since the sentences mean different things.",
                                 "The vectors are equal, so their cosine is 1; bag-of-words cannot see the meaning "
                                 "the order carries."),
                             Opt("They are the same only if no word repeats.", mistake="bow-loses-counts")])

    def draw(self, draw) -> dict[str, Any]:
        pair = list(draw.choice(SAME_BAG))
        draw.shuffle(pair)
        return {"sentences": pair, **self._choice(*pair).draw(draw)}

    def build(self, key, inst, mistakes):
        return self._choice(*inst["sentences"]).build(key, inst, mistakes)


class PixelParams(Item):
    """Parameters of a dense layer on raw pixels (drawn H × W × C and n)."""

    id = "pixel-params"
    group = "pixels"

    def _choice(self, h: int, w: int, c: int, n: int) -> Choice:
        colour = "grayscale" if c == 1 else "RGB colour"
        prompt = (f"A {h} × {w} {colour} image ({c} channel{'s' * (c > 1)}) is flattened and fed, as direct pixel "
                  f"values, into a fully connected layer of {n} units. How many parameters (weights and biases) "
                  "does that layer have?")
        d = h * w * c
        wrong = [Opt(_int(d * n), "That counts the weights only; each of the n units also has a bias."),
                 Opt(_int(h * w * n + n), mistake="pixels-forget-channels") if c > 1 else
                 Opt(_int(3 * h * w * n + n), "A grayscale image has one channel, not three."),
                 Opt(_int(d + n), "Every input connects to every unit: the weights are (H·W·C) × n, a product, "
                                  "not a sum."),
                 Opt(_int(9 * c * n + n), "That is a 3 × 3 convolution's count: a dense layer has a weight per "
                                          "pixel value and unit, not a small shared kernel.")]
        return Choice(self.id, prompt,
                      right=[Opt(_int(d * n + n), f"{h}·{w}·{c} = {d:,} inputs, each connected to each of the {n} "
                                                  f"units: {d:,} · {n} weights + {n} biases = {d * n + n:,}.")],
                      wrong=wrong)

    def draw(self, draw) -> dict[str, Any]:
        (h, w, c), n = draw.choice(IMAGES), draw.choice(HIDDEN)
        return {"image": [h, w, c], "units": n, **self._choice(h, w, c, n).draw(draw)}

    def build(self, key, inst, mistakes):
        return self._choice(*inst["image"], inst["units"]).build(key, inst, mistakes)


ITEMS = [
    OneHotCosine(),
    OneHotSize(),
    SameBag(),
    PixelParams(),
    Choice(
        "onehot-why-poor",
        "The deck encodes text with ONE HOT ENCODING first. Why is one-hot a poor representation of words?",
        right=[Opt("Each vector is V long with a single 1, and every two different words are orthogonal.",
                   "Identity only: dimension V, sparse, and equal distance between any two words.")],
        wrong=[Opt("It loses the order of the words in a sentence.", mistake="onehot-loses-order"),
               Opt("Two different words can get the same vector.",
                   "Each word has its own position for the 1, so distinct words get distinct vectors."),
               Opt("Similar words get nearly the same vector, so the network confuses them with each other.", mistake="onehot-similarity"),
               Opt("It must be learned by gradient descent, which is slow for a large vocabulary.",
                   "One-hot vectors are fixed by the word's index; nothing is learned. Embeddings are the learned kind.")],
        group="onehot"),
    TrueFalse(
        "tf-onehot-distances",
        "With one-hot encoding, the vector of 'cat' is closer (in Euclidean distance) to that of 'kitten' than to "
        "that of 'carburetor'.",
        False,
        "Any two different one-hot vectors differ in exactly two entries, so every pair is at distance √2 and has "
        "cosine 0: one-hot encodes identity, not meaning.",
        [(1, "two different one-hot vectors differ in exactly two entries"),
         (1, "so all pairs are at the same distance √2 (orthogonal): no similarity")],
        mistake="onehot-similarity", group="onehot"),
    Multi(
        "bow-keeps",
        "A sentence whose words are all in the vocabulary is turned into a BAG OF WORDS vector (the count of each "
        "vocabulary word). Which of these can be read off the vector?",
        right=[Opt("which vocabulary words occur in the sentence", "They are the nonzero entries of the vector."),
               Opt("how many times each word occurs", "The entries are the counts of the words."),
               Opt("the number of words in the sentence", "The counts add up to the sentence's length.")],
        wrong=[Opt("the order of the words", mistake="bow-keeps-order"),
               Opt("which word comes first", mistake="bow-keeps-order"),
               Opt("which words are next to each other",
                   "Neighbours are part of the order, and the counts do not keep it.")],
        options=4, n_right=(1, 3), group="bow"),
    Short(
        "bow-loses-short",
        "What does a bag-of-words representation lose? Give two sentences with the same bag-of-words vector that mean "
        "different things.",
        "It loses the word order (and so which words go together); it keeps only the count of each word. "
        "'the dog chased the cat' and 'the cat chased the dog' have the same counts and mean different things.",
        [(1, "order is lost; only counts are kept"),
         (1, "a correct pair: same words, same counts, different meaning")],
        difficulties=("medium", "hard"), group="bow"),
    Choice(
        "embedding-why",
        "Why does the deck move from one-hot vectors to EMBEDDINGS?",
        right=[Opt("A short dense vector of learned parameters.",
                   "Dense: every entry used; learned: trained with the network or by word2vec; similar words come close.")],
        wrong=[Opt("Embeddings are fixed random vectors, so every pair of words is orthogonal.", mistake="embedding-fixed"),
               Opt("Embeddings are one-hot vectors with the zeros removed.", mistake="embedding-sparse"),
               Opt("Embeddings keep the word order that one-hot vectors lose.", mistake="onehot-loses-order"),
               Opt("Embeddings are longer than one-hot vectors, so they hold more information.",
                   "They are much shorter: d ≪ V. They hold meaning in their directions, not in their length.")],
        group="embed"),
    TrueFalse(
        "tf-lookup-is-matmul",
        "Looking up the embedding of word $k$ in a $V \\times d$ embedding matrix $E$ gives the same vector as "
        "multiplying the one-hot vector of $k$ by $E$.",
        True,
        "The one-hot row vector e_k has a single 1 in position k, so e_k E picks out row k of E: the lookup is a "
        "matrix product that skips the zeros.",
        [(1, "the one-hot vector has one 1, at position k"),
         (1, "so e_k E selects row k of E, which is what the lookup returns")],
        group="embed-lookup"),
    TrueFalse(
        "tf-embedding-trained",
        "The entries of a (not frozen) embedding matrix are parameters: a gradient-descent step updates the rows of "
        "the words that appear in a training batch.",
        True,
        "An embedding layer is a weight matrix; the gradient of the loss reaches the looked-up rows (the rows of "
        "the words in the batch, the others get zero gradient) and gradient descent updates them.",
        [(1, "the embedding matrix is a weight / parameter"),
         (1, "gradient flows to the looked-up rows (other rows get zero gradient)")],
        mistake="embedding-fixed", group="embed-learn"),
    Choice(
        "pixels-why-explode",
        "Why does feeding DIRECT PIXEL VALUES into a fully connected layer give so many parameters?",
        right=[Opt("Each pixel value has its own weight to each unit: $H \\cdot W \\cdot C \\times n$ weights.",
                   "A 224 × 224 × 3 image into 1,000 units is 150,528,000 weights in one layer.")],
        wrong=[Opt("Because each unit has a bias for every pixel.", mistake="pixels-bias"),
               Opt("Because the pixel values must first be one-hot encoded over 0–255.",
                   "Pixels are already numbers and go in directly (often scaled to [0, 1]); no one-hot is needed."),
               Opt("Because a fully connected layer shares one small kernel across the image, at every position.",
                   "That is a convolution, and it is why a CNN needs far fewer parameters."),
               Opt("Because the colour channels are multiplied together.",
                   "The channels are separate inputs: they multiply the input size by C, not each other.")],
        group="pixels"),
    TrueFalse(
        "tf-fc-neighbours",
        "A fully connected layer on a flattened image knows which pixels are neighbours: flattening keeps each "
        "row's pixels next to each other in the vector.",
        False,
        "Every input has its own weight to every unit: permute the pixels and the weight columns alike and the layer "
        "computes the same outputs, so nothing in it knows the layout. Convolutions build neighbourhoods in.",
        [(1, "each input has its own weights; a consistent permutation gives the same outputs"),
         (1, "so spatial layout is not built in (unlike convolution)")],
        mistake="fc-knows-neighbours", group="pixels-layout"),
    Choice(
        "why-encode",
        "The deck: 'Inputs need encoding'. Why must text be encoded before it goes into a network?",
        right=[Opt("A network computes with numbers: each word must become a vector.",
                   "Deck: 'Input Processing — needs to be encoded', then one-hot, bag of words, embeddings.")],
        wrong=[Opt("To compress the text, so that training on it is faster and needs less memory.",
                   "One-hot vectors are larger than the text; the point is to turn words into numbers."),
               Opt("To remove the word order, which neural networks cannot use anyway.",
                   "RNNs and transformers use order; bag-of-words drops it, but encoding in general need not."),
               Opt("To translate it into English first.", "Encoding maps words to vectors, in any language."),
               Opt("To label each word as a noun, verb or adjective before training.",
                   "Part-of-speech tags are not what the deck's encodings compute.")],
        group="encode"),
    Short(
        "embedding-short",
        "Give two reasons to represent words by learned embeddings rather than one-hot vectors.",
        "Size: an embedding has d (a few hundred) dense entries instead of V (tens of thousands) sparse ones. "
        "Meaning: one-hot vectors are all orthogonal, while learned embeddings put words used alike close together, "
        "so what is learned about one word carries over to similar ones.",
        [(1, "dense, low-dimensional (d ≪ V)"),
         (1, "learned so similar words get similar vectors (one-hot: all orthogonal)")],
        difficulties=("medium", "hard"), group="embed"),
    Short(
        "pixels-short",
        "Explain why a fully connected first layer on raw pixels scales badly with the image size, and what a "
        "convolutional layer does instead.",
        "The dense layer has one weight per pixel value and unit, H·W·C·n weights, so doubling the side length "
        "quadruples it; it also ignores which pixels are neighbours. A convolution slides a small kernel (say "
        "3 × 3 × C) shared over all positions, so its parameters do not depend on the image size.",
        [(1, "H·W·C·n weights, growing with the image size"),
         (1, "convolution: small shared kernel, independent of the image size")],
        difficulties=("medium", "hard"), group="pixels"),
]

POOL = Pool("input-encoding", ITEMS)
InputEncodingConcepts = concept_family("input-encoding-concepts", "Input encoding: the ideas", POOL)
