"""Where companies sit in a programme's cohorts, over time: the interface other apps use to read
and change placements.

A place (`CohortCompany`) is current while `left_at` is empty. A company has at most one current
place per programme; a move closes it and opens one in the new cohort, so the history stays.
The programme's row is locked while places change, which keeps that rule when two managers act
at once (the programme sits on the cohort, where no row constraint can reach it).

    place(company, cohort)          first place in a programme
    place_many(programme, pairs)    many first places at once (cohort formation)
    move(company, to_cohort)        to another cohort of the same programme
    leave(company, cohort)          out of the cohort, history kept
    current_cohort(company, programme), history(company), companies_in(cohort)
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Cohort, CohortCompany, Programme


class PlacementError(Exception):
    """A change that would break a placement rule; its message is for people."""


def current_places():
    return CohortCompany.objects.filter(left_at__isnull=True)


def companies_in(cohort):
    """Ids of the companies in the cohort now, as a subquery; `cohort` is a cohort or its id."""
    return current_places().filter(cohort=cohort).values("company_id")


def current_place(company, programme):
    return (
        current_places()
        .filter(company=company, cohort__programme=programme)
        .select_related("cohort")
        .first()
    )


def current_cohort(company, programme):
    """The cohort of `programme` the company is in now, or None."""
    place = current_place(company, programme)
    return place.cohort if place else None


def history(company, programme=None):
    """Every place the company has had, oldest first, current one included."""
    places = CohortCompany.objects.filter(company=company).select_related("cohort__programme")
    if programme is not None:
        places = places.filter(cohort__programme=programme)
    return places.order_by("joined_at", "pk")


def _lock(programme_id):
    Programme.objects.select_for_update().filter(pk=programme_id).first()


def place(company, cohort, *, at=None):
    """The company's place in `cohort`, opened if it has none in the programme yet. Placing it
    again where it already is changes nothing; placing it while it is in another cohort of the
    programme is refused (that is a move)."""
    with transaction.atomic():
        _lock(cohort.programme_id)
        now = current_place(company, cohort.programme_id)
        if now is not None:
            if now.cohort_id == cohort.pk:
                return now
            raise PlacementError(
                _("%(company)s is already in %(cohort)s: move it instead.")
                % {"company": company, "cohort": now.cohort.name}
            )
        return CohortCompany.objects.create(
            cohort=cohort, company=company, joined_at=at or timezone.now()
        )


def place_many(programme, pairs, *, at=None):
    """Opens first places in `programme` for (cohort id, company id) pairs, skipping companies
    that have a place there already (or come twice); returns the pairs placed. A fixed number of
    queries, whatever the number of companies."""
    programme_id = getattr(programme, "pk", programme)
    pairs = list(pairs)
    with transaction.atomic():
        _lock(programme_id)
        cohorts = set(
            Cohort.objects.filter(
                programme=programme_id, pk__in={cohort_id for cohort_id, _c in pairs}
            ).values_list("pk", flat=True)
        )
        if len(cohorts) != len({cohort_id for cohort_id, _c in pairs}):
            raise PlacementError(_("A cohort is not part of this programme."))
        taken = set(
            current_places()
            .filter(cohort__programme=programme_id)
            .values_list("company_id", flat=True)
        )
        placed = []
        for cohort_id, company_id in pairs:
            if company_id not in taken:
                taken.add(company_id)
                placed.append((cohort_id, company_id))
        at = at or timezone.now()
        CohortCompany.objects.bulk_create(
            [CohortCompany(cohort_id=c, company_id=pk, joined_at=at) for c, pk in placed],
            batch_size=1000,
        )
        return placed


def move(company, to_cohort, *, at=None):
    """Moves the company to `to_cohort`: its current place in that programme (if any) is closed
    and a new one opened, in one transaction. Moving it where it already is changes nothing."""
    with transaction.atomic():
        _lock(to_cohort.programme_id)
        now = current_place(company, to_cohort.programme_id)
        if now is not None and now.cohort_id == to_cohort.pk:
            return now
        at = at or timezone.now()
        if now is not None:
            now.left_at = max(at, now.joined_at)
            now.save(update_fields=["left_at"])
            at = now.left_at
        return CohortCompany.objects.create(cohort=to_cohort, company=company, joined_at=at)


def leave(company, cohort, *, at=None):
    """Closes the company's current place in `cohort`; returns whether it had one."""
    with transaction.atomic():
        _lock(cohort.programme_id)
        now = current_places().filter(company=company, cohort=cohort).first()
        if now is None:
            return False
        now.left_at = max(at or timezone.now(), now.joined_at)
        now.save(update_fields=["left_at"])
        return True
