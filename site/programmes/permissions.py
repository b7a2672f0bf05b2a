"""Who may see which programme page and which company's figures. Every programme view asks here;
nothing else decides.

- Programme managers see every cohort and every company.
- A coach sees the cohorts they coach and the companies that have a current place in them: a
  company that moved to another cohort leaves its former coach's view.
- A company lead sees their company's report, people included.
- An employee sees their company's report without anyone's personal figures: the company's
  results and action plan are theirs too (the assessments app already shows them the results),
  but a colleague's course progress or attendance is not.
"""

from enum import IntEnum

from coaching.models import Cohort
from coaching.permissions import companies_coached_by
from coaching.placements import current_places
from virage_site.accounts.roles import is_coach, is_manager
from virage_site.companies.models import Company, Membership
from virage_site.companies.permissions import companies_led_by


class ReportAccess(IntEnum):
    NONE = 0
    SUMMARY = 1  # the company's figures, nobody's personal ones
    FULL = 2  # the company's figures and each person's


def current_placements():
    """Places that count today: a company's place in a cohort it has not left. Every rule
    here that reads placements reads them through this."""
    return current_places()


def _signed_in(user):
    return user.is_authenticated and user.is_active


def sees_whole_programme(user):
    return _signed_in(user) and (user.is_superuser or is_manager(user))


def coached_cohorts(user):
    """Cohorts `user` coaches, as a queryset."""
    if not _signed_in(user):
        return Cohort.objects.none()
    return Cohort.objects.filter(coaches=user)


def can_view_coach_page(user):
    return sees_whole_programme(user) or (_signed_in(user) and is_coach(user))


def cohorts_on_coach_page(user):
    """Cohorts the coach page may show `user`: every one for managers, their own for coaches."""
    if sees_whole_programme(user):
        return Cohort.objects.all()
    if can_view_coach_page(user):
        return coached_cohorts(user)
    return Cohort.objects.none()


def companies_coached_now(user):
    """Companies with a current place in a cohort `user` coaches, as a queryset."""
    if not _signed_in(user):
        return Company.objects.none()
    return Company.objects.filter(pk__in=companies_coached_by(user))


def companies_visible_in_programme(user):
    """Companies whose report `user` may open, at any level of detail, as a queryset."""
    if not _signed_in(user):
        return Company.objects.none()
    if sees_whole_programme(user):
        return Company.objects.all()
    member_of = Membership.objects.filter(user=user).values("company")
    return Company.objects.filter(pk__in=member_of) | companies_coached_now(user)


def report_access(user, company):
    """How much of `company`'s report `user` may read: a ReportAccess."""
    if not _signed_in(user):
        return ReportAccess.NONE
    if sees_whole_programme(user):
        return ReportAccess.FULL
    if companies_led_by(user).filter(pk=company.pk).exists():
        return ReportAccess.FULL
    if companies_coached_now(user).filter(pk=company.pk).exists():
        return ReportAccess.FULL
    if Membership.objects.filter(user=user, company=company).exists():
        return ReportAccess.SUMMARY
    return ReportAccess.NONE


def can_view_company_report(user, company):
    return report_access(user, company) > ReportAccess.NONE


def can_see_people(user, company):
    """Whether `user` may read each person's figures in `company` (names, progress, presence)."""
    return report_access(user, company) == ReportAccess.FULL
