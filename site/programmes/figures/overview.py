"""The programme overview's figures, each a Table over a Selection of companies.

Every function runs a fixed number of aggregate queries (noted on each), whatever the number of
companies, people or sessions: the counting happens in the database, never in a loop over
companies. Assessment, course and coaching rows are only read, through their models."""

from django.db.models import Avg, CharField, Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from assessments.levels import LEVEL_LABELS
from assessments.models import DimensionScore, Instrument, Response, Stage
from assessments.texts import localized
from coaching.models import ActionItem, Attendance, Cohort, LiveSession
from courses.models import Certificate, CoursePage, Enrolment
from virage_site.companies.models import Invitation, Membership

from .selection import current_place
from .tables import Chart, Table, average, share

STAGES = list(Stage.values)
LEVELS = list(LEVEL_LABELS)


def onboarding(selection):
    """Companies imported, whose lead was invited, and onboarded (a lead has joined): 1 query."""
    lead_invited = Invitation.objects.filter(
        company=OuterRef("pk"), role=Membership.Role.LEAD, revoked_at__isnull=True
    )
    lead_joined = Membership.objects.filter(company=OuterRef("pk"), role=Membership.Role.LEAD)
    totals = selection.companies().aggregate(
        total=Count("pk"),
        invited=Count("pk", filter=Exists(lead_invited) | Exists(lead_joined)),
        onboarded=Count("pk", filter=Exists(lead_joined)),
    )
    total = totals["total"]
    return Table(
        name="companies",
        title=_("Companies"),
        columns=[
            _("Step"),
            _("Companies"),
            # xgettext:no-python-format
            _("% of imported"),
        ],
        rows=[
            [_("Imported"), total, share(total, total)],
            [_("Lead invited"), totals["invited"], share(totals["invited"], total)],
            [
                _("Onboarded (the lead has joined)"),
                totals["onboarded"],
                share(totals["onboarded"], total),
            ],
        ],
        note=_(
            "A company whose lead joined without an invitation counts as invited too. "
            "Revoked invitations do not count."
        ),
        chart=Chart(
            columns=(1,),
            description=_("Bar chart of the companies at each onboarding step."),
        ),
    )


def assessments_taken(selection):
    """Submitted responses per instrument and stage: companies for a company assessment, people
    for a self-check (the selected companies' members): 2 queries."""
    counts = (
        Response.objects.filter(status=Response.Status.SUBMITTED)
        .filter(
            Q(person__isnull=True, company__in=selection.companies())
            | Q(person__in=selection.members())
        )
        .values("instrument_id", "stage")
        .annotate(number=Count("pk"))
        .order_by()
    )
    found = {(row["instrument_id"], row["stage"]): row["number"] for row in counts}
    instruments = Instrument.objects.filter(
        Q(live=True) | Q(pk__in={pk for pk, _stage in found})
    ).order_by("audience", "slug")
    rows = [
        [
            instrument.title,
            _("companies") if instrument.audience == "company" else _("people"),
            *(found.get((instrument.pk, stage), 0) for stage in STAGES),
        ]
        for instrument in instruments
    ]
    return Table(
        name="assessments",
        title=_("Assessments taken, by stage"),
        columns=[_("Assessment"), _("Counted"), *STAGES],
        rows=rows,
        note=_(
            "Submitted results only. A company assessment counts companies; a self-check "
            "counts the people of these companies who took it."
        ),
        chart=Chart(
            columns=(2, 3, 4),
            description=_("Bar chart of the results submitted at T0, T1 and T2 by assessment."),
        ),
    )


def maturity_levels(selection):
    """Companies by the level of their latest submitted result, and those not assessed: 2
    queries."""
    counts = dict(
        selection.latest_responses().values_list("level").annotate(number=Count("pk")).order_by()
    )
    total = selection.companies().count()
    assessed = sum(counts.values())
    rows = [
        [LEVEL_LABELS[code], counts.get(code, 0), share(counts.get(code, 0), total)]
        for code in LEVELS
    ]
    rows.append([_("Not assessed yet"), total - assessed, share(total - assessed, total)])
    return Table(
        name="levels",
        title=_("Maturity levels"),
        columns=[
            _("Level"),
            _("Companies"),
            # xgettext:no-python-format
            _("% of companies"),
        ],
        rows=rows,
        note=_("Each company counts once, at the level of its latest submitted result."),
        chart=Chart(
            columns=(1,), description=_("Bar chart of the companies at each maturity level.")
        ),
    )


