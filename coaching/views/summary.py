"""A session's summary, during or after it: attendance and engagement (everyone's for its
moderators, one's own for a participant), polls with their results, questions, action items.
A fixed number of queries whatever the number of people, polls or questions.

Action items are shown whole, every company's, to everyone who may read the summary: they were
said in the room, before the room. (The action plan, a company's own page, shows each reader
only the companies they belong to or coach.)"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from ..agenda import module_links
from ..models import Poll, PollVote
from ..stats import session_figures
from .lookup import session_for


@dataclass
class OptionResult:
    text: str
    votes: int
    percent: int


@dataclass
class PollResult:
    poll: Poll
    options: list
    total: int


def poll_results(session):
    """Every poll that was opened, with its votes per option: two queries."""
    polls = list(session.polls.exclude(status=Poll.Status.DRAFT))
    counts = {}
    rows = (
        PollVote.objects.filter(poll__in=[poll.pk for poll in polls])
        .values_list("poll_id", "option")
        .annotate(number=Count("pk"))
        .order_by()
    )
    for poll_id, option, number in rows:
        counts[(poll_id, option)] = number
    results = []
    for poll in polls:
        votes = [counts.get((poll.pk, index), 0) for index in range(len(poll.options))]
        total = sum(votes)
        results.append(
            PollResult(
                poll=poll,
                total=total,
                options=[
                    OptionResult(text, number, round(100 * number / total) if total else 0)
                    for text, number in zip(poll.options, votes, strict=True)
                ],
            )
        )
    return results


@login_required
def session_summary(request, session_id):
    viewing = session_for(request, session_id)
    session = viewing.session
    figures = session_figures(session)
    questions = (
        session.questions.select_related("author")
        .annotate(votes_count=Count("votes"))
        .order_by("-votes_count", "asked_at", "pk")
    )
    items = list(
        session.action_items.select_related("company", "module", "owner").order_by(
            "company__name", "pk"
        )
    )
    links = module_links([item.module for item in items], request)
    for item in items:
        item.module_link = links.get(item.module_id)
    return render(
        request,
        "coaching/summary.html",
        {
            "session": session,
            "is_moderator": viewing.is_moderator,
            "figures": figures,
            "mine": figures.of(request.user.pk),
            "polls": poll_results(session),
            "questions": list(questions),
            "action_items": items,
        },
    )
