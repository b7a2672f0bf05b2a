"""The exchange format: responses as a JSON list, read by `score_responses`, `import_responses`
and the admin import, and written by `export_responses`.

    [{"company": "001234567000089", "instrument": "maturity-sme", "stage": "T0",
      "answers": {"Q1": {"1": ["done", "planned"]}, "Q2": [1, 2, 5], "Q4": {"1": 0, "3": 3},
                  "Q11": {"1": "partially", "2": "no"}}}]

- "company": the company's ICE (spaces, dots or dashes between digit groups are fine) or its
  numeric id. Importing needs it for instruments answered for a company; scoring does not look
  it up (it only names the response in messages).
- "person": for instruments each person answers for themselves, the person's email address;
  "company" is then optional and, when given, must be a company the person belongs to.
- "instrument": the instrument's code (slug); "stage": "T0", "T1" or "T2".
- "answers": question code → answer, in the shape `question_types` stores (answers are stored in
  this same format, so importing is cleaning then recording, and exporting writes what is
  stored). Rows left out of a grid count as 0 / "no" / nothing ticked, a multiple-choice
  question left out as nothing ticked; other questions left out are out of their dimension's
  mean, as unanswered questions are. Answers to conditional questions that the other answers
  hide are dropped, as when answering online.

Any other key is refused, so that a misspelt key is not silently ignored. Every problem names
the response (its position in the list, from 1, and its company when given) and the code at
fault. Responses are scored with their instrument's current version.
"""

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import definition as definitions
from . import question_types, scoring
from .models import Instrument, Response, Stage
from .services.responses import visible_answers

KEYS = ("company", "person", "instrument", "stage", "answers")
REQUIRED_KEYS = ("instrument", "stage", "answers")
STAGES = tuple(Stage.values)


class ExchangeError(Exception):
    """A file that cannot be read as a list of responses at all; the message says why."""


