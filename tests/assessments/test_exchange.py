"""The exchange format: reading and checking a file, naming the response and the code of each
problem, and writing submitted responses back in the same shape."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from assessments import exchange, importing
from assessments.loading import install_instrument
from assessments.models import Response
from assessments.services import responses as services
from tests import factories
from tests.assessments.definitions import small_instrument

pytestmark = pytest.mark.django_db

FULL_ANSWERS = {
    "Q1": 2,
    "Q2": [1, 2, 3],
    "Q3": {"1": ["done"], "2": ["planned"]},
    "Q4": {"1": 3, "2": 0},
    "Q5": {"1": "partially", "2": "yes"},
    "Q6": 4,
    "Q7": 12,
    "Q8": 2,
}


@pytest.fixture(autouse=True)
def english():
    # Messages are compared word for word in English, whatever the catalogues say.
    with translation.override("en"):
        yield


@pytest.fixture
def instrument():
    return install_instrument(small_instrument())


def read_one(item):
    (entry,) = exchange.read([item])
    return entry


def response(answers, **extra):
    return {"company": "001", "instrument": "small", "stage": "T0", "answers": answers, **extra}


def test_load_refuses_what_is_not_a_json_list():
    with pytest.raises(exchange.ExchangeError, match=r"not valid JSON \(line 1, column 3"):
        exchange.load(b"[{oops}]")
    with pytest.raises(exchange.ExchangeError, match="must hold a JSON list"):
        exchange.load(b'{"company": "1"}')
    with pytest.raises(exchange.ExchangeError, match="not UTF-8"):
        exchange.load("[]".encode("utf-16"))


def test_load_refuses_a_file_nested_too_deeply_rather_than_crashing():
    with pytest.raises(exchange.ExchangeError, match="too deeply"):
        exchange.load(b"[" * 200_000 + b"]" * 200_000)


def test_load_accepts_a_byte_order_mark_as_spreadsheets_write_it():
    assert exchange.load("\ufeff[]".encode()) == []


def test_answers_are_cleaned_in_the_stored_format(instrument):
    entry = read_one(response(FULL_ANSWERS))
    assert entry.problems == []
    assert entry.instrument == instrument
    assert entry.answers == {**FULL_ANSWERS, "Q3": {"1": ["done"], "2": ["planned"]}}


def test_answers_of_hidden_conditional_questions_are_dropped(instrument):
    # Q8 is shown only when option 1 of Q2 is ticked.
    entry = read_one(response({"Q2": [2], "Q8": 2}))
    assert entry.problems == []
    assert entry.answers == {"Q2": [2]}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"Q99": 1}, "Response 1 (company “001”): question Q99: There is no question Q99"),
        ({"Q2": [1, 7]}, "Response 1 (company “001”): question Q2: Option 7 does not exist"),
        ({"Q4": {"9": 1}}, "Response 1 (company “001”): question Q4: Row 9 does not exist"),
        ({"Q4": {"1": 6}}, "question Q4: Rate each row with a whole number from 0 to 5."),
        ({"Q5": {"1": "maybe"}}, "question Q5: Answer each row with “yes”, “partially” or “no”."),
        ({"Q3": {"1": ["soon"]}}, "question Q3: Tick “done” and/or “planned” for each row."),
        ({"Q6": 9}, "question Q6: Choose a point between 1 and 5 on the scale."),
        ([1, 2], "Response 1 (company “001”): Answers must be an object keyed by question code."),
    ],
)
def test_each_bad_answer_names_the_response_and_the_question(instrument, answers, expected):
    entry = read_one(response(answers))
    (message,) = entry.messages()
    assert expected in message


def test_shape_problems_name_the_response_and_the_key(instrument):
    entries = exchange.read(
        [
            response({}),
            "not an object",
            {"company": 42, "instrument": "nope", "stage": "T0", "answers": {}},
            {"company": "7", "instrument": "small", "stage": "T3", "answers": {}},
            {"instrument": "small", "answers": {}, "score": 50},
            response({}, person="someone@example.ma"),
        ]
    )
    assert exchange.problems(entries) == [
        "Response 2: each response must be an object with the keys instrument, stage, answers.",
        "Response 3 (company “42”): unknown instrument “nope”.",
        "Response 4 (company “7”): unknown stage “T3”: use T0, T1 or T2.",
        "Response 5: unknown key “score”: a response has only company, person, instrument, "
        "stage, answers.",
        "Response 5: the key “stage” is missing.",
        "Response 6 (company “001”): “person” is only for instruments each person answers for "
        "themselves; “small” is answered for a company.",
    ]


def test_reading_uses_the_instrument_current_version(instrument):
    instrument.advanced_from = 60
    instrument.save()
    instrument.publish_version()  # nobody has answered: the version is rewritten in place
    assert read_one(response({})).version == instrument.current_version()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("001 234 567 000 089", ("ice", "001234567000089")),
        ("001.234.567.000.089", ("ice", "001234567000089")),
        ("٠٠١٢٣٤٥٦٧٠٠٠٠٨٩", ("ice", "001234567000089")),
        (17, ("id", 17)),
        ("17", ("id", 17)),
        ("ACME", None),
        (True, None),
        (0, None),
        ([1], None),
    ],
)
def test_a_company_is_named_by_ice_or_id(value, expected):
    assert importing.company_reference(value) == expected


def submitted(instrument, company, stage="T0", answers=None):
    draft = services.start_or_resume(instrument, stage, company=company)
    services.save_answers(draft, answers or FULL_ANSWERS)
    return services.submit(draft)


def test_export_writes_stored_answers_with_the_company_ice(instrument):
    company = factories.make_company(ice="001234567000089")
    submitted(instrument, company)
    services.start_or_resume(instrument, "T1", company=company)  # a draft is not exported
    assert exchange.export() == [
        {
            "company": "001234567000089",
            "instrument": "small",
            "stage": "T0",
            "answers": FULL_ANSWERS,
        }
    ]
    assert exchange.export(stage="T1") == []
    assert json.loads(exchange.dumps(exchange.export())) == exchange.export()


def test_export_runs_a_fixed_number_of_queries(instrument):
    submitted(instrument, factories.make_company())
    with CaptureQueriesContext(connection) as one:
        assert len(exchange.export()) == 1
    for _ in range(5):
        submitted(instrument, factories.make_company())
    with CaptureQueriesContext(connection) as six:
        assert len(exchange.export()) == 6
    assert len(six.captured_queries) == len(one.captured_queries) == 1


def test_person_instruments_are_exported_with_the_person_email():
    selfcheck = install_instrument(small_instrument(slug="self-check", audience="person"))
    person = factories.make_user(email="amina@example.ma")
    draft = services.start_or_resume(selfcheck, "T0", person=person)
    services.save_answers(draft, {"Q1": 1, "Q4": {"1": 2, "2": 2}})
    services.submit(draft)
    (item,) = exchange.export(instrument=selfcheck)
    assert item == {
        "person": "amina@example.ma",
        "instrument": "self-check",
        "stage": "T0",
        "answers": {"Q1": 1, "Q4": {"1": 2, "2": 2}},
    }
    assert Response.objects.get().company is None
