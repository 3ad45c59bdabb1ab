"""Grading a whole class: a class set's manifest + a folder of filled-in answer sheets ->
a gradebook CSV, per-student feedback, an item analysis and a list of sheets not graded.

    collect    the manifest, and which sheet belongs to which version (or why none)
    analysis   per-part item analysis: fraction correct, named mistakes, point-biserial
    results    grading every sheet and writing the results folder atomically
"""
