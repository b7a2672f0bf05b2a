"""Blocks editors use inside instrument questions: options, rows, scale labels and bands."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class TranslatedTextBlock(blocks.StructBlock):
    fr = blocks.CharBlock(label=_("French"), max_length=500)
    ar = blocks.CharBlock(label=_("Arabic"), max_length=500, required=False)
    en = blocks.CharBlock(label=_("English"), max_length=500, required=False)

    class Meta:
        icon = "doc-full"
        label = _("Text")


class OptionBlock(TranslatedTextBlock):
    points = blocks.FloatBlock(
        label=_("Points or weight"),
        default=1,
        help_text=_(
            "Single choice: the option's points. Multiple choice: its weight (may be negative)."
        ),
    )
    exclusive = blocks.BooleanBlock(
        label=_("Exclusive (“none of these”)"), required=False, default=False
    )
    not_applicable = blocks.BooleanBlock(
        label=_("Not applicable (leaves the question out of the score)"),
        required=False,
        default=False,
    )

    class Meta:
        icon = "radio-full"
        label = _("Option")


class RowBlock(TranslatedTextBlock):
    class Meta:
        icon = "list-ul"
        label = _("Row")


class ScaleLabelBlock(TranslatedTextBlock):
    class Meta:
        icon = "tag"
        label = _("Scale label")


class BandBlock(blocks.StructBlock):
    min = blocks.FloatBlock(label=_("From (included)"))
    max = blocks.FloatBlock(label=_("To (excluded)"))
    points = blocks.FloatBlock(label=_("Points"))

    class Meta:
        icon = "order"
        label = _("Band")


class RecommendationBlock(blocks.StructBlock):
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[
            ("basic", _("Basic")),
            ("average", _("Average")),
            ("moderately_advanced", _("Moderately advanced")),
            ("advanced", _("Advanced")),
        ],
    )
    fr = blocks.TextBlock(label=_("French"))
    ar = blocks.TextBlock(label=_("Arabic"), required=False)
    en = blocks.TextBlock(label=_("English"), required=False)

    class Meta:
        icon = "pick"
        label = _("Recommendation")
