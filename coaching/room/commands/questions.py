"""Questions and answers: anyone asks, everyone upvotes (not their own question), a coach marks
questions answered. Question texts are plain text."""

from ...models import Question, QuestionVote
from .. import log
from ..protocol import FrameError, Outcome, command
from ..validation import Boolean, Integer, Text

QUESTION_MAX_CHARS = 1000


def _question(ctx, question_id):
    found = (
        Question.objects.select_for_update()
        .filter(pk=question_id, session_id=ctx.session_id)
        .first()
    )
    if found is None:
        raise FrameError("no_such_question", "question")
    return found


@command("question_ask", fields={"text": Text(max_length=QUESTION_MAX_CHARS)})
def question_ask(ctx, text):
    question = Question.objects.create(session_id=ctx.session_id, author_id=ctx.user_id, text=text)
    event = log.append(
        ctx.session_id,
        "question_asked",
        {"question": question.pk, "name": ctx.name, "text": text},
        actor_id=ctx.user_id,
    )
    return Outcome(events=[event])


@command("question_upvote", fields={"question": Integer()})
def question_upvote(ctx, question):
    """Upvotes the question, or withdraws the upvote if the person had given it. One's own
    question is not upvoted: asking it says as much."""
    found = _question(ctx, question)
    if found.author_id == ctx.user_id:
        raise FrameError("own_question", "question")
    withdrawn, _kinds = QuestionVote.objects.filter(question=found, user_id=ctx.user_id).delete()
    if not withdrawn:
        QuestionVote.objects.create(question=found, user_id=ctx.user_id)
    event = log.append(
        ctx.session_id,
        "question_votes",
        {"question": found.pk, "votes": found.votes.count(), "voted": not withdrawn},
        actor_id=ctx.user_id,
    )
    return Outcome(events=[event])


@command(
    "question_answered",
    fields={"question": Integer(), "answered": Boolean(required=False)},
    moderator_only=True,
)
def question_answered(ctx, question, answered):
    answered = True if answered is None else answered
    found = _question(ctx, question)
    if found.answered == answered:
        return Outcome()
    found.answered = answered
    found.save(update_fields=["answered"])
    event = log.append(
        ctx.session_id,
        "question_answered",
        {"question": found.pk, "answered": answered},
        actor_id=ctx.user_id,
    )
    return Outcome(events=[event])
