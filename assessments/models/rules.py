"""Path rules: editors' rules that turn results into each company's and each person's path."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class RuleSet(ClusterableModel):
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active rule sets shape people's paths.")
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("active")]),
        InlinePanel("rules", heading=_("Rules"), label=_("Rule")),
    ]

    class Meta:
        verbose_name = _("path rule set")
        verbose_name_plural = _("path rule sets")

    def __str__(self):
        return self.name


class PathRule(Orderable):
    class Audience(models.TextChoices):
        COMPANY = "company", _("The company's path (everyone in the company)")
        PERSON = "person", _("The person's own path (skills self-check)")

    class Condition(models.TextChoices):
        SCORE = "score", _("A score lies in a range")
        COMPLETED = "completed", _("A module or course is completed")
        QUIZ = "quiz", _("A quiz score reaches a mark")

    class Action(models.TextChoices):
        RECOMMEND = "recommend", _("Recommend")
        REQUIRE = "require", _("Require")
        UNLOCK = "unlock", _("Unlock")

    rule_set = ParentalKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    audience = models.CharField(
        _("path"), max_length=16, choices=Audience.choices, default=Audience.COMPANY
    )
    condition = models.CharField(
        _("when"), max_length=16, choices=Condition.choices, default=Condition.SCORE
    )
    instrument = models.ForeignKey(
        "assessments.Instrument",
        verbose_name=_("instrument"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    dimension_code = models.CharField(
        _("dimension"),
        max_length=20,
        blank=True,
        help_text=_("Dimension code, e.g. D4; leave empty for the overall score."),
    )
    min_score = models.FloatField(
        _("score from (included)"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    max_score = models.FloatField(
        _("score below (excluded; 100 includes 100)"),
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    condition_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("module, course or quiz"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    quiz_min_percent = models.FloatField(
        _("quiz mark (%)"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    action = models.CharField(
        _("then"), max_length=16, choices=Action.choices, default=Action.RECOMMEND
    )
    target = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course or module"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    priority = models.IntegerField(
        _("priority"), default=10, help_text=_("Lower numbers come first in the path.")
    )

    panels = [
        FieldRowPanel([FieldPanel("audience"), FieldPanel("condition")]),
        MultiFieldPanel(
            [
                FieldPanel("instrument"),
                FieldRowPanel(
                    [FieldPanel("dimension_code"), FieldPanel("min_score"), FieldPanel("max_score")]
                ),
            ],
            heading=_("When a score lies in a range"),
        ),
        MultiFieldPanel(
            [FieldPanel("condition_page"), FieldPanel("quiz_min_percent")],
            heading=_("When a module is completed or a quiz passed"),
        ),
        FieldRowPanel([FieldPanel("action"), FieldPanel("target"), FieldPanel("priority")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("path rule")
        verbose_name_plural = _("path rules")

    def __str__(self):
        return f"{self.get_action_display()} → {self.target_id}"
