"""One way in: the administration's login and password-reset pages send people to the site's
own (django-allauth), whose attempts are rate-limited (ACCOUNT_RATE_LIMITS) per address and per
account, so the administration offers no second door without those limits."""

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def login_instead(request):
    target = resolve_url("account_login")
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = f"{target}?{urlencode({'next': next_url})}"
    return HttpResponseRedirect(target)


def password_reset_instead(request):
    return HttpResponseRedirect(resolve_url("account_reset_password"))
