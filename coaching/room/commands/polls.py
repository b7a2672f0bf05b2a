"""Polls: prepared in advance (a draft, from the session's page or in the room) or asked live;
results are live, one event per vote, and kept."""

from ...models import Poll, PollVote
from .. import log
from ..protocol import FrameError, Outcome, command
from ..validation import Boolean, Integer, Text, TextList

QUESTION_MAX_CHARS = 300
OPTION_MAX_CHARS = 200
MAX_OPTIONS = 6


def described(poll):
    return {"poll": poll.pk, "question": poll.question, "options": poll.options}


def results(poll):
    counts = poll.counts()
    return {"poll": poll.pk, "counts": counts, "total": sum(counts)}


def _poll(ctx, poll_id):
    poll = Poll.objects.select_for_update().filter(pk=poll_id, session_id=ctx.session_id).first()
    if poll is None:
        raise FrameError("no_such_poll", "poll")
    return poll


@command(
    "poll_create",
    fields={
        "question": Text(max_length=QUESTION_MAX_CHARS),
        "options": TextList(Text(max_length=OPTION_MAX_CHARS), 2, MAX_OPTIONS),
        "open": Boolean(),
    },
    moderator_only=True,
)
def poll_create(ctx, question, options, open):
    """A poll asked now, or prepared: a prepared poll is private to the moderators until one
    of them opens it."""
    poll = Poll.objects.create(
        session_id=ctx.session_id,
        question=question,
        options=options,
        status=Poll.Status.OPEN if open else Poll.Status.DRAFT,
        created_by_id=ctx.user_id,
    )
    if open:
        event = log.append(ctx.session_id, "poll_opened", described(poll), actor_id=ctx.user_id)
    else:
        event = log.append(
            ctx.session_id, "poll_prepared", described(poll), actor_id=ctx.user_id, private=True
        )
    return Outcome(events=[event])


@command("poll_open", fields={"poll": Integer()}, moderator_only=True)
def poll_open(ctx, poll):
    found = _poll(ctx, poll)
    if found.status != Poll.Status.DRAFT:
        raise FrameError("poll_not_draft", "poll")
    found.status = Poll.Status.OPEN
    found.save(update_fields=["status"])
    event = log.append(ctx.session_id, "poll_opened", described(found), actor_id=ctx.user_id)
    return Outcome(events=[event])


@command("poll_close", fields={"poll": Integer()}, moderator_only=True)
def poll_close(ctx, poll):
    found = _poll(ctx, poll)
    if found.status != Poll.Status.OPEN:
        raise FrameError("poll_not_open", "poll")
    found.status = Poll.Status.CLOSED
    found.save(update_fields=["status"])
    event = log.append(ctx.session_id, "poll_closed", results(found), actor_id=ctx.user_id)
    return Outcome(events=[event])


@command("poll_vote", fields={"poll": Integer(), "option": Integer(minimum=0, maximum=MAX_OPTIONS)})
def poll_vote(ctx, poll, option):
    """One vote per person and poll, which they may change while the poll is open. Votes are
    counted under the poll's lock, so each result follows from the one before."""
    found = _poll(ctx, poll)
    if found.status != Poll.Status.OPEN:
        raise FrameError("poll_not_open", "poll")
    if option >= len(found.options):
        raise FrameError("invalid_value", "option")
    vote, created = PollVote.objects.get_or_create(
        poll=found, user_id=ctx.user_id, defaults={"option": option}
    )
    if not created:
        if vote.option == option:
            return Outcome()
        vote.option = option
        vote.save(update_fields=["option", "voted_at"])
    event = log.append(ctx.session_id, "poll_results", results(found), actor_id=ctx.user_id)
    return Outcome(events=[event])
