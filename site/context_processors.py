from django.conf import settings
from django.utils.functional import SimpleLazyObject

from virage_site.accounts.roles import has_role


class _Roles:
    """What the signed-in person may do, as templates ask; each answer is computed once."""

    def __init__(self, user):
        self.user = user

    def __getattr__(self, role):
        if role == "leads_company":
            from virage_site.companies.permissions import companies_led_by

            value = self.user.is_authenticated and companies_led_by(self.user).exists()
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
