"""Arrivals, departures and attendance. Presence is ours to keep (a channel-layer group cannot
be listed): a person is present while one of their connections is open; a connection that
stops sending heartbeats (its server process died) expires, and the room hears that they left.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..models import Attendance, LiveSession, Participant
from . import access, log

# A connection is stale when it has not been heard from for this long; clients send a
# heartbeat every 20 seconds.
STALE_AFTER = timedelta(seconds=75)
HEARTBEAT_WRITE_EVERY = timedelta(seconds=30)


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
            LiveSession.objects.select_for_update().select_related("cohort").filter(pk=session_id)
        ).first()
        if session is None:
            return Arrival(close_code=access.CLOSE_NO_SUCH_SESSION)
        if session.ended_at is not None:
            return Arrival(close_code=access.CLOSE_ENDED)
        role, company_id = access.role_in(user, session)
        if role is None:
            return Arrival(close_code=access.CLOSE_FORBIDDEN)
        place, created = Participant.objects.get_or_create(
            session=session,
            user=user,
            defaults={"role": role, "company_id": company_id, "status": Participant.Status.WAITING},
        )
        if not created and (place.role != role or place.company_id != company_id):
            place.role, place.company_id = role, company_id
            place.save(update_fields=["role", "company"])
        if place.status == Participant.Status.REMOVED:
            return Arrival(close_code=access.CLOSE_REMOVED)
        arrival = Arrival(role=role, company_id=company_id, chat_muted=place.chat_muted)
        if place.is_moderator:
            place.status = Participant.Status.ADMITTED
            if session.opened_at is None:
                _open_room(session, user, arrival)
        elif place.status != Participant.Status.ADMITTED:
            if session.locked:
                return Arrival(close_code=access.CLOSE_LOCKED)
            if session.opened_at is not None and not session.waiting_room:
                place.status = Participant.Status.ADMITTED
            else:
                place.status = Participant.Status.WAITING
                if session.opened_at is not None:
                    arrival.events.append(_knock(session, user))
        place.save(update_fields=["status"])
        arrival.status = place.status
        arrival.session = session_state(session)
        if place.status == Participant.Status.ADMITTED:
            arrival.events.extend(_enter(session.pk, user, place, connection))
        return arrival


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
    admitted = list(waiting.values_list("user_id", flat=True))
    if admitted:
        waiting.update(status=Participant.Status.ADMITTED)
        arrival.events.append(log.append(session.pk, "admitted", {"users": admitted}))
        arrival.admit.extend(admitted)


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
    """Closes the connection's attendance; the room hears that the person left if this was
    their last connection (and that they left the call, if they were in it)."""
    with transaction.atomic():
        closed = Attendance.objects.filter(connection=connection, closed_at__isnull=True).update(
            closed_at=at or timezone.now()
        )
        if not closed:
            return []
        return _left_if_gone(session_id, user_id)


def _left_if_gone(session_id, user_id):
    if Attendance.objects.filter(
        session_id=session_id, user_id=user_id, closed_at__isnull=True
    ).exists():
        return []
    events = []
    in_call = Participant.objects.filter(session_id=session_id, user_id=user_id, in_call=True)
    if in_call.update(in_call=False):
        events.append(log.append(session_id, "call_left", {"user": user_id}, actor_id=user_id))
    lowered = Participant.objects.filter(
        session_id=session_id, user_id=user_id, hand_raised_at__isnull=False
    ).update(hand_raised_at=None)
    if lowered:
        events.append(log.append(session_id, "hand_lowered", {"user": user_id}))
    events.append(log.append(session_id, "left", {"user": user_id}, actor_id=user_id))
    return events


def heartbeat(connection, now=None):
    now = now or timezone.now()
    Attendance.objects.filter(connection=connection, closed_at__isnull=True).update(
        last_seen_at=now
    )


def expire_stale(session_id, now=None):
    """Closes the connections nobody has heard from (their process stopped), at the time they
    were last heard from, and tells the room who is therefore gone."""
    now = now or timezone.now()
    with transaction.atomic():
        stale = list(
            Attendance.objects.select_for_update()
            .filter(
                session_id=session_id,
                closed_at__isnull=True,
                last_seen_at__lt=now - STALE_AFTER,
            )
            .values_list("pk", "user_id", "last_seen_at")
        )
        for pk, _user_id, last_seen_at in stale:
            Attendance.objects.filter(pk=pk).update(closed_at=last_seen_at)
        events = []
        for user_id in sorted({user_id for _pk, user_id, _seen in stale}):
            events.extend(_left_if_gone(session_id, user_id))
        return events
