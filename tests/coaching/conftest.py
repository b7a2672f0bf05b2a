import pytest

from coaching.room.hub import close_hub


@pytest.fixture
async def room_hub_closed():
    """The channel layer outlives a test's event loop: the loop's room hub stops reading it
    when the test ends, so the next test's hub starts clean."""
    yield
    await close_hub()
