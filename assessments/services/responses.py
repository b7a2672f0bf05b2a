"""Starting, saving, submitting and reopening responses. Views and imports both come here, so
a response is scored, stored and announced the same way whatever its source."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import definition as definitions
from .. import scoring
from ..models import DimensionScore, Response, Stage
from ..signals import result_recorded

STAGE_ORDER = [Stage.T0, Stage.T1, Stage.T2]


class ResponseError(Exception):
    """Something a person tried that cannot be done; the message says why."""


def subject_filter(instrument, company=None, person=None):
    if instrument.audience == "person":
        return {"instrument": instrument, "person": person}
    return {"instrument": instrument, "company": company, "person": None}


def live_responses(instrument, company=None, person=None):
    return Response.objects.filter(**subject_filter(instrument, company, person)).exclude(
        status=Response.Status.REOPENED
    )


def next_stage(instrument, company=None, person=None):
    """The stage to take now: the earliest one not yet submitted (a draft counts as the one to
    resume). None once all three are submitted."""
    submitted = set(
        live_responses(instrument, company, person)
        .filter(status=Response.Status.SUBMITTED)
        .values_list("stage", flat=True)
    )
    return first_stage_not_in(submitted)


def first_stage_not_in(submitted):
    """The earliest stage not among `submitted`; None once all three are."""
    return next((stage for stage in STAGE_ORDER if stage not in submitted), None)


def start_or_resume(instrument, stage, *, company=None, person=None, filled_by=None):
    """The draft for this subject and stage, created if needed; a submitted stage is closed."""
    existing = live_responses(instrument, company, person).filter(stage=stage).first()
    if existing is not None:
        if existing.is_submitted:
            raise ResponseError(
                _("This stage has already been submitted. A programme manager can reopen it.")
            )
        return existing
    if stage != next_stage(instrument, company, person):
        raise ResponseError(_("Take the stages in order: this one is not open yet."))
    version = instrument.current_version()
    if version is None or not instrument.live:
        raise ResponseError(_("This assessment is not open yet."))
    if not instrument.stage_is_open(stage):
        raise ResponseError(
            _("Stage %(stage)s is not open yet: the programme opens it when its time comes.")
            % {"stage": stage}
        )
    previous = (
        live_responses(instrument, company, person)
        .filter(status=Response.Status.SUBMITTED)
        .order_by("-submitted_at")
        .first()
    )
    try:
        with transaction.atomic():
            return Response.objects.create(
                instrument=instrument,
                version=version,
                company=company,
                person=person,
                filled_by=filled_by,
                stage=stage,
                # A re-assessment starts from the last answers, to be updated, not retyped.
                answers=carry_over(previous.answers, version.definition) if previous else {},
            )
    except IntegrityError:
        # Two tabs started the same stage at once: both continue the one that won.
        return live_responses(instrument, company, person).get(stage=stage)


def save_answers(response, raw_answers, *, step=None, replace_codes=()):
    """Merge `raw_answers` into a draft. Returns {code: message} for answers that do not fit;
    when there are any, nothing is saved. `replace_codes` are questions shown on the step just
    sent: an answer cleared there is removed, not kept from before."""
    if response.status != Response.Status.DRAFT:
        raise ResponseError(_("This response has been submitted and can no longer be changed."))
    definition = response.version.definition
    cleaned, problems = definitions.clean_answers(definition, raw_answers)
    if problems:
        return problems
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.status != Response.Status.DRAFT:
            raise ResponseError(_("This response has been submitted and can no longer be changed."))
        answers = {k: v for k, v in locked.answers.items() if k not in replace_codes}
        answers.update(cleaned)
        locked.answers = answers
        fields = ["answers", "updated_at"]
        if step is not None and step > locked.step:
            locked.step = step
            fields.append("step")
        locked.save(update_fields=fields)
    response.answers, response.step = locked.answers, locked.step
    return {}


def visible_answers(definition, answers):
    """The answers that count: those of questions shown, given the other answers."""
    shown = scoring.shown_questions(definition, answers)
    return {code: value for code, value in answers.items() if code in shown}


@transaction.atomic
def submit(response):
    """Score and close a draft. Raises ResponseError naming the required questions left."""
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.status != Response.Status.DRAFT:
        raise ResponseError(_("This stage has already been submitted."))
    definition = locked.version.definition
    missing = definitions.missing_required(definition, locked.answers)
    if missing:
        raise ResponseError(
            _("Some required questions are not answered yet: %(codes)s.")
            % {"codes": ", ".join(missing)}
        )
    locked.answers = visible_answers(definition, locked.answers)
    record_result(locked, definition)
    response.refresh_from_db()
    return response


def record_result(response, definition):
    """Store the scores of `response` (already holding its final answers) and announce them."""
    result = scoring.score(definition, response.answers)
    response.overall = result.overall
    response.level = result.level or ""
    response.scores = result.dimensions
    response.status = Response.Status.SUBMITTED
    response.submitted_at = response.submitted_at or timezone.now()
    is_new = response._state.adding
    response.save()
    if not is_new:
        DimensionScore.objects.filter(response=response).delete()
    DimensionScore.objects.bulk_create(
        DimensionScore(response=response, code=code, score=value)
        for code, value in result.dimensions.items()
    )
    transaction.on_commit(lambda: result_recorded.send(sender=Response, response=response))
    return result


@transaction.atomic
def reopen(response):
    """Let a submitted stage be taken again. The old response stays, marked reopened, so its
    scores remain on record; the new draft starts from its answers."""
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.status != Response.Status.SUBMITTED:
        raise ResponseError(_("Only a submitted response can be reopened."))
    locked.status = Response.Status.REOPENED
    locked.reopened_at = timezone.now()
    locked.save(update_fields=["status", "reopened_at", "updated_at"])
    version = locked.instrument.current_version() or locked.version
    return Response.objects.create(
        instrument=locked.instrument,
        version=version,
        company=locked.company,
        person=locked.person,
        filled_by=None,
        stage=locked.stage,
        answers=carry_over(locked.answers, version.definition),
    )


def carry_over(answers, definition):
    """The answers that still fit `definition` (a newer version may have changed questions)."""
    kept = {}
    for code, value in answers.items():
        cleaned, problems = definitions.clean_answers(definition, {code: value})
        if not problems:
            kept.update(cleaned)
    return kept
