"""Builders for live-room tests: a cohort with a session, and socket clients that log in the
way a browser does (a session cookie), so the room takes identity from the session."""

import datetime
import json

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from coaching.models import Cohort, LiveSession, Programme
from tests import factories

ORIGIN = (b"origin", b"http://localhost")
HOST = (b"host", b"localhost")
TIMEOUT = 3


def make_room(waiting_room=False, participants=3):
    """A programme, a cohort of two companies with `participants` people in all, one coach, a
    session now, an outsider and a member of another cohort."""
    programme = Programme.objects.create(
        name="TPME", starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2027, 6, 30)
    )
    cohort = Cohort.objects.create(programme=programme, name="Promotion Fès")
    first, second = factories.make_company(name="Zellige"), factories.make_company(name="Argan")
    cohort.companies.add(first, second)
    coach = factories.make_user(role="coach", first_name="Coach", last_name="Amal")
    cohort.coaches.add(coach)
    people = [
        factories.add_member(first if n % 2 == 0 else second, role="lead" if n < 2 else "employee")
        for n in range(participants)
    ]
    other_cohort = Cohort.objects.create(programme=programme, name="Promotion Agadir")
    stranger_company = factories.make_company(name="Ailleurs")
    other_cohort.companies.add(stranger_company)
    now = timezone.now()
    session = LiveSession.objects.create(
        cohort=cohort,
        title="Vendre en ligne",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=1),
        waiting_room=waiting_room,
        created_by=coach,
    )
    return {
        "session": session,
        "cohort": cohort,
        "coach": coach,
        "people": people,
        "companies": (first, second),
        "outsider": factories.make_user(),
        "other_cohort_member": factories.add_member(stranger_company),
    }


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


class RoomClient:
    """One socket of one person. `frames` keeps everything received, in order."""

    def __init__(self, user, session_id, origin=ORIGIN):
        self.user = user
        self.session_id = session_id
        self.origin = origin
        self.frames = []
        self.communicator = None
        self.close_code = None

    async def connect(self):
        from virage_site.asgi import application

        cookie = await sync_to_async(session_cookie)(self.user)
        self.communicator = WebsocketCommunicator(
            application,
            f"/ws/coaching/sessions/{self.session_id}/",
            headers=[self.origin, HOST, (b"cookie", f"sessionid={cookie}".encode())],
        )
        connected, _ = await self.communicator.connect(timeout=TIMEOUT)
        if not connected:
            return None
        return await self.next_frame()

    async def next_frame(self, timeout=TIMEOUT):
        """The next frame, or None when the server closed the socket (code in close_code)."""
        message = await self.communicator.receive_output(timeout)
        if message["type"] == "websocket.close":
            self.close_code = message.get("code")
            return None
        # A real server writes text as UTF-8: a frame that cannot be written so (a lone
        # surrogate) would break the socket, which the in-memory test transport would not show.
        message["text"].encode("utf-8")
        frame = json.loads(message["text"])
        self.frames.append(frame)
        return frame

    async def expect(self, type, timeout=TIMEOUT, **fields):
        """Reads frames until one of `type` (with these field values) arrives."""
        while True:
            frame = await self.next_frame(timeout)
            if frame is None:
                raise AssertionError(f"closed with {self.close_code} while expecting {type}")
            if frame["type"] == type and all(frame.get(k) == v for k, v in fields.items()):
                return frame

    async def send(self, **frame):
        await self.communicator.send_to(text_data=json.dumps(frame))

    async def send_raw(self, text=None, data=None):
        await self.communicator.send_to(text_data=text, bytes_data=data)

    async def sync(self, since=0):
        await self.send(type="sync", since=since)
        events = []
        while True:
            replay = await self.expect("replay")
            events.extend(replay["events"])
            if replay["complete"]:
                return events, replay["last_seq"]

    async def nothing_more(self, timeout=0.3):
        return await self.communicator.receive_nothing(timeout)

    async def close(self):
        if self.communicator is not None:
            await self.communicator.disconnect()


async def admitted(user, session):
    """A socket of `user` in the room, caught up with its history."""
    client = RoomClient(user, session.pk)
    await client.connect()
    await client.sync(0)
    return client
