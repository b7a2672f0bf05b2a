"""One row per company of a selection: its maturity now, its people's learning and its action
plan. Five queries whatever the number of companies (the companies, their latest results,
their members, their learners' enrolments, their action items); the cohort page reads it and
other pages may too."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from assessments.levels import level_label
from coaching.models import ActionItem
from courses.models import Enrolment
from virage_site.companies.choices import Region, Sector, SizeBand
from virage_site.companies.models import Membership

from .tables import Table, average, share


def company_table(selection, *, name="companies", title=None):
    """A Table of the selected companies, by name: sector, region, size, the latest result's
    stage, score and level, people, learners enrolled, courses completed, action items done."""
    companies = list(
        selection.companies()
        .order_by("name", "pk")
        .values_list("pk", "name", "sector", "region", "size_band")
    )
    ids = [pk for pk, *_rest in companies]
    latest = {
        row["company_id"]: row
        for row in selection.latest_responses()
        .filter(company_id__in=ids)
        .values("company_id", "stage", "overall", "level")
    }
    people = dict(
        Membership.objects.filter(company_id__in=ids)
        .values_list("company_id")
        .annotate(number=Count("user", distinct=True))
        .order_by()
    )
    learning = {
        row["user__memberships__company_id"]: row
        for row in Enrolment.objects.filter(user__memberships__company_id__in=ids)
        .values("user__memberships__company_id")
        .annotate(
            learners=Count("user", distinct=True),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
        )
        .order_by()
    }
    actions = {
        row["company_id"]: row
        for row in ActionItem.objects.filter(company_id__in=ids)
        .values("company_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False)))
        .order_by()
    }
    labels = {
        "sector": dict(Sector.choices),
        "region": dict(Region.choices),
        "size_band": dict(SizeBand.choices),
    }
    rows = []
    for pk, company_name, sector, region, size_band in companies:
        result = latest.get(pk, {})
        learned = learning.get(pk, {})
        action = actions.get(pk, {})
        rows.append(
            [
                company_name,
                str(labels["sector"].get(sector, sector)),
                str(labels["region"].get(region, region)),
                str(labels["size_band"].get(size_band, size_band)),
                result.get("stage", ""),
                average(result.get("overall")),
                str(level_label(result.get("level", ""))),
                people.get(pk, 0),
                learned.get("learners", 0),
                learned.get("completed", 0),
                action.get("done", 0),
                action.get("total", 0),
                share(action.get("done", 0), action.get("total", 0)),
            ]
        )
    return Table(
        name=name,
        title=title or _("Companies"),
        columns=[
            _("Company"),
            _("Sector"),
            _("Region"),
            _("Size"),
            _("Latest stage"),
            _("Latest score"),
            _("Level"),
            _("People"),
            _("Learners enrolled"),
            _("Courses completed"),
            _("Actions done"),
            _("Actions"),
            # xgettext:no-python-format
            _("% actions done"),
        ],
        rows=rows,
        note=_("Latest submitted result of each company; — where none was submitted yet."),
    )
