"""Instruments as editors write them, and the frozen versions that responses are scored with."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable

from .. import definition as definitions
from .. import question_types
from ..blocks import BandBlock, OptionBlock, RecommendationBlock, RowBlock, ScaleLabelBlock
from ..texts import localized
from .responses import Stage


def texts_of(obj, name):
    return {lang: getattr(obj, f"{name}_{lang}") for lang in ("fr", "ar", "en")}


def translated_row(name):
    return FieldRowPanel(
        [FieldPanel(f"{name}_fr"), FieldPanel(f"{name}_ar"), FieldPanel(f"{name}_en")]
    )


class Audience(models.TextChoices):
    COMPANY = "company", _("A company (answered by its lead)")
    PERSON = "person", _("A person (each employee for themselves)")


class Instrument(ClusterableModel):
    slug = models.SlugField(
        _("code"), unique=True, help_text=_("Used in exchange files, e.g. maturity-sme.")
    )
    audience = models.CharField(
        _("answered for"), max_length=16, choices=Audience.choices, default=Audience.COMPANY
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_fr = models.TextField(_("introduction (French)"), blank=True)
    intro_ar = models.TextField(_("introduction (Arabic)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    average_from = models.FloatField(_("“Average” from"), default=26)
    moderately_advanced_from = models.FloatField(_("“Moderately advanced” from"), default=51)
    advanced_from = models.FloatField(_("“Advanced” from"), default=76)
    live = models.BooleanField(
        _("open to respondents"),
        default=False,
        help_text=_("Respondents can start it only when it is open."),
    )
    open_until = models.CharField(
        _("stages open"),
        max_length=2,
        choices=[
            ("T0", _("T0 only (start of the programme)")),
            ("T1", _("Up to T1 (mid-programme)")),
            ("T2", _("All three, up to T2 (end of the programme)")),
        ],
        default="T0",
        help_text=_(
            "Stages are taken in order, each once. Open T1 at mid-programme and T2 at its end."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("live"), FieldPanel("open_until")]),
            ],
            heading=_("Instrument"),
        ),
        MultiFieldPanel([translated_row("title"), translated_row("intro")], heading=_("Texts")),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("average_from"),
                        FieldPanel("moderately_advanced_from"),
                        FieldPanel("advanced_from"),
                    ]
                )
            ],
            heading=_("Levels (score from which each level starts; “Basic” starts at 0)"),
        ),
        InlinePanel("dimensions", heading=_("Dimensions"), label=_("Dimension"), min_num=1),
        InlinePanel("questions", heading=_("Questions"), label=_("Question")),
    ]

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["slug"]

    def __str__(self):
        return localized(texts_of(self, "title")) or self.slug

    def stage_is_open(self, stage):
        return Stage.values.index(stage) <= Stage.values.index(self.open_until)

    @property
    def title(self):
        return localized(texts_of(self, "title"))

    def build_definition(self):
        """The instrument as it stands, in the definition format scoring reads."""
        return {
            "slug": self.slug,
            "audience": self.audience,
            "title": texts_of(self, "title"),
            "intro": texts_of(self, "intro"),
            "levels": [
                {"code": "basic", "min": 0},
                {"code": "average", "min": self.average_from},
                {"code": "moderately_advanced", "min": self.moderately_advanced_from},
                {"code": "advanced", "min": self.advanced_from},
            ],
            "dimensions": [d.as_definition() for d in self.dimensions.all()],
            "questions": [q.as_definition() for q in self.questions.all()],
        }

    def current_version(self):
        return self.versions.order_by("-number").first()

    @transaction.atomic
    def publish_version(self):
        """Freeze the instrument as it stands. The latest version is rewritten while nobody has
        answered it; once responses exist, a change makes a new version, so results stay
        reproducible."""
        built = self.build_definition()
        problems = definitions.errors(built)
        if problems:
            raise ValidationError(problems)
        latest = self.versions.select_for_update().order_by("-number").first()
        if latest is not None:
            frozen = {k: v for k, v in latest.definition.items() if k != "version"}
            if frozen == built:
                return latest
            if not latest.responses.exists():
                latest.definition = {**built, "version": latest.number}
                latest.save(update_fields=["definition"])
                return latest
        number = latest.number + 1 if latest else 1
        return self.versions.create(number=number, definition={**built, "version": number})


class Dimension(Orderable):
    instrument = ParentalKey(Instrument, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(_("code"), max_length=20, help_text=_("For example D1."))
    weight = models.FloatField(_("weight"), default=1)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    recommendations = StreamField(
        [("recommendation", RecommendationBlock())],
        verbose_name=_("recommendations per level"),
        blank=True,
    )

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("weight")]),
        translated_row("title"),
        translated_row("description"),
        FieldPanel("recommendations"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self):
        return self.code

    def as_definition(self):
        return {
            "code": self.code,
            "weight": self.weight,
            "title": texts_of(self, "title"),
            "description": texts_of(self, "description"),
            "recommendations": {
                block.value["level"]: {lang: block.value[lang] for lang in ("fr", "ar", "en")}
                for block in self.recommendations
            },
        }


class Question(Orderable):
    instrument = ParentalKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=20, help_text=_("For example Q1."))
    dimension_code = models.CharField(
        _("dimension"), max_length=20, help_text=_("Code of the dimension it counts towards.")
    )
    kind = models.CharField(_("type"), max_length=32, choices=question_types.choices)
    required = models.BooleanField(_("required"), default=False)
    text_fr = models.TextField(_("question (French)"))
    text_ar = models.TextField(_("question (Arabic)"), blank=True)
    text_en = models.TextField(_("question (English)"), blank=True)
    help_fr = models.TextField(_("hint (French)"), blank=True)
    help_ar = models.TextField(_("hint (Arabic)"), blank=True)
    help_en = models.TextField(_("hint (English)"), blank=True)
    options = StreamField([("option", OptionBlock())], verbose_name=_("options"), blank=True)
    rows = StreamField([("row", RowBlock())], verbose_name=_("grid rows"), blank=True)
    scale_labels = StreamField(
        [("label", ScaleLabelBlock())], verbose_name=_("scale labels"), blank=True
    )
    likert_points = models.PositiveSmallIntegerField(_("points on the likert scale"), default=5)
    bands = StreamField([("band", BandBlock())], verbose_name=_("number bands"), blank=True)
    condition_question = models.CharField(
        _("shown only if question"),
        max_length=20,
        blank=True,
        help_text=_("Code of an earlier choice question; leave empty to always show."),
    )
    condition_options = models.CharField(
        _("has one of the options"),
        max_length=100,
        blank=True,
        help_text=_("Option numbers, separated by commas, e.g. 1, 3."),
    )

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("dimension_code"), FieldPanel("kind")]),
        FieldPanel("required"),
        translated_row("text"),
        translated_row("help"),
        FieldPanel("options"),
        FieldPanel("rows"),
        FieldRowPanel([FieldPanel("likert_points")]),
        FieldPanel("scale_labels"),
        FieldPanel("bands"),
        FieldRowPanel([FieldPanel("condition_question"), FieldPanel("condition_options")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.code

    def condition_option_numbers(self):
        numbers = []
        for part in self.condition_options.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit():
                raise ValidationError(
                    _("Question %(code)s: “%(part)s” is not an option number.")
                    % {"code": self.code, "part": part}
                )
            numbers.append(int(part))
        return numbers

    def as_definition(self):
        value_key = "points" if self.kind == "single_choice" else "weight"
        built = {
            "code": self.code,
            "dimension": self.dimension_code,
            "type": self.kind,
            "required": self.required,
            "text": texts_of(self, "text"),
            "help": texts_of(self, "help"),
        }
        if self.options:
            built["options"] = [
                {
                    "text": {lang: b.value[lang] for lang in ("fr", "ar", "en")},
                    value_key: b.value["points"],
                    "exclusive": bool(b.value["exclusive"]),
                    "not_applicable": bool(b.value["not_applicable"]),
                }
                for b in self.options
            ]
        if self.rows:
            built["rows"] = [
                {"text": {lang: b.value[lang] for lang in ("fr", "ar", "en")}} for b in self.rows
            ]
        if self.scale_labels:
            built["scale_labels"] = [
                {lang: b.value[lang] for lang in ("fr", "ar", "en")} for b in self.scale_labels
            ]
        if self.kind == "likert":
            built["points"] = self.likert_points
        if self.bands:
            built["bands"] = [dict(b.value) for b in self.bands]
        if self.condition_question:
            built["condition"] = {
                "question": self.condition_question,
                "options": self.condition_option_numbers(),
            }
        return built


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="one_number_per_version")
        ]

    def __str__(self):
        return f"{self.instrument.slug} v{self.number}"
