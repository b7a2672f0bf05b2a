from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created from invitations; open sign-up only where the programme allows it."""

    def is_open_for_signup(self, request):
        return settings.VIRAGE_OPEN_SIGNUP
