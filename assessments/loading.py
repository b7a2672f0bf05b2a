"""Install an instrument from a definition (the JSON format of `definition.py`): used for the
instruments shipped as demo content and by tests. Running it again updates the instrument in
place, and its version only changes if the definition did."""

from django.db import transaction

from .models import Dimension, Instrument, Question

LANGS = ("fr", "ar", "en")


def _texts(prefix, texts):
    texts = texts or {}
    return {f"{prefix}_{lang}": texts.get(lang, "") for lang in LANGS}


def _stream_texts(items, kind, extra=lambda item: {}):
    return [
        (kind, {**{lang: item_text(item).get(lang, "") for lang in LANGS}, **extra(item)})
        for item in items
    ]


def item_text(item):
    return item.get("text", item) if isinstance(item, dict) else {}


@transaction.atomic
def install_instrument(definition, *, live=True):
    levels = {band["code"]: band["min"] for band in definition.get("levels", [])}
    instrument, _created = Instrument.objects.update_or_create(
        slug=definition["slug"],
        defaults={
            "audience": definition.get("audience", "company"),
            "live": live,
            # Which stages are open is the programme's decision, not the content's: set only
            # when the definition says so, so re-installing keeps what a manager chose.
            **({"open_until": definition["open_until"]} if "open_until" in definition else {}),
            "average_from": levels.get("average", 26),
            "moderately_advanced_from": levels.get("moderately_advanced", 51),
            "advanced_from": levels.get("advanced", 76),
            **_texts("title", definition.get("title")),
            **_texts("intro", definition.get("intro")),
        },
    )
    instrument.dimensions.all().delete()
    instrument.questions.all().delete()
    for order, dimension in enumerate(definition["dimensions"]):
        Dimension.objects.create(
            instrument=instrument,
            sort_order=order,
            code=dimension["code"],
            weight=dimension.get("weight", 1),
            recommendations=[
                (
                    "recommendation",
                    {"level": level, **{lang: texts.get(lang, "") for lang in LANGS}},
                )
                for level, texts in dimension.get("recommendations", {}).items()
            ],
            **_texts("title", dimension.get("title")),
            **_texts("description", dimension.get("description")),
        )
    for order, question in enumerate(definition["questions"]):
        condition = question.get("condition") or {}
        Question.objects.create(
            instrument=instrument,
            sort_order=order,
            code=question["code"],
            dimension_code=question["dimension"],
            kind=question["type"],
            required=question.get("required", False),
            likert_points=question.get("points", 5),
            options=_stream_texts(
                question.get("options", []),
                "option",
                lambda o: {
                    "points": o.get("points", o.get("weight", 1)),
                    "exclusive": o.get("exclusive", False),
                    "not_applicable": o.get("not_applicable", False),
                },
            ),
            rows=_stream_texts(question.get("rows", []), "row"),
            scale_labels=_stream_texts(question.get("scale_labels", []), "label"),
            bands=[("band", dict(band)) for band in question.get("bands", [])],
            condition_question=condition.get("question", ""),
            condition_options=", ".join(str(n) for n in condition.get("options", [])),
            **_texts("text", question.get("text")),
            **_texts("help", question.get("help")),
        )
    instrument.publish_version()
    return instrument
