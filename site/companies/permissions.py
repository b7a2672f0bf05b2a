"""Who may see and manage which company. Every company view asks here; nothing else decides."""

from virage_site.accounts.roles import is_manager

from .models import Company, Membership


def companies_led_by(user):
    # A subquery rather than a join, so that callers may count memberships on the result.
    led = Membership.objects.filter(user=user, role=Membership.Role.LEAD).values("company")
    return Company.objects.filter(pk__in=led)


def visible_companies(user):
    """Companies whose people and progress `user` may see."""
    if not user.is_authenticated:
        return Company.objects.none()
    if is_manager(user):
        return Company.objects.all()
    return companies_led_by(user)


def can_invite(user, company, role):
    if is_manager(user):
        return True
    return (
        role == Membership.Role.EMPLOYEE
        and Membership.objects.filter(
            user=user, company=company, role=Membership.Role.LEAD
        ).exists()
    )


def invitable_roles(user):
    if is_manager(user):
        return list(Membership.Role.choices)
    return [(Membership.Role.EMPLOYEE, Membership.Role.EMPLOYEE.label)]


def can_import_companies(user):
    # An import creates companies and updates those it already knows.
    return user.has_perm("companies.add_company") and user.has_perm("companies.change_company")


def can_invite_leads(user):
    return is_manager(user)


def can_follow_jobs(user):
    """Background jobs (imports, bulk invitations) are shared by the programme's team: whoever
    may start one may follow any of them."""
    return user.is_authenticated and (can_import_companies(user) or can_invite_leads(user))
