"""Importing an exchange file (see exchange.py) as submitted responses of existing companies
or people: all of them, or none when any has a problem, with a report on each response."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from virage_site.companies.models import Company, Membership
from virage_site.companies.validators import ICE_PATTERN, normalise_ice

from .exchange import STAGES, require_answers
from .levels import level_label
from .models import Response
from .services.responses import record_result

IMPORTED, READY, FAILED = "imported", "ready", "failed"


@dataclass
class ReportRow:
    """What became of one response of an import, for the command's output and the admin."""

    position: int
    subject: str
    instrument: str
    stage: str
    outcome: str
    overall: float | None = None
    level: str = ""
    problems: list = field(default_factory=list)

    @property
    def result(self):
        if self.overall is None:
            return _("no score (every question was left out or not applicable)")
        return _("%(overall)s/100, %(level)s") % {
            # number_format cuts decimals off rather than rounding them.
            "overall": number_format(round(self.overall, 1), decimal_pos=1),
            "level": level_label(self.level),
        }

    @property
    def outcome_text(self):
        if self.outcome == IMPORTED:
            return _("imported: %(result)s") % {"result": self.result}
        if self.outcome == READY:
            return _("can be imported: %(result)s") % {"result": self.result}
        return _("not imported")

    def lines(self):
        head = _(
            "Response %(position)s: %(subject)s · %(instrument)s · %(stage)s → %(outcome)s"
        ) % {
            "position": self.position,
            "subject": self.subject,
            "instrument": self.instrument,
            "stage": self.stage,
            "outcome": self.outcome_text,
        }
        return [head, *(f"    - {problem}" for problem in self.problems)]


@dataclass
class ImportReport:
    rows: list
    dry_run: bool
    imported: bool = False
    error: str = ""

    @property
    def failed(self):
        return [row for row in self.rows if row.outcome == FAILED]

    @property
    def ok(self):
        return not self.error and not self.failed

    def summary(self):
        count = len(self.rows)
        if self.error:
            return self.error
        if self.failed:
            return ngettext(
                "Nothing was imported: %(failed)s of %(count)s responses has errors. "
                "Correct the file and import it again.",
                "Nothing was imported: %(failed)s of %(count)s responses have errors. "
                "Correct the file and import it again.",
                len(self.failed),
            ) % {"failed": len(self.failed), "count": count}
        if self.dry_run:
            return ngettext(
                "Check only: the %(count)s response can be imported; nothing was saved.",
                "Check only: the %(count)s responses can be imported; nothing was saved.",
                count,
            ) % {"count": count}
        return ngettext("%(count)s response imported.", "%(count)s responses imported.", count) % {
            "count": count
        }


class _Conflict(Exception):
    """A draft was submitted online while the import ran: the import is rolled back."""


def import_entries(entries, *, filled_by=None, dry_run=False):
    """Save `entries` as submitted responses, all or none. Each is scored with its instrument's
    current version through `record_result`, so results are announced as for online answers.
    A stage already submitted is refused (a programme manager reopens it first); a draft of
    the same stage is completed with the imported answers."""
    _find_subjects(entries)
    for entry in entries:
        require_answers(entry)
    report = ImportReport(rows=[], dry_run=dry_run)
    results = {}
    if not dry_run and not any(entry.problems for entry in entries):
        try:
            with transaction.atomic():
                for entry in entries:
                    results[entry.position] = _save(entry, filled_by)
            report.imported = True
        except (_Conflict, IntegrityError):
            results = {}
            report.error = _(
                "Nothing was imported: another response was submitted for one of these companies "
                "or people during the import. Check the file again."
            )
    if not report.imported:
        results = {e.position: e.score() for e in entries if not e.problems}
    report.rows = [_row(entry, results.get(entry.position), report) for entry in entries]
    return report


def _row(entry, result, report):
    if entry.problems or result is None:
        outcome = FAILED
    else:
        outcome = IMPORTED if report.imported else READY
    if entry.company is not None:
        subject = f"{entry.company.name} (ICE {entry.company.ice})"
    else:
        subject = str(entry.raw.get("company", "—"))
    if entry.raw.get("person"):
        subject = f"{entry.raw['person']} · {subject}"
    return ReportRow(
        position=entry.position,
        subject=subject,
        instrument=str(entry.raw.get("instrument", "—")),
        stage=str(entry.raw.get("stage", "—")),
        outcome=outcome,
        overall=result.overall if result else None,
        level=result.level if result else "",
        problems=list(entry.problems),
    )


def _save(entry, filled_by):
    if entry.draft is not None:
        response = (
            Response.objects.select_for_update()
            .filter(pk=entry.draft.pk, status=Response.Status.DRAFT)
            .first()
        )
        if response is None:
            raise _Conflict
    else:
        response = Response(
            instrument=entry.instrument,
            company=entry.company,
            person=entry.person,
            stage=entry.stage,
        )
    response.company = entry.company or response.company
    response.version = entry.version
    response.answers = entry.answers
    response.source = Response.Source.IMPORT
    response.filled_by = filled_by
    return record_result(response, entry.definition)


