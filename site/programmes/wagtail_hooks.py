"""The programme pages in the admin menu, for programme managers: the dashboards and cohort
formation are site pages, so the menu links to them."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from coaching.audit import register_actions
from virage_site.audit import SITE_ACTIONS

from . import audit_log
from .permissions import sees_whole_programme


class ProgrammePageItem(MenuItem):
    """A link to a programme page, shown to managers once the page exists (its address is
    found when the menu is drawn, in the admin's language)."""

    def __init__(self, label, url_name, **kwargs):
        self.url_name = url_name
        super().__init__(label, "", **kwargs)

    def _url(self):
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None

    def is_shown(self, request):
        return sees_whole_programme(request.user) and self._url() is not None

    def render_component(self, request):
        self.url = self._url()
        return super().render_component(request)


@hooks.register("register_admin_menu_item")
def register_dashboards_item():
    return ProgrammePageItem(
        _("Programme dashboards"),
        "programme:overview",
        name="programme-dashboards",
        icon_name="table",
        order=250,
    )


@hooks.register("register_admin_menu_item")
def register_formation_item():
    return ProgrammePageItem(
        _("Form cohorts"),
        "programme:formation",
        name="programme-formation",
        icon_name="group",
        order=251,
    )


@hooks.register("register_log_actions")
def register_site_log_actions(actions):
    register_actions(actions, SITE_ACTIONS)


@hooks.register("register_admin_urls")
def register_audit_log_urls():
    return audit_log.urlpatterns


@hooks.register("register_admin_menu_item")
def register_audit_log_item():
    return audit_log.AuditLogMenuItem(
        _("Audit log"),
        reverse("virage_audit_log"),
        name="audit-log",
        icon_name="history",
        order=252,
    )
