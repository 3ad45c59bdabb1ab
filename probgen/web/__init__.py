"""`probgen serve`: practice in the browser, on this computer only.

    app       Flask routes: choose, a problem page, answers, progress, printable exam
    views     what each page shows (plain data for the templates)
    forms     answer inputs per part kind, and posted boxes back into one answer text
    mathhtml  problem markup as HTML with MathML math (latex2mathml; no CDN)
    figure    computational graphs as inline SVG
    server    waitress on loopback; busy port and --host handling
"""
