"""The course's sections and topics, in the order of the midterm review deck."""

SECTIONS: dict[str, tuple[str, ...]] = {
    "fundamentals": (
        "losses",
        "input-encoding",
        "backprop",
        "optimization",
        "regularization",
        "normalization",
    ),
    "nlp": ("embeddings", "rnn", "transformers"),
    "cnn": ("convolution", "pooling"),
    "vision": ("architectures",),
    "generative": ("vae", "gan", "diffusion"),
}

SECTION_TITLES = {
    "fundamentals": "Fundamentals",
    "nlp": "NLP: word embeddings, RNNs and LSTMs, transformers",
    "cnn": "CNNs",
    "vision": "Modern vision networks",
    "generative": "Generative models: VAEs, GANs, diffusion",
}

TOPIC_SECTION = {topic: section for section, topics in SECTIONS.items() for topic in topics}
