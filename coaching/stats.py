"""Attendance and engagement in a live session, per person, in a fixed number of queries
whatever the number of people, connections or events (six at most).

Minutes present are the union of a person's connections (Attendance rows: two tabs open at once
count once), each clipped to the session's window: from its scheduled start to its end, which is
when a coach ended it or else its scheduled end (a room ended before its scheduled start — the
coach came early — has its window from when it opened). A connection still open counts up to now
while it is heard from, and only up to when it was last heard from once it has gone silent (its
server process stopped: the room closes it at that time).

A person **attended** when present at least half of the session: of its scheduled duration, or
of its window when that was shorter (a coach who ends after twenty minutes of a planned hour
does not make everyone absent). That is the figure that can count towards completion;
engagement (messages, hands, poll answers, questions) is shown beside it, as BigBlueButton's
learning dashboard does, but does not change it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from virage_site.companies.models import Membership

from .models import Attendance, Participant, PollVote, Question, RoomEvent
from .placements import companies_in
from .room.presence import STALE_AFTER

ATTENDED_SHARE = 0.5


@dataclass
class PersonFigures:
    user_id: int
    name: str
    company: str
    role: str
    first_joined_at: datetime | None = None
    last_left_at: datetime | None = None
    present_now: bool = False
    seconds: float = 0.0
    attended: bool = False
    chat_messages: int = 0
    hands_raised: int = 0
    poll_answers: int = 0
    questions_asked: int = 0

    @property
    def minutes(self):
        return round(self.seconds / 60)

    @property
    def is_moderator(self):
        return self.role == Participant.Role.MODERATOR

    @property
    def came(self):
        return self.first_joined_at is not None


@dataclass
class SessionFigures:
    people: list
    window_start: datetime
    window_end: datetime

    def of(self, user_id):
        return next((person for person in self.people if person.user_id == user_id), None)

    @property
    def participants(self):
        return [person for person in self.people if not person.is_moderator]

    @property
    def attended_count(self):
        return sum(1 for person in self.participants if person.attended)

    @property
    def came_count(self):
        return sum(1 for person in self.participants if person.came)

    @property
    def chat_messages(self):
        return sum(person.chat_messages for person in self.people)


def window(session):
    """The part of time that counts: scheduled start (or the room's opening, for a room ended
    before its scheduled start) to actual (or scheduled) end."""
    end = session.ended_at or session.ends_at
    start = session.starts_at
    if end < start:
        start = min(session.opened_at or end, end)
    return start, end


def attendance_threshold(session):
    """Seconds present that make a person count as having attended."""
    start, end = window(session)
    return ATTENDED_SHARE * min(session.duration, end - start).total_seconds()


def present_seconds(intervals, start, end):
    """Seconds covered by the union of (opened, closed) intervals, within [start, end]."""
    clipped = sorted(
        (max(opened, start), min(closed, end))
        for opened, closed in intervals
        if min(closed, end) > max(opened, start)
    )
    total = timedelta()
    current_start = current_end = None
    for opened, closed in clipped:
        if current_end is None or opened > current_end:
            if current_end is not None:
                total += current_end - current_start
            current_start, current_end = opened, closed
        else:
            current_end = max(current_end, closed)
    if current_end is not None:
        total += current_end - current_start
    return total.total_seconds()


def _connection_end(opened_at, last_seen_at, closed_at, now):
    if closed_at is not None:
        return closed_at, False
    if last_seen_at >= now - STALE_AFTER:
        return max(now, opened_at), True
    return last_seen_at, False


def session_figures(session, user_ids=None, include_absent=True, now=None):
    """Figures for everyone who entered the room (or only `user_ids`), and, with
    `include_absent`, for the cohort's members who never came."""
    now = now or timezone.now()
    start, end = window(session)
    places = Participant.objects.filter(session=session).select_related("user", "company")
    attendance = Attendance.objects.filter(session=session)
    events = RoomEvent.objects.filter(session=session, type__in=("chat", "hand_raised"))
    votes = PollVote.objects.filter(poll__session=session)
    questions = Question.objects.filter(session=session)
    if user_ids is not None:
        places = places.filter(user_id__in=user_ids)
        attendance = attendance.filter(user_id__in=user_ids)
        events = events.filter(actor_id__in=user_ids)
        votes = votes.filter(user_id__in=user_ids)
        questions = questions.filter(author_id__in=user_ids)

    people = {
        place.user_id: PersonFigures(
            user_id=place.user_id,
            name=place.user.display_name,
            company=place.company.name if place.company_id else "",
            role=place.role,
        )
        for place in places
    }
    intervals = {}
    for user_id, opened_at, last_seen_at, closed_at in attendance.values_list(
        "user_id", "opened_at", "last_seen_at", "closed_at"
    ):
        person = people.get(user_id)
        if person is None:
            continue
        closed, still_here = _connection_end(opened_at, last_seen_at, closed_at, now)
        intervals.setdefault(user_id, []).append((opened_at, closed))
        person.present_now = person.present_now or still_here
        if person.first_joined_at is None or opened_at < person.first_joined_at:
            person.first_joined_at = opened_at
        if closed_at is not None and (person.last_left_at is None or closed > person.last_left_at):
            person.last_left_at = closed
    threshold = attendance_threshold(session)
    for user_id, person in people.items():
        if person.present_now:
            person.last_left_at = None
        person.seconds = present_seconds(intervals.get(user_id, []), start, min(end, now))
        person.attended = threshold > 0 and person.seconds >= threshold

    counts = events.values("actor_id", "type").annotate(number=Count("pk")).order_by()
    for row in counts:
        person = people.get(row["actor_id"])
        if person is not None:
            if row["type"] == "chat":
                person.chat_messages = row["number"]
            else:
                person.hands_raised = row["number"]
    for user_id, number in votes.values_list("user_id").annotate(Count("pk")).order_by():
        if user_id in people:
            people[user_id].poll_answers = number
    for user_id, number in questions.values_list("author_id").annotate(Count("pk")).order_by():
        if user_id in people:
            people[user_id].questions_asked = number

    if include_absent and user_ids is None:
        people.update(_absent_members(session, people))
    ordered = sorted(
        people.values(), key=lambda p: (not p.is_moderator, p.name.casefold(), p.user_id)
    )
    return SessionFigures(people=ordered, window_start=start, window_end=end)


def _absent_members(session, present):
    """Members of the cohort's companies who never entered the room: one query."""
    absent = {}
    memberships = (
        Membership.objects.filter(company__in=companies_in(session.cohort_id), user__is_active=True)
        .exclude(user_id__in=list(present))
        .select_related("user", "company")
        .order_by("pk")
    )
    for membership in memberships:
        absent.setdefault(
            membership.user_id,
            PersonFigures(
                user_id=membership.user_id,
                name=membership.user.display_name,
                company=membership.company.name,
                role=Participant.Role.PARTICIPANT,
            ),
        )
    return absent
