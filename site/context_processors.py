from django.conf import settings
from django.utils.functional import SimpleLazyObject

from virage_site.accounts.roles import has_role


class _Roles:
    """What the signed-in person may do, as templates ask; each answer is computed once."""

    def __init__(self, user):
        self.user = user

    def __getattr__(self, role):
        if role == "leads_company":
            from virage_site.companies.models import Membership

            value = (
                self.user.is_authenticated
                and Membership.objects.filter(user=self.user, role=Membership.Role.LEAD).exists()
            )
        elif role in {"manager", "coach", "editor"}:
            value = has_role(self.user, role)
        else:
            raise AttributeError(role)
        setattr(self, role, value)
        return value


def roles(request):
    return {
        "roles": SimpleLazyObject(lambda: _Roles(request.user)),
        "settings_open_signup": settings.VIRAGE_OPEN_SIGNUP,
    }