def company_reference(value):
    """("id", number) or ("ice", fifteen digits) for a company as a file gives it, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        # Ids fit a database integer: a longer number is no company, not a database error.
        return ("id", value) if 0 < value < 10**18 else None
    if isinstance(value, str):
        digits = normalise_ice(value)
        if ICE_PATTERN.fullmatch(digits):
            return ("ice", digits)
        if digits.isascii() and digits.isdigit() and len(digits) < 15:
            return ("id", int(digits))
    return None


def _find_subjects(entries):
    """Find each entry's company, person and any live response of the same stage, in a fixed
    number of queries whatever the number of entries."""
    checked = [e for e in entries if e.instrument is not None]
    references = {e.position: company_reference(e.raw.get("company")) for e in checked}
    ids = {ref[1] for ref in references.values() if ref and ref[0] == "id"}
    ices = {ref[1] for ref in references.values() if ref and ref[0] == "ice"}
    companies = {}
    if ids or ices:
        for company in Company.objects.filter(Q(pk__in=ids) | Q(ice__in=ices)):
            companies[("id", company.pk)] = companies[("ice", company.ice)] = company
    emails = {
        e.raw["person"].strip().lower() for e in checked if isinstance(e.raw.get("person"), str)
    }
    people = {u.email.lower(): u for u in get_user_model().objects.filter(email__in=emails)}
    memberships = set()
    if people and companies:
        memberships = set(
            Membership.objects.filter(
                user__in=people.values(), company__in=set(companies.values())
            ).values_list("user_id", "company_id")
        )
    for entry in checked:
        _attach_company(entry, references[entry.position], companies)
        if entry.instrument.audience == "person":
            _attach_person(entry, people, memberships)
    _find_live_responses(checked)


def _attach_company(entry, reference, companies):
    value = entry.raw.get("company")
    if value is None:
        if entry.instrument.audience != "person":
            entry.problems.append(_("the key “company” is missing: give the company's ICE or id."))
        return
    if reference is None:
        entry.problems.append(
            _("“%(company)s” is neither an ICE (15 digits) nor a company id.") % {"company": value}
        )
        return
    entry.company = companies.get(reference)
    if entry.company is None:
        message = (
            _("no company has the ICE %(value)s.")
            if reference[0] == "ice"
            else _("no company has the id %(value)s.")
        )
        entry.problems.append(message % {"value": reference[1]})


def _attach_person(entry, people, memberships):
    email = entry.raw.get("person")
    if email is None:
        entry.problems.append(
            _("the key “person” is missing: give the email address of the person who answered.")
        )
        return
    if not isinstance(email, str) or "@" not in email:
        entry.problems.append(_("“%(person)s” is not an email address.") % {"person": email})
        return
    entry.person = people.get(email.strip().lower())
    if entry.person is None:
        entry.problems.append(_("nobody has the email address “%(email)s”.") % {"email": email})
    elif entry.company is not None and (entry.person.pk, entry.company.pk) not in memberships:
        entry.problems.append(
            _("%(email)s is not a member of the company “%(company)s”.")
            % {"email": email, "company": entry.company.name}
        )


def _subject_key(instrument, company_id, person_id):
    if instrument.audience == "person":
        return ("person", person_id)
    return ("company", company_id)


def _find_live_responses(entries):
    """Refuse a stage already submitted (importing never overwrites a result) or given twice in
    the file, or being answered online; note an untouched draft of the stage (one a programme
    manager reopened), which the import completes."""
    identified = [
        e
        for e in entries
        if e.stage in STAGES and (e.person if e.instrument.audience == "person" else e.company)
    ]
    if not identified:
        return
    live = (
        Response.objects.filter(instrument__in={e.instrument for e in identified})
        .filter(
            Q(person__isnull=True, company__in={e.company for e in identified if e.company})
            | Q(person__in={e.person for e in identified if e.person})
        )
        .exclude(status=Response.Status.REOPENED)
        .select_related("instrument")
    )
    existing = {
        (r.instrument_id, _subject_key(r.instrument, r.company_id, r.person_id), r.stage): r
        for r in live
    }
    first_seen = {}
    for entry in identified:
        key = (
            entry.instrument.pk,
            _subject_key(
                entry.instrument,
                entry.company.pk if entry.company else None,
                entry.person.pk if entry.person else None,
            ),
            entry.stage,
        )
        if key in first_seen:
            message = (
                _(
                    "response %(earlier)s already gives this stage of this instrument for the "
                    "same person."
                )
                if entry.instrument.audience == "person"
                else _(
                    "response %(earlier)s already gives this stage of this instrument for the "
                    "same company."
                )
            )
            entry.problems.append(message % {"earlier": first_seen[key]})
            continue
        first_seen[key] = entry.position
        response = existing.get(key)
        if response is None:
            continue
        if response.is_submitted:
            entry.problems.append(
                _(
                    "stage %(stage)s of “%(slug)s” is already submitted; an import never "
                    "overwrites a result. A programme manager can reopen that response "
                    "(Assessments → Responses), then import again."
                )
                % {"stage": entry.stage, "slug": entry.instrument.slug}
            )
        elif response.filled_by_id is not None and response.answers:
            # Someone is answering this stage online: importing over it would lose their work.
            entry.problems.append(
                _(
                    "stage %(stage)s of “%(slug)s” is being answered online (answers last saved "
                    "%(saved)s); it can be finished and submitted there."
                )
                % {
                    "stage": entry.stage,
                    "slug": entry.instrument.slug,
                    "saved": date_format(localtime(response.updated_at), "DATETIME_FORMAT"),
                }
            )
        else:
            entry.draft = response
