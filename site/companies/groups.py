"""Keeps the platform-role groups and their permissions in place after every migrate."""

from django.contrib.auth.models import Group, Permission

MANAGER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("companies", "add_company"),
    ("companies", "change_company"),
    ("companies", "view_company"),
    ("companies", "delete_company"),
    ("companies", "view_membership"),
    ("companies", "change_membership"),
    ("companies", "view_invitation"),
    # Responses: follow them, reopen a stage, import answers collected on paper.
    ("assessments", "view_response"),
    ("assessments", "change_response"),
    ("assessments", "add_response"),
    # Programmes and their cohorts: the companies that go through it together, their coaches.
    *[
        ("coaching", f"{action}_{model}")
        for model in ("programme", "cohort")
        for action in ("add", "change", "delete", "view")
    ],
    # Instruments: open the mid- and end-of-programme stages when their time comes.
    ("assessments", "view_instrument"),
    ("assessments", "change_instrument"),
]


# Content editors translate pages from the admin ("Translate" on a page).
# They also write assessment instruments and path rules.
EDITOR_PERMISSIONS = [
    ("simple_translation", "submit_translation"),
    *[
        ("assessments", f"{action}_{model}")
        for model in ("instrument", "ruleset")
        for action in ("add", "change", "delete", "view")
    ],
]


def _permissions(pairs):
    wanted = Permission.objects.none()
    for app_label, codename in pairs:
        wanted |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return wanted


def ensure_role_groups(**kwargs):
    from django.conf import settings

    groups = settings.VIRAGE_ROLE_GROUPS
    for role in ("coach", "manager"):
        Group.objects.get_or_create(name=groups[role])
    Group.objects.get(name=groups["manager"]).permissions.add(*_permissions(MANAGER_PERMISSIONS))
    editors = Group.objects.filter(name=groups["editor"]).first()  # created by Wagtail
    if editors is not None:
        editors.permissions.add(*_permissions(EDITOR_PERMISSIONS))
