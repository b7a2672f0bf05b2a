"""Programmes and their cohorts ("promotions"): the companies that go through a programme
together, and the coaches who accompany them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import conf


def coaches_only():
    return Q(groups__name=conf.get("COACHING_COACH_GROUP"))


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A programme cannot end before it starts.")})


class Cohort(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=200)
    companies = models.ManyToManyField(
        "companies.Company",
        verbose_name=_("companies"),
        through="CohortCompany",
        related_name="cohorts",
        blank=True,
    )
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coaches"),
        related_name="coached_cohorts",
        limit_choices_to=coaches_only,
        blank=True,
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="one_cohort_name_per_programme"
            )
        ]

    def __str__(self):
        return f"{self.programme} · {self.name}"


class CohortCompany(models.Model):
    """A company's place in a cohort, dated: a move closes the place (`left_at`) and opens another
    one, so that the history stays. `Cohort.companies` reads every place, past ones included;
    who is in a cohort now is `coaching.placements.current_places()`."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="placements")
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="cohort_placements"
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("company in a cohort")
        verbose_name_plural = _("companies in cohorts")
        ordering = ["joined_at", "pk"]
        constraints = [
            # One place per programme at a time is kept by coaching.placements, under a lock:
            # the programme lives on the cohort, out of reach of a row constraint.
            models.UniqueConstraint(
                fields=["cohort", "company"],
                condition=Q(left_at__isnull=True),
                name="one_current_place_per_cohort",
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=F("joined_at")),
                name="place_left_after_joining",
            ),
        ]
        indexes = [models.Index(fields=["company", "left_at"], name="coaching_place_company")]

    def __str__(self):
        return f"{self.company} · {self.cohort}"

    @property
    def is_current(self):
        return self.left_at is None
