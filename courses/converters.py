class DatabaseIdConverter:
    """A database id (a page's, a response's…): digits that fit a database integer, so an absurd
    number is a 404, not a crash (lookups through a page's parent link skip Django's own range
    check)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
