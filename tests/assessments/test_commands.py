"""score_responses, import_responses and export_responses, as the spec's section 6 describes
them: exact output, clear errors with a non-zero exit, imports all or nothing."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from assessments.loading import install_instrument
from assessments.models import DimensionScore, Response
from assessments.services import responses as services
from assessments.signals import result_recorded
from tests import factories
from tests.assessments.definitions import small_instrument

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

FULL_ANSWERS = {
    "Q1": 2,  # 2 of 4 points: 5/10
    "Q2": [1, 2, 3],  # weights 1 + 1 − 1 of 2: 5/10; option 1 shows Q8
    "Q3": {"1": ["done"], "2": ["planned"]},  # (1 + 0.5) / 4 rows: 3.75/10
    "Q4": {"1": 3},  # row 2 left out counts as 0: (3 + 0) / 2 / 5: 3/10
    "Q5": {"1": "partially", "2": "yes"},  # (0.5 + 1) / 2: 7.5/10
    "Q6": 4,  # (4 − 1) / 4: 7.5/10
    "Q7": 12,  # band of 5 points out of 10: 5/10
    "Q8": 2,  # 4 of 4 points: 10/10
}
# D1 = (5 + 5 + 3.75) / 3 × 10; D2 = (3 + 7.5 + 7.5 + 5 + 10) / 5 × 10; weights 1 and 2.
FULL_D1 = 137.5 / 3
FULL_D2 = 66.0
FULL_OVERALL = (FULL_D1 + 2 * FULL_D2) / 3

# Everything left out but Q1 (0 points) and one row of Q4: Q2 and the grids count as nothing.
SPARSE_ANSWERS = {"Q1": 1, "Q4": {"2": 5}, "Q8": 2}  # Q8 is hidden: Q2 lacks option 1
SPARSE_D2 = (5 + 0) / 2 * 10
SPARSE_OVERALL = (0 + 2 * SPARSE_D2) / 3


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def instrument():
    return install_instrument(small_instrument())


def write(tmp_path, content, name="responses.json"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def run(command, *args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def fails(command, *args, **options):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(command, *args, stdout=out, stderr=io.StringIO(), **options)
    assert caught.value.returncode != 0
    return out.getvalue(), str(caught.value)


def item(company, stage="T0", answers=None, instrument="small", **extra):
    answers = FULL_ANSWERS if answers is None else answers
    return {
        "company": company,
        "instrument": instrument,
        "stage": stage,
        "answers": answers,
        **extra,
    }


# score_responses ---------------------------------------------------------------------------


def test_score_responses_prints_one_exact_json_object_per_line(instrument, tmp_path):
    path = write(tmp_path, [item("999 999 999 999 999"), item("nowhere", answers=SPARSE_ANSWERS)])
    out, _err = run("score_responses", path)
    lines = out.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    for line, printed in zip(lines, (first, second), strict=True):
        assert list(printed) == ["instrument", "version", "overall", "level", "dimensions"]
        assert line == json.dumps(printed)  # the spec's layout: {"instrument": "small", …}
    assert first == {
        "instrument": "small",
        "version": 1,
        "overall": pytest.approx(FULL_OVERALL),
        "level": "moderately_advanced",
        "dimensions": {"D1": pytest.approx(FULL_D1), "D2": pytest.approx(FULL_D2)},
    }
    assert first["overall"] != round(first["overall"], 2)  # unrounded
    assert second == {
        "instrument": "small",
        "version": 1,
        "overall": pytest.approx(SPARSE_OVERALL),
        "level": "basic",
        "dimensions": {"D1": 0.0, "D2": pytest.approx(SPARSE_D2)},
    }
    assert not Response.objects.exists()  # nothing saved, and no company needed


def test_score_responses_reads_standard_input(instrument, monkeypatch):
    data = json.dumps([item("1", answers=SPARSE_ANSWERS)]).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    out, _err = run("score_responses", "-")
    assert json.loads(out)["overall"] == pytest.approx(SPARSE_OVERALL)


def test_score_responses_uses_the_current_version(instrument, tmp_path):
    company = factories.make_company()
    draft = services.start_or_resume(instrument, "T0", company=company)
    services.save_answers(draft, {"Q1": 2, "Q4": {"1": 1, "2": 1}})
    services.submit(draft)  # version 1 now has a response: a change makes version 2
    instrument.average_from = 10
    instrument.save()
    instrument.publish_version()
    out, _err = run("score_responses", write(tmp_path, [item("1", answers=SPARSE_ANSWERS)]))
    assert json.loads(out)["version"] == 2
    assert json.loads(out)["level"] == "average"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[{]", "is not valid JSON (line 1, column 3"),
        ({"company": "1"}, "must hold a JSON list of responses"),
        (
            [item("1"), item("42", instrument="maturity")],
            "Response 2 (company “42”): unknown instrument “maturity”",
        ),
        (
            [item("1"), item("42", answers={"Q12": 1})],
            "Response 2 (company “42”): question Q12: There is no question Q12",
        ),
        (
            [item("1"), item("42", answers={"Q2": [5]})],
            "Response 2 (company “42”): question Q2: Option 5 does not exist",
        ),
        (
            [item("1"), item("42", answers={"Q5": {"1": "sometimes"}})],
            "Response 2 (company “42”): question Q5: Answer each row",
        ),
        (
            [item("1"), item("42", answers={"Q4": {"3": 1}})],
            "Response 2 (company “42”): question Q4: Row 3 does not exist",
        ),
        ([item("1"), item("42", stage="T4")], "Response 2 (company “42”): unknown stage “T4”"),
        (
            [item("1"), {"company": "42", "stage": "T0", "answers": {}}],
            "Response 2 (company “42”): the key “instrument” is missing",
        ),
    ],
)
def test_score_responses_names_the_response_and_the_code_and_prints_nothing(
    instrument, tmp_path, content, expected
):
    out, message = fails("score_responses", write(tmp_path, content))
    assert expected in message
    assert out == ""  # the whole file is checked before anything is printed


def test_score_responses_lists_every_problem_of_the_file(instrument, tmp_path):
    content = [item("1", answers={"Q1": 9}), item("2", stage="T9")]
    _out, message = fails("score_responses", write(tmp_path, content))
    assert message.splitlines() == [
        f"2 problems in {tmp_path / 'responses.json'}; nothing was scored:",
        "Response 1 (company “1”): question Q1: Option 9 does not exist: choose between 1 and 4.",
        "Response 2 (company “2”): unknown stage “T9”: use T0, T1 or T2.",
    ]


def test_score_responses_exits_non_zero_with_the_message_on_standard_error(tmp_path):
    path = write(tmp_path, "[1, 2")
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "score_responses", path],
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "virage_site.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert path in result.stderr


def test_score_responses_reports_a_file_it_cannot_read(tmp_path):
    _out, message = fails("score_responses", str(tmp_path / "missing.json"))
    assert "missing.json" in message


# import_responses --------------------------------------------------------------------------


@pytest.fixture
def companies():
    return (
        factories.make_company(name="Atelier", ice="001234567000089"),
        factories.make_company(name="Coopérative", ice="002000000000017"),
    )


def test_import_saves_scored_submitted_responses_by_ice_or_id(
    instrument, companies, tmp_path, django_capture_on_commit_callbacks
):
    atelier, coop = companies
    announced = []

    def listen(sender, response, **kwargs):
        announced.append(response.pk)

    result_recorded.connect(listen)
    try:
        path = write(
            tmp_path,
            [
                item("001 234.567-000 089"),
                item(coop.pk, answers=SPARSE_ANSWERS),
                item(str(coop.pk), stage="T1"),
            ],
        )
        with django_capture_on_commit_callbacks(execute=True):
            out, _err = run("import_responses", path)
    finally:
        result_recorded.disconnect(listen)
    assert out.splitlines() == [
        "Response 1: Atelier (ICE 001234567000089) · small · T0 → imported: 59.3/100, "
        "Moderately advanced",
        "Response 2: Coopérative (ICE 002000000000017) · small · T0 → imported: 16.7/100, Basic",
        "Response 3: Coopérative (ICE 002000000000017) · small · T1 → imported: 59.3/100, "
        "Moderately advanced",
        "3 responses imported.",
    ]
    saved = Response.objects.get(company=atelier)
    assert (saved.status, saved.source, saved.stage) == ("submitted", "import", "T0")
    assert saved.version == instrument.current_version()
    assert saved.overall == pytest.approx(FULL_OVERALL)
    assert saved.scores == {"D1": pytest.approx(FULL_D1), "D2": pytest.approx(FULL_D2)}
    assert set(DimensionScore.objects.filter(response=saved).values_list("code", flat=True)) == {
        "D1",
        "D2",
    }
    sparse = Response.objects.get(company=coop, stage="T0")
    assert sparse.answers == {"Q1": 1, "Q4": {"2": 5}}  # the hidden Q8 is dropped
    assert sorted(announced) == sorted(Response.objects.values_list("pk", flat=True))


def test_one_bad_response_imports_nothing_and_the_report_says_why(instrument, companies, tmp_path):
    atelier, coop = companies
    path = write(
        tmp_path,
        [
            item(atelier.ice),
            item(coop.ice, answers={"Q2": [1, 9]}),
            item("999999999999999"),
            item(123456),
            item("ACME"),
            item(coop.ice, stage="T1"),
        ],
    )
    out, message = fails("import_responses", path)
    assert not Response.objects.exists()
    assert out.splitlines() == [
        "Response 1: Atelier (ICE 001234567000089) · small · T0 → can be imported: 59.3/100, "
        "Moderately advanced",
        "Response 2: Coopérative (ICE 002000000000017) · small · T0 → not imported",
        "    - question Q2: Option 9 does not exist: choose between 1 and 4.",
        "Response 3: 999999999999999 · small · T0 → not imported",
        "    - no company has the ICE 999999999999999.",
        "Response 4: 123456 · small · T0 → not imported",
        "    - no company has the id 123456.",
        "Response 5: ACME · small · T0 → not imported",
        "    - “ACME” is neither an ICE (15 digits) nor a company id.",
        "Response 6: Coopérative (ICE 002000000000017) · small · T1 → can be imported: "
        "59.3/100, Moderately advanced",
    ]
    assert message == (
        "Nothing was imported: 4 of 6 responses have errors. Correct the file and import it again."
    )


def test_dry_run_reports_without_saving(instrument, companies, tmp_path):
    out, _err = run("import_responses", write(tmp_path, [item(companies[0].ice)]), dry_run=True)
    assert "→ can be imported: 59.3/100" in out
    assert "Check only: the 1 response can be imported; nothing was saved." in out
    assert not Response.objects.exists()


def test_a_stage_already_submitted_is_never_overwritten(instrument, companies, tmp_path):
    atelier, _coop = companies
    run("import_responses", write(tmp_path, [item(atelier.ice, answers=SPARSE_ANSWERS)]))
    first = Response.objects.get()
    out, _message = fails("import_responses", write(tmp_path, [item(atelier.ice)]))
    assert (
        "    - stage T0 of “small” is already submitted; an import never overwrites a result. "
        "A programme manager can reopen that response (Assessments → Responses), then import "
        "again."
    ) in out.splitlines()
    assert list(Response.objects.values_list("pk", "overall")) == [(first.pk, first.overall)]


def test_an_import_after_reopening_completes_the_new_draft(instrument, companies, tmp_path):
    atelier, _coop = companies
    run("import_responses", write(tmp_path, [item(atelier.ice, answers=SPARSE_ANSWERS)]))
    draft = services.reopen(Response.objects.get())
    run("import_responses", write(tmp_path, [item(atelier.ice)]))
    draft.refresh_from_db()
    assert (draft.status, draft.source) == ("submitted", "import")
    assert draft.overall == pytest.approx(FULL_OVERALL)
    assert Response.objects.filter(status="reopened").count() == 1


def test_an_import_never_replaces_answers_being_given_online(instrument, companies, tmp_path):
    atelier, _coop = companies
    lead = factories.add_member(atelier, role="lead")
    draft = services.start_or_resume(instrument, "T0", company=atelier, filled_by=lead)
    services.save_answers(draft, {"Q1": 2})
    out, _message = fails("import_responses", write(tmp_path, [item(atelier.ice)]))
    assert "is being answered online" in out
    draft.refresh_from_db()
    assert (draft.status, draft.answers) == ("draft", {"Q1": 2})


def test_the_same_stage_twice_in_a_file_is_refused(instrument, companies, tmp_path):
    atelier, _coop = companies
    out, _message = fails(
        "import_responses", write(tmp_path, [item(atelier.ice), item(atelier.pk)])
    )
    assert (
        "    - response 1 already gives this stage of this instrument for the same company."
        in out.splitlines()
    )
    assert not Response.objects.exists()


def test_person_instruments_import_by_email(tmp_path):
    install_instrument(small_instrument(slug="self-check", audience="person"))
    company = factories.make_company(name="Atelier")
    amina = factories.add_member(company, factories.make_user(email="amina@example.ma"))
    outsider = factories.make_user(email="omar@example.ma")
    answers = {"Q1": 2, "Q4": {"1": 5, "2": 5}}
    bad = [
        {"person": "nobody@example.ma", "instrument": "self-check", "stage": "T0", "answers": {}},
        item(company.ice, instrument="self-check", answers=answers, person=outsider.email),
        item(company.ice, instrument="self-check", answers=answers),
        item(company.ice, instrument="self-check", answers=answers, person=5),
    ]
    out, _message = fails("import_responses", write(tmp_path, bad))
    assert "    - nobody has the email address “nobody@example.ma”." in out.splitlines()
    assert "    - omar@example.ma is not a member of the company “Atelier”." in out.splitlines()
    assert (
        "    - the key “person” is missing: give the email address of the person who answered."
        in out.splitlines()
    )
    assert "    - “5” is not an email address." in out.splitlines()
    good = [item(company.ice, instrument="self-check", answers=answers, person="Amina@Example.ma")]
    run("import_responses", write(tmp_path, good))
    saved = Response.objects.get()
    assert (saved.person, saved.company) == (amina, company)


# export_responses --------------------------------------------------------------------------


def test_export_then_import_into_another_state_gives_identical_scores(
    instrument, companies, tmp_path
):
    atelier, coop = companies
    original = [
        item(atelier.ice),
        item(atelier.ice, stage="T1", answers=SPARSE_ANSWERS),
        item(coop.pk, answers={"Q1": 3, "Q2": [4], "Q6": 1, "Q7": 50}),
    ]
    run("import_responses", write(tmp_path, original))
    before = {
        (r.company_id, r.stage): (r.overall, r.level, r.scores) for r in Response.objects.all()
    }
    exported = tmp_path / "exported.json"
    out, _err = run("export_responses", output=str(exported))
    assert out == f"3 responses written to {exported}.\n"

    scored, _err = run("score_responses", str(exported))
    assert sorted(json.loads(line)["overall"] for line in scored.splitlines()) == sorted(
        overall for overall, _level, _scores in before.values()
    )

    Response.objects.all().delete()
    run("import_responses", str(exported))
    after = {
        (r.company_id, r.stage): (r.overall, r.level, r.scores) for r in Response.objects.all()
    }
    assert after == before


def test_export_filters_by_instrument_and_stage(instrument, companies, tmp_path):
    atelier, coop = companies
    run("import_responses", write(tmp_path, [item(atelier.ice), item(coop.ice, stage="T1")]))
    out, _err = run("export_responses", instrument="small", stage="T1")
    assert json.loads(out) == [
        item(coop.ice, stage="T1", answers=Response.objects.get(stage="T1").answers)
    ]
    _out, message = fails("export_responses", instrument="nope")
    assert message == "Unknown instrument “nope”."


def test_an_import_needs_the_required_questions_that_have_no_empty_answer(
    instrument, companies, tmp_path
):
    atelier, _coop = companies
    # Q1 (single choice) is required; Q4 (a required grid) left out counts as rows at 0.
    out, _message = fails("import_responses", write(tmp_path, [item(atelier.ice, answers={})]))
    assert "    - required questions are not answered: Q1." in out.splitlines()
    assert not Response.objects.exists()
    out, _err = run("score_responses", write(tmp_path, [item(atelier.ice, answers={})]))
    assert '"instrument": "small"' in out  # scoring alone does not ask
