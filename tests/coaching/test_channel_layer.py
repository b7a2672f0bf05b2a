"""Channels is wired in: the configured layer (in memory, or Redis when REDIS_URL is set) carries
group messages between consumers, and the ASGI application refuses unknown socket routes."""

import os

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings


def test_the_layer_follows_redis_url():
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "channels_redis.core.RedisChannelLayer"
    else:
        assert backend == "channels.layers.InMemoryChannelLayer"


async def test_a_group_message_reaches_every_member():
    layer = get_channel_layer()
    first, second = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("cohort-test", first)
    await layer.group_add("cohort-test", second)
    await layer.group_send("cohort-test", {"type": "chat.message", "text": "Bonjour"})
    assert (await layer.receive(first))["text"] == "Bonjour"
    assert (await layer.receive(second))["text"] == "Bonjour"
    await layer.group_discard("cohort-test", first)
    await layer.group_discard("cohort-test", second)


@pytest.mark.django_db(transaction=True)
async def test_a_socket_to_an_unknown_route_is_refused():
    from virage_site.asgi import application

    communicator = WebsocketCommunicator(
        application,
        "/ws/nowhere/",
        headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")],
    )
    with pytest.raises(ValueError, match="No route found"):
        await communicator.connect()
