"""Arrivals, departures and attendance. Presence is ours to keep (a channel-layer group cannot
be listed): a person is present while one of their connections is open. Each server process
records every half minute that its sockets are still open (`sweep`); a connection no process has
recorded for a while (its process died) expires, and the room hears that its person left.

Each of these transactions locks the room's row first (see `locks`).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..models import Attendance, LiveSession, Participant, Poll, PollVote, RoomEvent
from . import access, locks, log

# A connection is stale when no process has recorded it for this long; processes record their
# open sockets every 30 seconds (see hub.SWEEP_EVERY_S).
STALE_AFTER = timedelta(seconds=75)


@dataclass
class Arrival:
    close_code: int = 0
    role: str = ""
    status: str = ""
    company_id: int | None = None
    chat_muted: bool = False
    session: dict = field(default_factory=dict)
    events: list = field(default_factory=list)
    admit: list = field(default_factory=list)
    drafts: list = field(default_factory=list)
    votes: list = field(default_factory=list)

    @property
    def is_moderator(self):
        return self.role == Participant.Role.MODERATOR


def session_state(session):
    return {
        "id": session.pk,
        "title": session.title,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "opened": session.opened_at is not None,
        "ended": session.ended_at is not None,
        "locked": session.locked,
        "waiting_room": session.waiting_room,
        "external_video_url": session.external_video_url,
    }


def arrive(session_id, user, connection):
    """Lets `user` in (or into the waiting room), or says why not with a close code."""
    with transaction.atomic():
        session = (
            LiveSession.objects.select_for_update(of=("self",))
            .select_related("cohort")
            .filter(pk=session_id)
            .first()
        )
        if session is None:
            return Arrival(close_code=access.CLOSE_NO_SUCH_SESSION)
        if session.ended_at is not None:
            return Arrival(close_code=access.CLOSE_ENDED)
        role, company_id = access.role_in(user, session)
        if role is None:
            return Arrival(close_code=access.CLOSE_FORBIDDEN)
        place = Participant.objects.filter(session=session, user=user).first()
        if place is not None and place.status == Participant.Status.REMOVED:
            return Arrival(close_code=access.CLOSE_REMOVED)
        admitted_before = place is not None and place.status == Participant.Status.ADMITTED
        if session.locked and role != Participant.Role.MODERATOR and not admitted_before:
            # Refused before a place is made: a place left waiting would be let in later by
            # whoever admits the waiting.
            return Arrival(close_code=access.CLOSE_LOCKED)
        created = place is None
        if created:
            place = Participant.objects.create(
                session=session,
                user=user,
                role=role,
                company_id=company_id,
                status=Participant.Status.WAITING,
            )
        elif place.role != role or place.company_id != company_id:
            place.role, place.company_id = role, company_id
            place.save(update_fields=["role", "company"])
        arrival = Arrival(role=role, company_id=company_id, chat_muted=place.chat_muted)
        if place.is_moderator:
            place.status = Participant.Status.ADMITTED
            if session.opened_at is None:
                place.save(update_fields=["status"])  # before the room lets its waiting in
                _open_room(session, user, arrival)
        elif place.status != Participant.Status.ADMITTED:
            if session.opened_at is not None and not session.waiting_room:
                place.status = Participant.Status.ADMITTED
            else:
                # A person knocks once; knocking again after being refused is a new knock.
                knocked = not created and place.status == Participant.Status.WAITING
                place.status = Participant.Status.WAITING
                if session.opened_at is not None and not knocked:
                    arrival.events.append(_knock(session, user))
        place.save(update_fields=["status"])
        arrival.status = place.status
        arrival.session = session_state(session)
        if place.status == Participant.Status.ADMITTED:
            arrival.events.extend(_enter(session.pk, user, place, connection))
            arrival.votes = [
                {"poll": poll, "option": option}
                for poll, option in PollVote.objects.filter(
                    poll__session=session, user=user
                ).values_list("poll_id", "option")
            ]
        if arrival.is_moderator:
            arrival.drafts = drafts(session.pk)
        return arrival


def drafts(session_id):
    """The session's prepared polls, for its moderators."""
    return [
        {"poll": pk, "question": question, "options": options}
        for pk, question, options in Poll.objects.filter(
            session_id=session_id, status=Poll.Status.DRAFT
        ).values_list("pk", "question", "options")
    ]


