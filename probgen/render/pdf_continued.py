"""'Problem 3 (continued)' at the top of a page where a problem's part spilled over, and the rule
that keeps a problem's last part from standing alone on a page.

Placed before every part after the first. It takes no room while the part that follows fits on
the current page; when it does not, it asks for more room than is left, so the page breaks before
it, and at the top of the next page it draws the continuation line above the part.

Before the next-to-last part (`last` = the problem's last part) it also breaks when that part
fits but the last one would not and, on the next page, nothing would follow it (less than
`room_after` left under it for the next problem): the two then go over together, so no page holds
the last part alone (TA re-rating: vision seed 119 p.7, generative seed 137 p.9, exam seed 11
p.15)."""

from __future__ import annotations

from .platypus import Flowable

from . import mathtype as M
from .pdf_paragraphs import draw_saved

HEIGHT = 18.0  # the continuation line


def _tall(f: Flowable, aw: float) -> float:
    return f.wrap(aw, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter()


def widows_last(aw: float, ah: float, following: Flowable, last: Flowable | None, room_after: float,
                page: float) -> bool:
    """Whether `following` fits in the `ah` left but `last` after it would not, `last` would be
    alone on the next page (less than `room_after` left under it), and the two (under a
    continuation line) fit on one page: then both should move on."""
    if last is None:
        return False
    need, alone = _tall(following, aw), _tall(last, aw)
    return (need <= ah < need + alone and HEIGHT + alone + room_after > page
            and HEIGHT + need + alone <= page)


class Continued(Flowable):
    drawOn = draw_saved  # (Flowable.drawOn's output, settings put back without its loop)

    HEIGHT = HEIGHT

    def __init__(self, number: int, title: str, following: Flowable, font: str, last: Flowable | None = None,
                 room_after: float = 0.0):
        super().__init__()
        self.number, self.title, self.following, self.font = number, title, following, font
        self.last, self.room_after = last, room_after
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
            move = need > ah or widows_last(aw, ah, self.following, self.last, self.room_after, _page(frame))
            self.height = ah + 1.0 if move and frame is not None else 0.0  # break here, not after
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


class KeepWithLast(Flowable):
    """Before a problem's first part (its statement with it) when the problem has two parts:
    takes no room unless the second part would stand alone on the next page, then breaks."""

    drawOn = draw_saved  # (Flowable.drawOn's output, settings put back without its loop)

    def __init__(self, following: Flowable, last: Flowable, room_after: float):
        super().__init__()
        self.following, self.last, self.room_after = following, last, room_after

    def wrap(self, aw, ah):
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", 0))
        self.width = aw
        move = not at_top and frame is not None and widows_last(aw, ah, self.following, self.last,
                                                                 self.room_after, _page(frame))
        self.height = ah + 1.0 if move else 0.0
        return aw, self.height

    def split(self, aw, ah):
        return []

    def draw(self):
        pass


def _page(frame) -> float:
    return frame._height if frame is not None else 0.0
