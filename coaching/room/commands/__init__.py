"""The room's commands, one module per feature; importing a module registers its commands."""

import importlib

MODULES = ("chat", "hands", "reactions", "polls", "questions", "actions", "moderation", "calls")


def load():
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
