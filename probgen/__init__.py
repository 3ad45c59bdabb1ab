"""probgen: randomized, hand-workable exam-practice problems for a deep-learning course."""

__version__ = "0.1.0"

# Bumped whenever the JSON layout of a problem or answer key changes incompatibly.
SCHEMA_VERSION = 1