def dimension_titles(instrument):
    """{dimension code: title in the reader's language}, in the instrument's order: 1 query."""
    if instrument is None:
        return {}
    return {
        dimension.code: localized(
            {lang: getattr(dimension, f"title_{lang}") for lang in ("fr", "ar", "en")}
        )
        or dimension.code
        for dimension in instrument.dimensions.all()
    }


def level_bands(instrument):
    """(level code, condition on a score) per level, from the instrument's thresholds."""
    bounds = [0, instrument.average_from, instrument.moderately_advanced_from]
    bounds.append(instrument.advanced_from)
    conditions = []
    for index, code in enumerate(LEVELS):
        condition = Q(score__gte=bounds[index]) if index else Q(score__isnull=False)
        if index + 1 < len(bounds):
            condition &= Q(score__lt=bounds[index + 1])
        conditions.append((code, condition))
    return conditions


def dimensions(selection):
    """Per dimension, the average of the companies' latest results and how many companies are
    at each level in it: 2 queries."""
    titles = dimension_titles(selection.instrument)
    rows = []
    if selection.instrument is not None:
        bands = level_bands(selection.instrument)
        found = {
            row["code"]: row
            for row in DimensionScore.objects.filter(
                response__in=selection.latest_responses().values("pk")
            )
            .values("code")
            .annotate(
                mean=Avg("score"),
                companies=Count("pk", filter=Q(score__isnull=False)),
                **{code: Count("pk", filter=condition) for code, condition in bands},
            )
            .order_by()
        }
        for code, title in titles.items():
            row = found.get(code, {})
            rows.append(
                [
                    title,
                    average(row.get("mean")),
                    row.get("companies", 0),
                    *(row.get(level, 0) for level in LEVELS),
                ]
            )
    return Table(
        name="dimensions",
        title=_("Maturity by dimension"),
        columns=[
            _("Dimension"),
            _("Average score (out of 100)"),
            _("Companies"),
            *(LEVEL_LABELS[code] for code in LEVELS),
        ],
        rows=rows,
        note=_("Latest submitted result of each company; levels use the assessment's thresholds."),
        chart=Chart(
            columns=(1,),
            maximum=100,
            description=_("Bar chart of the average score by dimension, out of 100."),
        ),
    )


def course_totals(selection):
    """Learning across the selected companies' members: 3 queries."""
    members = selection.members()
    people = Membership.objects.filter(company__in=selection.companies()).aggregate(
        people=Count("user", distinct=True)
    )["people"]
    enrolments = Enrolment.objects.filter(user__in=members).aggregate(
        learners=Count("user", distinct=True),
        finishers=Count("user", distinct=True, filter=Q(completed_at__isnull=False)),
        enrolments=Count("pk"),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
    )
    certificates = Certificate.objects.filter(user__in=members).count()
    return Table(
        name="learning",
        title=_("Course progress"),
        columns=[
            _("Figure"),
            _("Number"),
            # xgettext:no-python-format
            _("% of people"),
        ],
        rows=[
            [_("People in these companies"), people, share(people, people)],
            [
                _("Learners enrolled in a course"),
                enrolments["learners"],
                share(enrolments["learners"], people),
            ],
            [
                _("Learners who completed a course"),
                enrolments["finishers"],
                share(enrolments["finishers"], people),
            ],
            [_("Enrolments"), enrolments["enrolments"], None],
            [_("Courses completed"), enrolments["completed"], None],
            [_("Certificates issued"), certificates, None],
        ],
    )


def _course_titles(keys):
    """{course key: title} in the reader's language where the course is translated: 1 query."""
    active = Locale.get_active().pk
    titles = {}
    pages = CoursePage.objects.filter(translation_key__in=keys).values_list(
        "translation_key", "title", "locale_id"
    )
    for key, title, locale_id in pages:
        if key not in titles or locale_id == active:
            titles[key] = title
    return titles


