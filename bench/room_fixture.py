"""The people of the room benchmark, in the benchmark's fresh database: per room a cohort of
seven companies with seven people each, its coach, a live session now, and a signed-in session
(the cookie a browser would hold) for each of the fifty.

`python -m bench.room_fixture ROOMS` (with bench.room_settings) prints the rooms as JSON: each
with its session id and the session cookies of its members, the coach's first."""

import datetime
import json
import sys

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,  # noqa: E402
)
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from coaching.models import Cohort, CohortCompany, LiveSession, Programme  # noqa: E402
from virage_site.accounts.roles import grant_role  # noqa: E402
from virage_site.companies.models import Company, Membership  # noqa: E402

COMPANIES_PER_ROOM = 7
PEOPLE_PER_COMPANY = 7  # with the coach, 50 people in a room


def build_room(number, programme, now):
    User = get_user_model()
    unusable = make_password(None)
    coach = User.objects.create(
        email=f"coach{number}@bench.ma",
        first_name="Coach",
        last_name=f"Salle {number}",
        password=unusable,
    )
    grant_role(coach, "coach")
    cohort = Cohort.objects.create(programme=programme, name=f"Promotion {number}")
    cohort.coaches.add(coach)
    people = []
    for c in range(COMPANIES_PER_ROOM):
        company = Company.objects.create(
            name=f"Entreprise {number}-{c}",
            ice=f"{number * 100 + c:015d}",
            sector="retail",
            size_band="micro",
            region="fes-meknes",
            city="Fès",
        )
        CohortCompany.objects.create(cohort=cohort, company=company)
        staff = User.objects.bulk_create(
            User(
                email=f"p{number}-{c}-{p}@bench.ma",
                first_name="Personne",
                last_name=f"{number}-{c}-{p}",
                password=unusable,
            )
            for p in range(PEOPLE_PER_COMPANY)
        )
        Membership.objects.bulk_create(
            Membership(user=user, company=company, role="lead" if p == 0 else "employee")
            for p, user in enumerate(staff)
        )
        people.extend(staff)
    session = LiveSession.objects.create(
        cohort=cohort,
        title=f"Séance {number}",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=3),
        created_by=coach,
    )
    return session, [coach, *people]


def signed_in(users):
    """A session per user, as logging in leaves it, in one insert."""
    backend = settings.AUTHENTICATION_BACKENDS[0]
    expire = timezone.now() + datetime.timedelta(days=1)
    store = SessionStore()
    rows = []
    for user in users:
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        key = store._get_new_session_key()
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
    Session.objects.bulk_create(rows)
    return [row.session_key for row in rows]


def main(rooms):
    now = timezone.now()
    built = []
    with transaction.atomic():
        programme = Programme.objects.create(
            name="Benchmark", starts_on=now.date(), ends_on=now.date() + datetime.timedelta(days=90)
        )
        for number in range(rooms):
            session, members = build_room(number, programme, now)
            built.append({"session": session.pk, "cookies": signed_in(members)})
    json.dump({"rooms": built}, sys.stdout)


if __name__ == "__main__":
    main(int(sys.argv[1]))
