"""The mark of a probgen answer key: the value of the JSON key's "format" field. `sheets.answer_key`
writes it and `grading.keyfile` checks it; it lives here, below both rooms, so that neither
imports the other."""

KEY_FORMAT = "probgen-answer-key"
