"""In-process part of the assessments benchmark, on whatever database Django is set up with
(the benchmark's own, or the test database of its smoke test): companies and answers are
created, then each figure is measured against its baseline in the same process and run.

The database must hold the reference instrument `maturity-sme` and, for paths worth the name,
active path rules that read it (the demo rule set)."""

import io
import json
import random
from collections import Counter

from django.core.management import call_command
from django.db import connection, transaction
from django.urls import get_resolver
from django.utils import timezone

from assessments.definition import clean_answers
from assessments.models import DimensionScore, Instrument, Response
from assessments.scoring import score

from .assessments_baselines import SLUG, check_layout, hand_clean, hand_score
from .assessments_data import create_companies, propensity, random_answers
from .assessments_paths import measure_paths
from .assessments_timing import Figure, QueryCounter, Run, fastest_of, timed

STAGE = "T0"
# Scores are compared to this precision: the engine and the hand-written scorer add the same
# numbers in a different order.
TOLERANCE = 1e-9


def measure_scoring(definition, answers, rounds):
    (engine_s, hand_s), (results, hand) = fastest_of(
        rounds,
        lambda: [score(definition, a) for a in answers],
        lambda: [hand_score(a) for a in answers],
    )
    for position, (result, by_hand) in enumerate(zip(results, hand, strict=True), 1):
        overall, level, dimensions = by_hand
        differences = [result.overall - overall]
        differences += [result.dimensions[code] - s for code, s in dimensions.items()]
        if result.level != level or any(abs(d) >= TOLERANCE for d in differences):
            raise SystemExit(
                f"bench: response {position}: the engine gives {result.overall} "
                f"{result.dimensions}, the hand-written scorer {overall} {dimensions}"
            )
    figure = Figure(
        "score",
        "`scoring.score` of each response",
        engine_s,
        "hand-written scorer",
        hand_s,
        len(answers),
    )
    return figure, results


def measure_cleaning(definition, answers, rounds):
    raw = json.loads(json.dumps(answers))  # as an exchange file gives them
    (engine_s, hand_s), (cleaned, hand) = fastest_of(
        rounds,
        lambda: [clean_answers(definition, r) for r in raw],
        lambda: [hand_clean(r) for r in raw],
    )
    for position, ((clean, problems), by_hand, given) in enumerate(
        zip(cleaned, hand, answers, strict=True), 1
    ):
        if problems or clean != by_hand or clean != given:
            raise SystemExit(f"bench: response {position} does not clean to itself: {problems}")
    return Figure(
        "clean",
        "`definition.clean_answers` of each response",
        engine_s,
        "hand-written validator",
        hand_s,
        len(answers),
    )


def stored_rows(instrument, version, pairs, answers, results):
    now = timezone.now()
    return [
        Response(
            instrument=instrument,
            version=version,
            company=company,
            stage=STAGE,
            status=Response.Status.SUBMITTED,
            source=Response.Source.IMPORT,
            answers=given,
            overall=result.overall,
            level=result.level,
            scores=result.dimensions,
            submitted_at=now,
        )
        for (company, _lead), given, result in zip(pairs, answers, results, strict=True)
    ]


def bulk_store(instrument, version, pairs, answers, results):
    """The database floor: the same rows, scores already known, in two bulk inserts."""
    with transaction.atomic():
        responses = Response.objects.bulk_create(
            stored_rows(instrument, version, pairs, answers, results)
        )
        DimensionScore.objects.bulk_create(
            DimensionScore(response=response, code=code, score=value)
            for response, result in zip(responses, results, strict=True)
            for code, value in result.dimensions.items()
        )


def measure_submit(instrument, pairs, answers, results, work_dir):
    version = instrument.current_version()
    companies = [company for company, _lead in pairs]
    exchange_file = work_dir / "responses.json"
    exchange_file.write_text(
        json.dumps(
            [
                {"company": company.ice, "instrument": SLUG, "stage": STAGE, "answers": given}
                for company, given in zip(companies, answers, strict=True)
            ]
        )
    )
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        baseline_s, _none = timed(bulk_store, instrument, version, pairs, answers, results)
    baseline_queries = counter.count
    Response.objects.filter(instrument=instrument, company__in=companies).delete()

    out, counter = io.StringIO(), QueryCounter()
    with connection.execute_wrapper(counter):
        seconds, _none = timed(
            lambda: call_command("import_responses", str(exchange_file), stdout=out, stderr=out)
        )
    stored = dict(
        Response.objects.submitted()
        .filter(instrument=instrument, company__in=companies, stage=STAGE)
        .values_list("company_id", "overall")
    )
    dimension_rows = DimensionScore.objects.filter(response__company__in=companies).count()
    wrong = [
        company.pk
        for company, result in zip(companies, results, strict=True)
        if company.pk not in stored or abs(stored[company.pk] - result.overall) >= TOLERANCE
    ]
    if wrong or dimension_rows != 6 * len(companies):
        raise SystemExit(
            f"bench: the import stored {len(stored)} results and {dimension_rows} dimension "
            f"scores for {len(companies)} companies ({len(wrong)} missing or different)"
        )
    n = len(companies)
    figure = Figure(
        "submit",
        f"`import_responses` of a file of {n} responses (one transaction)",
        seconds,
        "bulk_create of the same rows",
        baseline_s,
        n,
        queries=round(counter.count / n, 2),
        baseline_queries=round(baseline_queries / n, 4),
    )
    return figure, counter.kinds_per(n)


def run(companies, seed, rounds, work_dir, log):
    """Create `companies` companies with answers, and measure every figure; returns a Run."""
    # A serving process, or a command run with its system checks, has loaded the URLs, and
    # with them the admin's viewsets, which register models with Wagtail's reference index:
    # measure saves as they happen there.
    get_resolver().url_patterns  # noqa: B018
    instrument = Instrument.objects.get(slug=SLUG)
    definition = instrument.current_version().definition
    check_layout(definition)
    rng = random.Random(seed)
    seconds, pairs = timed(create_companies, companies, rng)
    answers = [random_answers(definition, rng, propensity(rng, company)) for company, _ in pairs]
    log(f"{companies} companies, leads and answers created ({seconds:.1f} s)")
    outcome = Run()
    figure, results = measure_scoring(definition, answers, rounds)
    outcome.figures.append(figure)
    outcome.figures.append(measure_cleaning(definition, answers, rounds))
    log("score and clean measured")
    outcome.notes["levels"] = dict(Counter(result.level for result in results).most_common())
    figure, outcome.notes["submit_statements"] = measure_submit(
        instrument, pairs, answers, results, work_dir
    )
    outcome.figures.append(figure)
    log("submit measured")
    figures, notes = measure_paths(pairs, rounds)
    outcome.figures.extend(figures)
    outcome.notes.update(notes)
    log("paths measured")
    return outcome