def _open_room(session, coach, arrival):
    """The first coach opens the room: everyone waiting for it comes in, unless the session has
    a waiting room, where they stay until a coach admits them."""
    session.opened_at = timezone.now()
    session.save(update_fields=["opened_at"])
    arrival.events.append(log.append(session.pk, "room_opened", {}, actor_id=coach.pk))
    waiting = Participant.objects.filter(session=session, status=Participant.Status.WAITING)
    if session.waiting_room:
        for place in waiting.select_related("user"):
            arrival.events.append(_knock(session, place.user))
        return
    arrival.admit.extend(admit_waiting(session.pk, waiting, arrival.events, actor_id=coach.pk))


def admit_waiting(session_id, places, events, actor_id):
    """Lets these waiting places in: their status, and the `admitted` event (appended to
    `events`). Returns the ids of the people let in."""
    admitted = list(
        places.filter(status=Participant.Status.WAITING)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    if admitted:
        Participant.objects.filter(session_id=session_id, user_id__in=admitted).update(
            status=Participant.Status.ADMITTED
        )
        events.append(log.append(session_id, "admitted", {"users": admitted}, actor_id=actor_id))
    return admitted


def _knock(session, user):
    return log.append(
        session.pk,
        "knock",
        {"user": user.pk, "name": user.display_name},
        actor_id=user.pk,
        private=True,
    )


def _enter(session_id, user, place, connection):
    """Opens the connection's attendance; the room hears of the person if they were absent."""
    already_here = Attendance.objects.filter(
        session_id=session_id, user=user, closed_at__isnull=True
    ).exists()
    Attendance.objects.create(session_id=session_id, user=user, connection=connection)
    if already_here:
        return []
    company = place.company.name if place.company_id else ""
    return [
        log.append(
            session_id,
            "joined",
            {
                "user": user.pk,
                "name": user.display_name,
                "role": place.role,
                "company": company,
                "muted": place.chat_muted,
            },
            actor_id=user.pk,
        )
    ]


def enter_after_admission(session_id, user, connection):
    """A waiting connection was admitted: it starts to count as present."""
    with transaction.atomic():
        locks.lock_room(session_id)
        place = (
            Participant.objects.select_related("company")
            .filter(session_id=session_id, user=user, status=Participant.Status.ADMITTED)
            .first()
        )
        if place is None:
            return []
        if Attendance.objects.filter(connection=connection).exists():
            return []
        return _enter(session_id, user, place, connection)


def depart(session_id, user_id, connection, at=None):
    """Closes the connection's attendance; the room hears that it left the call if it was the
    connection in the call, and that the person left if this was their last connection."""
    with transaction.atomic():
        locks.lock_room(session_id)
        closed = Attendance.objects.filter(connection=connection, closed_at__isnull=True).update(
            closed_at=at or timezone.now()
        )
        if not closed:
            return []
        events = leave_call(session_id, user_id, connection)
        return events + _left_if_gone(session_id, user_id)


def call_connection(session_id, user_id):
    """The connection through which the person is (or was last) in the call: the one their
    latest `call_joined` event names."""
    data = (
        RoomEvent.objects.filter(session_id=session_id, type="call_joined", actor_id=user_id)
        .order_by("-seq")
        .values_list("data", flat=True)
        .first()
    )
    return data.get("connection") if data else None


def leave_call(session_id, user_id, connection=None):
    """Takes the person out of the call (if `connection` is given: only if that connection is
    theirs in the call)."""
    in_call = Participant.objects.filter(session_id=session_id, user_id=user_id, in_call=True)
    if not in_call.exists():
        return []
    current = call_connection(session_id, user_id)
    if connection is not None and current != connection:
        return []
    in_call.update(in_call=False)
    return [
        log.append(
            session_id, "call_left", {"user": user_id, "connection": current}, actor_id=user_id
        )
    ]


def _lower_hand(session_id, user_id):
    lowered = Participant.objects.filter(
        session_id=session_id, user_id=user_id, hand_raised_at__isnull=False
    ).update(hand_raised_at=None)
    return [log.append(session_id, "hand_lowered", {"user": user_id})] if lowered else []


def _left_if_gone(session_id, user_id):
    if Attendance.objects.filter(
        session_id=session_id, user_id=user_id, closed_at__isnull=True
    ).exists():
        return []
    events = leave_call(session_id, user_id)
    events += _lower_hand(session_id, user_id)
    events.append(log.append(session_id, "left", {"user": user_id}, actor_id=user_id))
    return events


def take_out(session_id, user_id, at=None):
    """A moderator removed the person: every connection of theirs stops counting now, they
    leave the call, their hand goes down. Call inside the removal's transaction."""
    closed = Attendance.objects.filter(
        session_id=session_id, user_id=user_id, closed_at__isnull=True
    ).update(closed_at=at or timezone.now())
    events = leave_call(session_id, user_id) + _lower_hand(session_id, user_id)
    if closed:
        events.append(log.append(session_id, "left", {"user": user_id}, actor_id=user_id))
    return events


def close_all(session_id, at):
    """The session ended: every connection stops counting, nobody stays in the call or keeps
    a hand up. No event: `room_ended` says it all."""
    Attendance.objects.filter(session_id=session_id, closed_at__isnull=True).update(closed_at=at)
    Participant.objects.filter(session_id=session_id).update(in_call=False, hand_raised_at=None)


def heartbeat(connections, now=None):
    """Records that these connections are still open (one statement for a room's sockets)."""
    if connections:
        Attendance.objects.filter(connection__in=connections, closed_at__isnull=True).update(
            last_seen_at=now or timezone.now()
        )


def expire_stale(session_id, now=None):
    """Closes the connections nobody has recorded for a while (their process stopped), at the
    time they were last recorded, and tells the room who is therefore gone."""
    now = now or timezone.now()
    stale = Attendance.objects.filter(
        session_id=session_id, closed_at__isnull=True, last_seen_at__lt=now - STALE_AFTER
    )
    if not stale.exists():
        return []  # the usual case: the room's lock is not taken for nothing
    with transaction.atomic():
        locks.lock_room(session_id)
        stale = list(
            stale.select_for_update().values_list("pk", "user_id", "connection", "last_seen_at")
        )
        events = []
        for pk, user_id, connection, last_seen_at in stale:
            Attendance.objects.filter(pk=pk).update(closed_at=last_seen_at)
            events.extend(leave_call(session_id, user_id, connection))
        for user_id in sorted({user_id for _pk, user_id, _connection, _seen in stale}):
            events.extend(_left_if_gone(session_id, user_id))
        return events


@dataclass
class Sweep:
    """What a process's periodic look at one room found: events to publish (people whose
    connections expired), sockets to close (per person, or all of them), connections of this
    process that no longer count as present (another process expired them), and waiting
    sockets that missed their admission, with the `admitted` event frame that lets each in."""

    events: list = field(default_factory=list)
    close: dict = field(default_factory=dict)
    close_all: int = 0
    closed_connections: set = field(default_factory=set)
    admissions: dict = field(default_factory=dict)


def sweep(session_id, connections, user_ids, waiting_user_ids=(), moderator_ids=(), now=None):
    """Records this process's open connections of the room, expires the stale ones, and checks
    that the people on these sockets may still be there, and the moderators still moderate (a
    coach no longer coaching the cohort reconnects, 4500, and enters as what they now are)."""
    session = LiveSession.objects.filter(pk=session_id).only("cohort_id", "ended_at").first()
    if session is None:
        return Sweep(close_all=access.CLOSE_NO_SUCH_SESSION)
    if session.ended_at is not None:
        return Sweep(close_all=access.CLOSE_ENDED)
    now = now or timezone.now()
    heartbeat(connections, now)
    found = Sweep(events=expire_stale(session_id, now))
    if connections:
        found.closed_connections = set(
            Attendance.objects.filter(
                connection__in=connections, closed_at__isnull=False
            ).values_list("connection", flat=True)
        )
    statuses = dict(
        Participant.objects.filter(session_id=session_id, user_id__in=user_ids).values_list(
            "user_id", "status"
        )
    )
    allowed = access.still_allowed(session, user_ids)
    for user_id in user_ids:
        status = statuses.get(user_id)
        if user_id not in allowed:
            found.close[user_id] = access.CLOSE_FORBIDDEN
        elif status == Participant.Status.REMOVED:
            found.close[user_id] = access.CLOSE_REMOVED
        elif status == Participant.Status.DENIED:
            found.close[user_id] = access.CLOSE_DENIED
    moderating = access.still_moderating(session, moderator_ids)
    for user_id in moderator_ids:
        if user_id not in moderating and user_id not in found.close:
            found.close[user_id] = access.CLOSE_SERVER_ERROR
    let_in = {
        user_id
        for user_id in waiting_user_ids
        if user_id not in found.close and statuses.get(user_id) == Participant.Status.ADMITTED
    }
    if let_in:
        found.admissions = _admission_frames(session_id, let_in)
    return found


def _admission_frames(session_id, user_ids):
    """The frame of the latest `admitted` event naming each of these people."""
    frames = {}
    admissions = RoomEvent.objects.filter(session_id=session_id, type="admitted").order_by("-seq")
    for event in admissions.iterator():
        for user_id in set(event.data.get("users", ())) & (user_ids - set(frames)):
            frames[user_id] = log.encode(log.event_frame(event))
        if len(frames) == len(user_ids):
            break
    return frames
