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
]


def ensure_role_groups(**kwargs):
    from django.conf import settings

    groups = settings.VIRAGE_ROLE_GROUPS
    for role in ("coach", "manager"):
        Group.objects.get_or_create(name=groups[role])
    managers = Group.objects.get(name=groups["manager"])
    wanted = Permission.objects.none()
    for app_label, codename in MANAGER_PERMISSIONS:
        wanted |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    managers.permissions.add(*wanted)
