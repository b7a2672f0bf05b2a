"""Who may see and answer which assessment. Every assessments view asks here.

A company's results are visible to its members, to programme managers and to anyone a
registered provider vouches for (the coaching app registers the coaches of a company's
cohorts). Providers are functions `(user) -> queryset of company ids` added with
`register_company_viewer`, so this app does not reach into others' tables.
"""

from virage_site.accounts.roles import is_manager
from virage_site.companies.models import Company, Membership

_COMPANY_VIEWERS = []


def register_company_viewer(provider):
    if provider not in _COMPANY_VIEWERS:
        _COMPANY_VIEWERS.append(provider)
    return provider


def followed_companies(user):
    """Companies `user` follows without belonging to them (those the registered providers give,
    such as a coach's cohorts); programme managers see every company elsewhere, in the admin."""
    if not user.is_authenticated or not _COMPANY_VIEWERS:
        return Company.objects.none()
    followed = Company.objects.none()
    for provider in _COMPANY_VIEWERS:
        followed = followed | Company.objects.filter(pk__in=provider(user))
    return followed.exclude(memberships__user=user).distinct()


def sees_every_company(user):
    return user.is_authenticated and (user.is_superuser or is_manager(user))


def viewable_companies(user):
    """Companies whose assessment results `user` may see, as a queryset."""
    if not user.is_authenticated:
        return Company.objects.none()
    if sees_every_company(user):
        return Company.objects.all()
    allowed = Company.objects.filter(memberships__user=user)
    for provider in _COMPANY_VIEWERS:
        allowed = allowed | Company.objects.filter(pk__in=provider(user))
    return allowed.distinct()


def can_view_company(user, company):
    return viewable_companies(user).filter(pk=company.pk).exists()


def can_answer_for_company(user, company):
    """Only a company's lead answers the company instrument on its behalf."""
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, company=company, role=Membership.Role.LEAD
        ).exists()
    )


def can_view_response(user, response):
    if not user.is_authenticated:
        return False
    if response.person_id is not None:
        # A person's self-check is theirs; managers see it for programme figures.
        return response.person_id == user.pk or sees_every_company(user)
    return can_view_company(user, response.company)
