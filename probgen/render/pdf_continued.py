"""'Problem 3 (continued)' at the top of a page where a problem's part spilled over.

Placed before every part after the first. It takes no room while the part that follows fits on
the current page; when it does not, it asks for more room than is left, so the page breaks before
it, and at the top of the next page it draws the continuation line above the part."""

from __future__ import annotations

from .platypus import Flowable

from . import mathtype as M


class Continued(Flowable):
    HEIGHT = 18.0

    def __init__(self, number: int, title: str, following: Flowable, font: str):
        super().__init__()
        self.number, self.title, self.following, self.font = number, title, following, font
        self.shown = False

    def wrap(self, aw, ah):
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", 0))
        self.shown = at_top
        self.width = aw
        if at_top:
            self.height = self.HEIGHT
        else:
            need = self.following.wrap(aw, 1e6)[1]
            self.height = 0.0 if need <= ah or frame is None else ah + 1.0  # break here, not after
        return aw, self.height

    def split(self, aw, ah):
        return []  # never split: move to the next page whole

    def draw(self):
        if not self.shown:
            return
        text = f"Problem {self.number} (continued) — {self.title}"
        self.canv.setFont(self.font, 9.5)
        self.canv.setFillGray(0.35)
        while M.text_width(text, M.FACES["rm"], 9.5) > self.width and len(text) > 20:
            text = text[:-2].rstrip() + "…"
        self.canv.drawString(0, 6, text)
        self.canv.setFillGray(0)
