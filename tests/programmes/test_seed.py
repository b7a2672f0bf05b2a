"""`manage.py seed_programme`: a small programme seeded on a site with one course, checked as a
programme manager or a developer would notice it."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from assessments import scoring
from assessments.definition import clean_answers
from assessments.models import DimensionScore, Response
from coaching.models import ActionItem, Attendance, Cohort, CohortCompany, LiveSession, Programme
from courses.models import Certificate, Enrolment, LessonCompletion
from courses.services.outline import build_outlines
from tests import factories
from virage_site.accounts.roles import is_coach
from virage_site.companies.models import Company, Membership
from virage_site.companies.validators import ICE_PATTERN
from virage_site.programmes.seed_companies import EMAIL_DOMAIN


@pytest.fixture(autouse=True)
def in_english():
    """These tests read the English messages: pages and commands run in English."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalogue):
    course, _lessons = factories.build_course(catalogue, modules=2, lessons=2)
    factories.add_quiz(course.get_children().first().specific)
    return course


def seed(*args, companies=6, employees=2, name="Programme seedé"):
    out = StringIO()
    call_command(
        "seed_programme",
        "--companies",
        str(companies),
        "--employees-per-company",
        str(employees),
        "--programme-name",
        name,
        *args,
        stdout=out,
    )
    return out.getvalue()


def maturity_results():
    return Response.objects.filter(instrument__slug="maturity-sme", person__isnull=True)


def test_companies_people_and_cohorts_of_a_small_programme(course):
    output = seed("--seed", "1")
    assert "Programme seedé" in output and "6 companies" in output
    programme = Programme.objects.get(name="Programme seedé")
    companies = Company.objects.all()
    assert companies.count() == 6
    for company in companies:
        assert ICE_PATTERN.fullmatch(company.ice)
        roles = Counter(company.memberships.values_list("role", flat=True))
        assert roles == {Membership.Role.LEAD: 1, Membership.Role.EMPLOYEE: 2}
        lead = company.memberships.get(role=Membership.Role.LEAD).user
        assert company.lead_email == lead.email
    cohort = Cohort.objects.get(programme=programme)
    assert CohortCompany.objects.filter(cohort=cohort).count() == 6
    coaches = list(cohort.coaches.all())
    assert 1 <= len(coaches) <= 2 and all(is_coach(coach) for coach in coaches)
    people = get_user_model().objects.filter(email__endswith="@" + EMAIL_DOMAIN)
    assert people.count() == 6 * 3 + len(coaches)
    assert not any(person.has_usable_password() for person in people)


def test_every_company_has_t0_and_later_stages_follow_earlier_ones(course):
    seed("--seed", "2", companies=30)
    stages = Counter(maturity_results().values_list("stage", flat=True))
    assert stages["T0"] == 30
    assert 0 < stages["T1"] < 30 and stages["T2"] <= stages["T1"]
    for company in Company.objects.all():
        taken = set(maturity_results().filter(company=company).values_list("stage", flat=True))
        assert "T0" in taken
        assert "T2" not in taken or "T1" in taken
    assert all(r.submitted_at for r in Response.objects.all())
    self_checks = Response.objects.filter(instrument__slug="digital-skills")
    assert self_checks.exists() and not self_checks.filter(person__isnull=True).exists()


def test_scores_are_those_the_scorer_gives_and_agree_with_levels(course):
    seed("--seed", "3", companies=12)
    responses = Response.objects.select_related("version").prefetch_related("dimension_scores")
    assert responses.count() >= 12
    for response in responses:
        definition = response.version.definition
        cleaned, problems = clean_answers(definition, response.answers)
        assert not problems and cleaned == response.answers
        result = scoring.score(definition, response.answers)
        assert response.overall == pytest.approx(result.overall)
        assert response.level == scoring.level_for(definition["levels"], response.overall)
        stored = {row.code: row.score for row in response.dimension_scores.all()}
        assert stored == pytest.approx(response.scores) and stored == pytest.approx(
            result.dimensions
        )
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == responses.count()
    assert DimensionScore.objects.count() == sum(len(r.scores) for r in responses)


def test_most_companies_improve_from_t0_to_t1(course):
    seed("--seed", "4", companies=40)
    overall = {(r.company_id, r.stage): r.overall for r in maturity_results()}
    pairs = [(overall[c, "T0"], overall[c, "T1"]) for c, stage in overall if stage == "T1"]
    better = sum(1 for before, after in pairs if after > before)
    assert better > len(pairs) / 2
    mean = sum(after - before for before, after in pairs) / len(pairs)
    assert 0 < mean < 40


def test_cohorts_are_as_even_as_possible_and_never_larger_than_asked(course):
    seed("--seed", "5", "--cohort-size", "8", companies=30)
    sizes = sorted(Counter(CohortCompany.objects.values_list("cohort", flat=True)).values())
    assert sizes == [7, 7, 8, 8]
    assert CohortCompany.objects.values("company").distinct().count() == 30
    for cohort in Cohort.objects.all():
        assert 1 <= cohort.coaches.count() <= 2


