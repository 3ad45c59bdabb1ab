"""Renderers: lay out problems as terminal text or PDF. They format; they never compute."""
