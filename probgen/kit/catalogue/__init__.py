"""The misconception catalogue, one module per topic: `MISCONCEPTIONS = {id: Mistake(name, explanation)}`.

A conceptual family's wrong options name an entry here (see `probgen.kit.concepts`). `name` is
what the grader tells a student who picked the option, so write it as the belief ("thinks ...");
`explanation` says why the belief is wrong, in the course's words.
"""
