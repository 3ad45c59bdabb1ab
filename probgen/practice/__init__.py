"""Practice that remembers and adapts: the history of attempts (SQLite), per-topic progress,
and the choice of what to practise next (FSRS spaced repetition, weak topics first, difficulty
rising with success). Used by `probgen practice`, `probgen progress`, `probgen check --record`
and the web app.

    store      the SQLite history: schema, migrations, WAL, the fallback file
    stats      sittings, recent accuracy, mastery, frequent mistakes
    scheduler  FSRS cards per topic, the plan, difficulty steps, --again
    progress   the progress table, JSON and chart
    session    attempts from graded parts; the session's view of the history
"""
