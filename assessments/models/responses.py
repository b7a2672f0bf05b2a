"""Responses to instruments and the scores they earned."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    T0 = "T0", _("Start of the programme (T0)")
    T1 = "T1", _("Mid-programme (T1)")
    T2 = "T2", _("End of the programme (T2)")


class ResponseQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Response.Status.SUBMITTED)


class Response(models.Model):
    """One company's (or one person's) answers to one instrument at one stage. A draft keeps
    the answers given so far; submitting scores it with the version it was started on."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        REOPENED = "reopened", _("Reopened by a programme manager")

    class Source(models.TextChoices):
        WEB = "web", _("Answered online")
        IMPORT = "import", _("Imported")

    instrument = models.ForeignKey(
        "assessments.Instrument",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    version = models.ForeignKey(
        "assessments.InstrumentVersion",
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="assessment_responses",
        null=True,
        blank=True,
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person assessed"),
        on_delete=models.CASCADE,
        related_name="assessment_responses",
        null=True,
        blank=True,
        help_text=_("Set for instruments answered by each person for themselves."),
    )
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    stage = models.CharField(_("stage"), max_length=2, choices=Stage.choices, default=Stage.T0)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default="web")
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    step = models.PositiveSmallIntegerField(_("step reached"), default=0)
    overall = models.FloatField(_("overall score"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=32, blank=True)
    scores = models.JSONField(_("dimension scores"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment response")
        verbose_name_plural = _("assessment responses")
        constraints = [
            # One live response per company, instrument and stage (a reopened one steps aside).
            models.UniqueConstraint(
                fields=["instrument", "company", "stage"],
                condition=Q(person__isnull=True) & ~Q(status="reopened"),
                name="one_company_response_per_stage",
            ),
            models.UniqueConstraint(
                fields=["instrument", "person", "stage"],
                condition=Q(person__isnull=False) & ~Q(status="reopened"),
                name="one_person_response_per_stage",
            ),
            models.CheckConstraint(
                condition=Q(company__isnull=False) | Q(person__isnull=False),
                name="response_has_a_subject",
            ),
        ]
        # Latest results per company or person: what paths, results and dashboards read.
        indexes = [
            models.Index(fields=["company", "status", "submitted_at"]),
            models.Index(fields=["person", "status", "submitted_at"]),
        ]

    def __str__(self):
        subject = self.person or self.company
        return f"{self.instrument.slug} · {subject} · {self.stage}"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED


class DimensionScore(models.Model):
    """A submitted response's score in one dimension, as a row so that programmes can average
    and compare scores in the database."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="dimension_scores"
    )
    code = models.CharField(_("dimension"), max_length=20)
    score = models.FloatField(_("score"), null=True)

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        constraints = [
            models.UniqueConstraint(fields=["response", "code"], name="one_score_per_dimension")
        ]

    def __str__(self):
        return f"{self.code}: {self.score}"