def courses(selection):
    """Per course, the selected companies' learners enrolled, done and certified: 3 queries."""
    members = selection.members()
    enrolled = {
        row["course_key"]: row
        for row in Enrolment.objects.filter(user__in=members)
        .values("course_key")
        .annotate(enrolled=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by()
    }
    certified = dict(
        Certificate.objects.filter(user__in=members)
        .values_list("course_key")
        .annotate(number=Count("pk"))
        .order_by()
    )
    titles = _course_titles(set(enrolled) | set(certified))
    rows = []
    for key in set(enrolled) | set(certified):
        row = enrolled.get(key, {})
        number, completed = row.get("enrolled", 0), row.get("completed", 0)
        rows.append(
            [
                titles.get(key) or _("Course no longer published"),
                number,
                completed,
                certified.get(key, 0),
                share(completed, number),
            ]
        )
    rows.sort(key=lambda row: (-row[1], str(row[0]).casefold()))
    return Table(
        name="courses",
        title=_("Progress by course"),
        columns=[
            _("Course"),
            _("Learners enrolled"),
            _("Completed"),
            _("Certificates"),
            # xgettext:no-python-format
            _("% completed"),
        ],
        rows=rows,
        chart=Chart(
            columns=(1, 2),
            description=_(
                "Bar chart of the learners enrolled in and having completed each course."
            ),
        ),
    )


def attendance(selection, now=None):
    """Live sessions held per cohort, the places expected in them and the places taken:
    4 queries.

    A place is one active member of a selected company in the cohort, at one session held.
    It is taken when the person joined the session's room at least once (the session summary
    gives each person's minutes and who attended at least half, as coaching.stats defines it)."""
    now = now or timezone.now()
    companies = selection.companies()
    held = LiveSession.objects.over(now).filter(cohort__in=selection.cohorts())
    sessions = dict(held.values_list("cohort_id").annotate(number=Count("pk")).order_by())
    cohort = "company__cohort_placements__cohort_id"
    members = dict(
        Membership.objects.filter(company__in=companies, user__is_active=True)
        .filter(
            current_place("company__cohort_placements__"),
            company__cohort_placements__cohort__in=list(sessions),
        )
        .values_list(cohort)
        .annotate(number=Count("pk"))
        .order_by()
    )
    belongs = Membership.objects.filter(
        current_place("company__cohort_placements__"),
        company__cohort_placements__cohort=OuterRef("session__cohort"),
        company__in=companies,
        user=OuterRef("user"),
        user__is_active=True,
    )
    taken = dict(
        Attendance.objects.filter(session__in=held)
        .filter(Exists(belongs))
        .values_list("session__cohort_id")
        .annotate(
            number=Count(
                Concat("session_id", Value(" "), "user_id", output_field=CharField()),
                distinct=True,
            )
        )
        .order_by()
    )
    names = dict(Cohort.objects.filter(pk__in=list(sessions)).values_list("pk", "name"))
    rows = []
    for pk in sorted(sessions, key=lambda pk: names[pk].casefold()):
        expected = members.get(pk, 0) * sessions[pk]
        rows.append(
            [names[pk], sessions[pk], expected, taken.get(pk, 0), share(taken.get(pk, 0), expected)]
        )
    return Table(
        name="attendance",
        title=_("Live sessions"),
        columns=[
            _("Cohort"),
            _("Sessions held"),
            _("Places expected"),
            _("Places taken"),
            # xgettext:no-python-format
            _("% attendance"),
        ],
        rows=rows,
        note=_(
            "A place is one person of a company of the cohort at one session held; it is taken "
            "when the person joined the session's room at least once."
        ),
        chart=Chart(
            columns=(4,),
            maximum=100,
            description=_("Bar chart of the attendance rate of each cohort, in %."),
        ),
    )


def action_items(selection):
    """Action-plan items of the selected companies, done and in all: 1 query."""
    totals = ActionItem.objects.filter(company__in=selection.companies()).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(done_at__isnull=False)),
        companies=Count("company", distinct=True),
    )
    return Table(
        name="actions",
        title=_("Action plans"),
        columns=[_("Figure"), _("Number")],
        rows=[
            [_("Action items"), totals["total"]],
            [_("Done"), totals["done"]],
            # xgettext:no-python-format
            [_("% done"), share(totals["done"], totals["total"])],
            [_("Companies with an action plan"), totals["companies"]],
        ],
    )


OVERVIEW_TABLES = {
    "companies": onboarding,
    "assessments": assessments_taken,
    "levels": maturity_levels,
    "dimensions": dimensions,
    "learning": course_totals,
    "courses": courses,
    "attendance": attendance,
    "actions": action_items,
}


def programme_overview(selection):
    """Every overview table, in the order the page shows them."""
    return [figure(selection) for figure in OVERVIEW_TABLES.values()]
