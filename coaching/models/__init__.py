from .cohorts import Cohort, CohortCompany, Programme, coaches_only
from .room import (
    ActionItem,
    Attendance,
    Participant,
    Poll,
    PollVote,
    Question,
    QuestionVote,
    RoomEvent,
)
from .sessions import LiveSession, ReminderSent

__all__ = [
    "ActionItem",
    "Attendance",
    "Cohort",
    "CohortCompany",
    "LiveSession",
    "Participant",
    "Poll",
    "PollVote",
    "Programme",
    "Question",
    "QuestionVote",
    "ReminderSent",
    "RoomEvent",
    "coaches_only",
]
