"""Scores as people read them. Scores are stored and compared unrounded; every page that shows
one rounds it here, the same way, so a score reads the same in a table and in a sentence."""

from decimal import ROUND_HALF_UP, Decimal


def rounded(value):
    """A score as shown: a whole number, halves rounded up (37.5 → 38), as people expect."""
    if value is None:
        return None
    return int(Decimal(repr(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def shown_score(value):
    return "—" if value is None else str(rounded(value))
