"""LMS exports: problems as Moodle XML (Cloze questions) and Canvas QTI 1.2 quizzes (docs/lms.md).

`source` turns SOURCE into categories of N variants; `blanks` turns each part into gradable blanks
(tolerances, accepted spellings, named mistakes); `question` lays a problem out as HTML; `moodle`
and `canvas` write the files."""