def test_sessions_attendance_and_action_items(course):
    seed("--seed", "6", companies=10)
    cohort = Cohort.objects.get()
    sessions = LiveSession.objects.filter(cohort=cohort)
    held = sessions.filter(ended_at__isnull=False)
    assert held.count() >= 5 and sessions.upcoming().count() == 1
    attendance = Attendance.objects.filter(session__in=held)
    assert attendance.exists()
    coach = cohort.coaches.first()
    assert attendance.filter(user=coach).count() == held.count()
    people = set(Membership.objects.values_list("user", flat=True)) | {coach.pk}
    assert set(attendance.values_list("user", flat=True)) <= people
    items = ActionItem.objects.all()
    assert items.filter(done_at__isnull=False).exists()
    assert items.filter(done_at__isnull=True).exists()
    assert set(items.values_list("session__cohort", flat=True)) == {cohort.pk}


def test_lessons_are_done_in_the_course_order_and_certificates_follow(course):
    seed("--seed", "7", companies=12, employees=3)
    lessons = [entry.key for entry in build_outlines([course])[course.pk].lessons]
    enrolments = Enrolment.objects.filter(course_key=course.translation_key)
    assert enrolments.exists()
    for enrolment in enrolments:
        done = set(
            LessonCompletion.objects.filter(user=enrolment.user_id).values_list(
                "lesson_key", flat=True
            )
        )
        assert done == set(lessons[: len(done)])  # a beginning of the outline
        finished = len(done) == len(lessons)
        assert (enrolment.completed_at is not None) == finished
        assert Certificate.objects.filter(user=enrolment.user_id).exists() == finished
    assert enrolments.filter(completed_at__isnull=False).exists()


def test_the_same_seed_gives_the_same_programme(course):
    def snapshot():
        return (
            sorted(Company.objects.values_list("ice", "name", "sector", "region", "size_band")),
            sorted(maturity_results().values_list("company__ice", "stage", "overall", "level")),
            sorted(get_user_model().objects.values_list("email", "first_name", "last_name")),
        )

    seed("--seed", "42")
    first = snapshot()
    seed("--seed", "42", "--replace")
    assert snapshot() == first
    seed("--seed", "43", "--replace")
    assert snapshot() != first
    assert Programme.objects.count() == 1


def test_a_password_is_hashed_once_for_everyone(course):
    seed("--seed", "8", "--password", "demo-password-2026")
    people = get_user_model().objects.filter(email__endswith="@" + EMAIL_DOMAIN)
    assert len(set(people.values_list("password", flat=True))) == 1
    assert people.first().check_password("demo-password-2026")


def test_an_existing_programme_is_not_seeded_twice(course):
    seed("--seed", "9")
    with pytest.raises(CommandError, match="already exists"):
        seed("--seed", "9")
    assert Company.objects.count() == 6


def test_replace_never_deletes_companies_the_seed_did_not_create(course):
    seed("--seed", "10")
    real = factories.make_company(name="Vraie entreprise")
    CohortCompany.objects.create(cohort=Cohort.objects.get(), company=real)
    with pytest.raises(CommandError, match="not created by the seed"):
        seed("--seed", "10", "--replace")
    assert Company.objects.filter(pk=real.pk).exists()
    assert Company.objects.count() == 7


@pytest.mark.parametrize(
    "args, message",
    [
        (["--companies", "0"], "--companies must be a whole number from 1 to 20000"),
        (["--companies", "1000000"], "--companies must be a whole number from 1 to 20000"),
        (["--employees-per-company", "-1"], "--employees-per-company must be"),
        (["--employees-per-company", "500"], "--employees-per-company must be"),
        (["--cohort-size", "1"], "--cohort-size must be"),
        (["--programme-name", "   "], "--programme-name must be"),
        (["--seed", "-5"], "--seed must be"),
    ],
)
def test_bad_arguments_are_refused_with_a_message(course, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_programme", *args, stdout=StringIO())
    assert not Company.objects.exists() and not Programme.objects.exists()


def test_statements_do_not_grow_with_the_number_of_companies(course):
    def statements(companies, name):
        with CaptureQueriesContext(connection) as queries:
            seed("--seed", "11", companies=companies, name=name)
        kinds = Counter(q["sql"].split()[0].upper() for q in queries.captured_queries)
        return len(queries), kinds

    seed("--seed", "11", companies=1, name="Instruments installés")
    few, few_kinds = statements(6, "Petit")
    many, many_kinds = statements(30, "Plus grand")
    # Reads and writes other than inserts are the same; inserts may only be split in more
    # statements where the database limits the parameters of one statement (SQLite).
    assert {k: n for k, n in many_kinds.items() if k != "INSERT"} == {
        k: n for k, n in few_kinds.items() if k != "INSERT"
    }
    assert many <= few + 10
