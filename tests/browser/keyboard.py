"""Moving through a page with the keyboard alone, as a person who uses no mouse would: Tab (or
Shift+Tab) until the wanted control has the focus, then Enter, Space, arrows or typing."""

TAB_LIMIT = 120


def focused_matches(page, selector):
    return page.evaluate(
        "(selector) => !!document.activeElement && document.activeElement.matches(selector)",
        selector,
    )


def tab_to(page, selector, backwards=False, limit=TAB_LIMIT):
    """Presses Tab until the focused element matches `selector`; fails if it never does (the
    control cannot be reached with the keyboard)."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if focused_matches(page, selector):
            return
    raise AssertionError(f"{selector} was not reached with {key} in {limit} presses")


def press_on(page, selector, key="Enter", backwards=False):
    tab_to(page, selector, backwards=backwards)
    page.keyboard.press(key)


def type_into(page, selector, text, backwards=False):
    tab_to(page, selector, backwards=backwards)
    page.keyboard.type(text)