def load(raw):
    """The list of responses in `raw` (bytes or text of a JSON file)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ExchangeError(_("The file is not UTF-8 text: save it as UTF-8 JSON.")) from None
    try:
        data = json.loads(raw.lstrip("\ufeff"))
    except json.JSONDecodeError as error:
        raise ExchangeError(
            _("The file is not valid JSON (line %(line)s, column %(column)s: %(reason)s).")
            % {"line": error.lineno, "column": error.colno, "reason": error.msg}
        ) from None
    except RecursionError:
        raise ExchangeError(_("The file nests lists or objects too deeply to be read.")) from None
    if not isinstance(data, list):
        raise ExchangeError(
            _("The file must hold a JSON list of responses, [{…}, {…}], not a single value.")
        )
    return data


@dataclass
class Entry:
    """One response of an exchange file, as read and checked."""

    position: int
    raw: dict
    instrument: Instrument | None = None
    version: object = None
    answers: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    # Found when importing (see importing.py):
    company: object = None
    person: object = None
    draft: Response | None = None

    @property
    def stage(self):
        return self.raw.get("stage")

    @property
    def definition(self):
        return self.version.definition

    def label(self):
        if self.raw.get("company") is not None:
            return _("Response %(position)s (company “%(company)s”)") % {
                "position": self.position,
                "company": self.raw["company"],
            }
        return _("Response %(position)s") % {"position": self.position}

    def messages(self):
        return [f"{self.label()}: {problem}" for problem in self.problems]

    def score(self):
        return scoring.score(self.definition, self.answers)


def read(data):
    """Entries for the loaded list `data`, each checked for its shape, instrument, stage and
    answers; problems are on the entries, so that a file is reported in full at once."""
    entries = [
        Entry(position, item if isinstance(item, dict) else {})
        for position, item in enumerate(data, 1)
    ]
    slugs = {e.raw.get("instrument") for e in entries if isinstance(e.raw.get("instrument"), str)}
    instruments = {i.slug: i for i in Instrument.objects.filter(slug__in=slugs)}
    versions = {slug: instrument.current_version() for slug, instrument in instruments.items()}
    for entry, item in zip(entries, data, strict=True):
        if not isinstance(item, dict):
            entry.problems.append(
                _("each response must be an object with the keys %(keys)s.")
                % {"keys": ", ".join(REQUIRED_KEYS)}
            )
            continue
        _check_keys(entry)
        _check_instrument(entry, instruments, versions)
        if "stage" in entry.raw and entry.stage not in STAGES:
            entry.problems.append(
                _("unknown stage “%(stage)s”: use T0, T1 or T2.") % {"stage": entry.stage}
            )
        if entry.version is not None and "answers" in entry.raw:
            _check_answers(entry)
    return entries


def problems(entries):
    """Every problem of `entries`, each naming its response."""
    return [message for entry in entries for message in entry.messages()]


def _check_keys(entry):
    unknown = sorted(str(key) for key in entry.raw if key not in KEYS)
    if unknown:
        entry.problems.append(
            _("unknown key %(unknown)s: a response has only %(keys)s.")
            % {"unknown": ", ".join(f"“{key}”" for key in unknown), "keys": ", ".join(KEYS)}
        )
    for key in REQUIRED_KEYS:
        if key not in entry.raw:
            entry.problems.append(_("the key “%(key)s” is missing.") % {"key": key})


def _check_instrument(entry, instruments, versions):
    if "instrument" not in entry.raw:
        return
    slug = entry.raw["instrument"]
    instrument = instruments.get(slug) if isinstance(slug, str) else None
    if instrument is None:
        entry.problems.append(_("unknown instrument “%(slug)s”.") % {"slug": slug})
        return
    if versions[slug] is None:
        entry.problems.append(
            _("the instrument “%(slug)s” has no published version yet.") % {"slug": slug}
        )
        return
    entry.instrument, entry.version = instrument, versions[slug]
    if "person" in entry.raw and instrument.audience != "person":
        entry.problems.append(
            _(
                "“person” is only for instruments each person answers for themselves; "
                "“%(slug)s” is answered for a company."
            )
            % {"slug": slug}
        )


def _check_answers(entry):
    cleaned, found = definitions.clean_answers(entry.definition, entry.raw["answers"])
    for code, message in found.items():
        entry.problems.append(
            _("question %(code)s: %(message)s") % {"code": code, "message": message}
            if code
            else message
        )
    # Answers of questions hidden by the other answers do not count, as online.
    entry.answers = visible_answers(entry.definition, cleaned)


def export(instrument=None, stage=None):
    """Submitted responses as exchange objects (company as ICE), in one query."""
    responses = Response.objects.submitted().select_related("instrument", "company", "person")
    if instrument is not None:
        responses = responses.filter(instrument=instrument)
    if stage:
        responses = responses.filter(stage=stage)
    objects = []
    for response in responses.order_by("instrument__slug", "stage", "company__ice", "pk"):
        item = {}
        if response.company_id:
            item["company"] = response.company.ice
        if response.person_id:
            item["person"] = response.person.email
        item.update(
            instrument=response.instrument.slug, stage=response.stage, answers=response.answers
        )
        objects.append(item)
    return objects


def dumps(objects):
    return json.dumps(objects, ensure_ascii=False, indent=2)


def require_answers(entry):
    """Saving a response needs its required questions answered, as online: a statement left
    out would otherwise drop out of the mean and lift the score. Grid rows and multiple choices
    left out are answers (nothing ticked), as the format says. Scoring alone does not ask."""
    if entry.problems or entry.answers is None:
        return
    questions = definitions.questions_by_code(entry.definition)
    missing = [
        code
        for code in definitions.missing_required(entry.definition, entry.answers)
        if not question_types.get(questions[code]["type"]).empty_is_answer
    ]
    if missing:
        entry.problems.append(
            _("required questions are not answered: %(codes)s.") % {"codes": ", ".join(missing)}
        )
