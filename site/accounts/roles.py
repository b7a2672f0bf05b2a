"""Platform roles. Coach, content editor and programme manager are groups; learner and company
lead come from company memberships (see virage_site.companies)."""

from django.conf import settings
from django.contrib.auth.models import Group


def group_name(role):
    return settings.VIRAGE_ROLE_GROUPS[role]


def has_role(user, role):
    if not user.is_authenticated:
        return False
    if user.is_superuser and role == "manager":
        return True
    cache = getattr(user, "_virage_group_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._virage_group_names = cache
    return group_name(role) in cache


def is_manager(user):
    return has_role(user, "manager")


def is_coach(user):
    return has_role(user, "coach")


def is_editor(user):
    return has_role(user, "editor")


def grant_role(user, role):
    group, _created = Group.objects.get_or_create(name=group_name(role))
    user.groups.add(group)
    user.__dict__.pop("_virage_group_names", None)
