"""Pages of the assessments app; see urls.py."""

from .index import index
from .results import results
from .taking import autosave, resume, start, step_view, submit_view

__all__ = ["autosave", "index", "results", "resume", "start", "step_view", "submit_view"]
