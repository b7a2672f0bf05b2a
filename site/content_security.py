"""The Content-Security-Policy of every response (django-csp), with a second, looser policy for
the Wagtail administration.

The site's own pages load scripts and styles from its static files only: no inline script, no
`style=` attribute, so text that slipped past escaping still cannot run. Wagtail's administration
was not written for such a policy (inline styles in its editors and previews), so it gets one
that still forbids plug-ins, foreign forms and foreign frames around it.
"""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


class SiteAndAdminCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and _is_admin(request.path_info):
            parts.config = default_config(settings.VIRAGE_ADMIN_CSP_DIRECTIVES)
        return parts


def _is_admin(path):
    return path.startswith(settings.VIRAGE_ADMIN_PATH_PREFIX)
