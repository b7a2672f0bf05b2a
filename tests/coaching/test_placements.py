"""Places of companies in cohorts over time: a move keeps the history, and everything that asks
who is in a cohort (coaches' access to results, the live room, reminders) reads the current
places only."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.loading import install_instrument
from assessments.services.responses import save_answers, start_or_resume, submit
from coaching import placements
from coaching.models import Cohort, CohortCompany, LiveSession, Programme
from coaching.permissions import companies_coached_by
from coaching.reminders import recipients
from coaching.room.access import role_in
from coaching.schedule import own_sessions
from tests import factories
from tests.assessments.definitions import small_instrument

pytestmark = pytest.mark.django_db


def make_programme(name="TPME 2026"):
    return Programme.objects.create(
        name=name, starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2027, 6, 30)
    )


@pytest.fixture
def world():
    programme = make_programme()
    fes = Cohort.objects.create(programme=programme, name="Promotion Fès")
    agadir = Cohort.objects.create(programme=programme, name="Promotion Agadir")
    coach_fes, coach_agadir = factories.make_user(role="coach"), factories.make_user(role="coach")
    fes.coaches.add(coach_fes)
    agadir.coaches.add(coach_agadir)
    company = factories.make_company(name="Atelier Zellige")
    return {
        "programme": programme,
        "fes": fes,
        "agadir": agadir,
        "coach_fes": coach_fes,
        "coach_agadir": coach_agadir,
        "company": company,
    }


def coached(coach):
    return set(companies_coached_by(coach).values_list("company_id", flat=True))


def test_placing_twice_in_the_same_cohort_changes_nothing(world):
    first = placements.place(world["company"], world["fes"])
    again = placements.place(world["company"], world["fes"])
    assert again.pk == first.pk
    assert CohortCompany.objects.count() == 1
    assert placements.current_cohort(world["company"], world["programme"]) == world["fes"]


def test_placing_a_company_already_in_another_cohort_of_the_programme_is_refused(world):
    placements.place(world["company"], world["fes"])
    with pytest.raises(placements.PlacementError, match="Promotion Fès"):
        placements.place(world["company"], world["agadir"])
    assert placements.current_cohort(world["company"], world["programme"]) == world["fes"]


def test_a_move_closes_the_old_place_and_opens_a_new_one(world):
    old = placements.place(world["company"], world["fes"])
    new = placements.move(world["company"], world["agadir"])
    old.refresh_from_db()
    assert old.left_at is not None and old.left_at >= old.joined_at
    assert new.left_at is None and new.joined_at == old.left_at
    assert placements.current_cohort(world["company"], world["programme"]) == world["agadir"]
    history = list(placements.history(world["company"]))
    assert [(p.cohort.name, p.is_current) for p in history] == [
        ("Promotion Fès", False),
        ("Promotion Agadir", True),
    ]


def test_moving_where_the_company_already_is_changes_nothing(world):
    placements.place(world["company"], world["fes"])
    placements.move(world["company"], world["agadir"])
    placements.move(world["company"], world["agadir"])
    assert CohortCompany.objects.count() == 2
    assert CohortCompany.objects.filter(left_at__isnull=True).count() == 1


def test_moving_back_opens_a_second_place_in_the_first_cohort(world):
    placements.place(world["company"], world["fes"])
    placements.move(world["company"], world["agadir"])
    placements.move(world["company"], world["fes"])
    names = [p.cohort.name for p in placements.history(world["company"])]
    assert names == ["Promotion Fès", "Promotion Agadir", "Promotion Fès"]
    assert placements.current_cohort(world["company"], world["programme"]) == world["fes"]


def test_a_move_in_one_programme_leaves_the_place_in_another_programme(world):
    other = Cohort.objects.create(programme=make_programme("Export 2027"), name="Promotion 1")
    placements.place(world["company"], other)
    placements.place(world["company"], world["fes"])
    placements.move(world["company"], world["agadir"])
    assert placements.current_cohort(world["company"], other.programme) == other
    assert len(placements.history(world["company"], world["programme"])) == 2


def test_a_company_has_one_current_place_per_cohort_in_the_database(world):
    placements.place(world["company"], world["fes"])
    with pytest.raises(IntegrityError), transaction.atomic():
        CohortCompany.objects.create(cohort=world["fes"], company=world["company"])


def test_place_many_skips_companies_already_placed_in_the_programme(world):
    placed = factories.make_company()
    placements.place(placed, world["fes"])
    new = factories.make_company()
    done = placements.place_many(
        world["programme"],
        [(world["agadir"].pk, placed.pk), (world["agadir"].pk, new.pk), (world["fes"].pk, new.pk)],
    )
    assert done == [(world["agadir"].pk, new.pk)]
    assert placements.current_cohort(placed, world["programme"]) == world["fes"]


def test_place_many_refuses_a_cohort_of_another_programme(world):
    other = Cohort.objects.create(programme=make_programme("Export 2027"), name="Promotion 1")
    with pytest.raises(placements.PlacementError):
        placements.place_many(world["programme"], [(other.pk, world["company"].pk)])
    assert not CohortCompany.objects.exists()


def test_leaving_closes_the_place_and_keeps_it(world):
    placements.place(world["company"], world["fes"])
    assert placements.leave(world["company"], world["fes"]) is True
    assert placements.leave(world["company"], world["fes"]) is False
    assert placements.current_cohort(world["company"], world["programme"]) is None
    assert placements.history(world["company"]).get().left_at is not None


def test_after_a_move_only_the_new_cohorts_coach_reads_the_companys_results(client, world):
    instrument = install_instrument(small_instrument())
    lead = factories.add_member(world["company"], role="lead")
    response = start_or_resume(instrument, "T0", company=world["company"], filled_by=lead)
    save_answers(response, {"Q1": 2, "Q4": {"1": 3, "2": 3}})
    result = submit(response)
    url = reverse("assessments:results", args=[result.pk])
    placements.place(world["company"], world["fes"])
    client.force_login(world["coach_fes"])
    assert client.get(url).status_code == 200

    placements.move(world["company"], world["agadir"])

    assert client.get(url).status_code == 404
    assert world["company"].pk not in coached(world["coach_fes"])
    client.force_login(world["coach_agadir"])
    assert client.get(url).status_code == 200
    assert world["company"].pk in coached(world["coach_agadir"])


def test_after_a_move_the_companys_people_enter_the_new_cohorts_room_only(world):
    person = factories.add_member(world["company"])
    placements.place(world["company"], world["fes"])
    now = datetime.datetime.now(datetime.UTC)
    sessions = {
        name: LiveSession.objects.create(
            cohort=world[name],
            title=f"Séance {name}",
            starts_at=now + datetime.timedelta(days=1),
            ends_at=now + datetime.timedelta(days=1, hours=1),
        )
        for name in ("fes", "agadir")
    }
    assert role_in(person, sessions["fes"])[0] == "participant"
    assert role_in(person, sessions["agadir"])[0] is None

    placements.move(world["company"], world["agadir"])

    assert role_in(person, sessions["fes"]) == (None, None)
    assert role_in(person, sessions["agadir"]) == ("participant", world["company"].pk)
    assert set(own_sessions(person)) == {sessions["agadir"]}
    assert person not in recipients(sessions["fes"])
    assert person in recipients(sessions["agadir"])


def admin_data(cohort, companies):
    return {
        "programme": cohort.programme_id,
        "name": cohort.name,
        "coaches": [c.pk for c in cohort.coaches.all()],
        "companies": [c.pk for c in companies],
    }


def test_the_admin_form_shows_current_places_and_closes_removed_ones(client, world):
    client.force_login(factories.make_user(role="manager"))
    staying, leaving = factories.make_company(name="Reste"), factories.make_company(name="Part")
    placements.place(staying, world["fes"])
    placements.place(leaving, world["fes"])
    placements.place(world["company"], world["fes"])
    placements.move(world["company"], world["agadir"])
    edit = reverse("cohorts:edit", args=[world["fes"].pk])
    form = client.get(edit).context["form"]
    assert set(form.initial["companies"]) == {staying.pk, leaving.pk}

    response = client.post(edit, admin_data(world["fes"], [staying]))

    assert response.status_code == 302
    assert {p.cohort.name for p in placements.history(leaving)} == {"Promotion Fès"}
    assert placements.history(leaving).get().left_at is not None
    assert placements.current_cohort(staying, world["programme"]) == world["fes"]
    assert len(placements.history(world["company"])) == 2


def test_the_admin_form_refuses_a_company_placed_in_another_cohort(client, world):
    client.force_login(factories.make_user(role="manager"))
    placements.place(world["company"], world["agadir"])
    edit = reverse("cohorts:edit", args=[world["fes"].pk])

    response = client.post(edit, admin_data(world["fes"], [world["company"]]))

    assert response.status_code == 200
    # The administration speaks French by default.
    assert "Déjà dans une autre promotion de ce programme : Atelier Zellige (Promotion Agadir)" in (
        response.content.decode()
    )
    assert placements.current_cohort(world["company"], world["programme"]) == world["agadir"]
