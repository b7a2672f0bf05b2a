"""A realistic programme for benchmarks and demos (`manage.py seed_programme`): thousands of
companies with a lead and employees, cohorts of about 25 companies with their coaches, maturity
assessments at T0 for every company, T1 for most and T2 for a few, employees' skills
self-checks, course progress, live sessions with attendance, and action items.

Results are those of the real instrument (`maturity-sme` of the demo content) scored by the real
scorer (`assessments.scoring.score`) on generated answers, so a response's overall score, level
and dimension scores agree as if it had been submitted online. Courses are the site's live
French courses (the demo courses are installed when there are none).

Speed: everything is written with bulk inserts (rows whose keys are needed later) or, on
PostgreSQL, COPY (the many narrow rows nothing refers to), cohort by cohort in batches of about
BATCH_COMPANIES companies, with the same statements for every batch whatever its size; nobody's
password is hashed more than once (seeded people cannot sign in unless `password` is given,
and then all share that one hash). The whole seed is one transaction: all or nothing.

Not as online: `result_recorded` is not sent for seeded responses, no room event log is
written for the sessions held, and a few dates (enrolments, lesson completions, a response's
`started_at`) are the time of the seed."""

import datetime
import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import scoring
from assessments.models import DimensionScore, Response
from assessments.services.taking import steps_for
from coaching.models import Cohort, CohortCompany, LiveSession, Programme
from courses.models import ModulePage
from virage_site.accounts.roles import group_name
from virage_site.companies.choices import Region
from virage_site.companies.models import Company, Membership

from . import seed_companies as people
from .seed_answers import random_answers
from .seed_learning import Progress, load_catalogue
from .seed_sessions import CohortLife

DEFAULT_NAME = "Programme TPME (données de démonstration)"
LIMITS = {
    "companies": (1, 20_000),
    "employees_per_company": (0, 100),
    "cohort_size": (2, 200),
}
BATCH_COMPANIES = 250
ROWS_PER_STATEMENT = 5_000
COMPANY_INSTRUMENT = "maturity-sme"
PERSON_INSTRUMENT = "digital-skills"
# The programme runs 18 months and is seen near its end: T0 taken in its first weeks, T1 at
# mid-programme, T2 by the few companies that took it early.
PROGRAMME_DAYS = 548
DAYS_SINCE_START = 480
STAGE_WINDOWS = {"T0": (0, 42), "T1": (270, 310), "T2": (450, 475)}
TAKES_T1 = 0.8
TAKES_T2_AFTER_T1 = 0.15
EMPLOYEE_JOINS = 0.75
EMPLOYEE_SELF_CHECK = 0.2
EMPLOYEE_SELF_CHECK_AGAIN = 0.5
SECOND_COACH = 0.3
COHORTS_PER_COACH = 3


class SeedError(Exception):
    """Arguments or a database state the seed refuses; the message says why."""


@dataclass(frozen=True)
class SeedOptions:
    companies: int
    employees_per_company: int
    cohort_size: int = 25
    programme_name: str = DEFAULT_NAME
    seed: int | None = None
    replace: bool = False
    password: str | None = None


@dataclass
class SeedReport:
    programme: Programme
    seed: int
    seconds: float = 0.0
    counts: Counter = field(default_factory=Counter)


def check_options(options):
    """Messages for arguments out of range; empty when all are fine."""
    problems = []
    names = {
        "companies": "--companies",
        "employees_per_company": "--employees-per-company",
        "cohort_size": "--cohort-size",
    }
    for name, (low, high) in LIMITS.items():
        value = getattr(options, name)
        if not isinstance(value, int) or not low <= value <= high:
            problems.append(
                _("%(option)s must be a whole number from %(low)s to %(high)s (got %(value)s).")
                % {"option": names[name], "low": low, "high": high, "value": value}
            )
    name = (options.programme_name or "").strip()
    if not name or len(name) > Programme._meta.get_field("name").max_length:
        problems.append(_("--programme-name must be 1 to 200 characters long."))
    if options.seed is not None and not 0 <= options.seed < 2**63:
        problems.append(_("--seed must be a whole number from 0 to 2^63 - 1."))
    return problems


def seed_programme(options, progress=None):
    """Create the programme described by `options`; `progress(done, total)` is called after
    each batch of companies. Raises SeedError, having written nothing, when it cannot."""
    problems = check_options(options)
    if problems:
        raise SeedError("\n".join(problems))
    started = time.monotonic()
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**32)
    with transaction.atomic():
        existing = list(Programme.objects.filter(name=options.programme_name.strip()))
        if existing and not options.replace:
            raise SeedError(
                _(
                    "A programme named “%(name)s” already exists. Choose another name with "
                    "--programme-name, or give --replace to delete it and seed it again."
                )
                % {"name": options.programme_name.strip()}
            )
        for programme in existing:
            delete_seeded(programme)
        # Reproducible test data, not secrets: a seeded generator is the point.
        report = _Seeder(options, random.Random(seed), progress).run()  # noqa: S311
    report.seed = seed
    report.seconds = time.monotonic() - started
    return report


def delete_seeded(programme):
    """Delete a programme made by the seed, with its cohorts, sessions, companies and people;
    refuses when it holds a company that the seed did not create."""
    domain = "@" + people.EMAIL_DOMAIN
    placed = CohortCompany.objects.filter(cohort__programme=programme).values("company_id")
    if Company.objects.filter(pk__in=placed).exclude(lead_email__endswith=domain).exists():
        raise SeedError(
            _(
                "The programme “%(name)s” has companies that were not created by the seed: "
                "it is not deleted. Choose another --programme-name."
            )
            % {"name": programme.name}
        )
    company_ids = list(Company.objects.filter(pk__in=placed).values_list("pk", flat=True))
    User = get_user_model()
    user_ids = set(
        User.objects.filter(email__endswith=domain, memberships__company__in=company_ids)
        .values_list("pk", flat=True)
        .distinct()
    )
    user_ids |= set(
        User.objects.filter(email__endswith=domain, coached_cohorts__programme=programme)
        .values_list("pk", flat=True)
        .distinct()
    )
    User.objects.filter(pk__in=user_ids).delete()
    Company.objects.filter(pk__in=company_ids).delete()
    Cohort.objects.filter(programme=programme).delete()
    programme.delete()


def balanced_sizes(total, largest):
    """Sizes of the fewest cohorts of at most `largest` companies, as even as possible."""
    count = math.ceil(total / largest)
    small, extra = divmod(total, count)
    return [small + 1] * extra + [small] * (count - extra)


def _bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=ROWS_PER_STATEMENT)


def insert(model, columns, rows):
    """Insert `rows`: model instances when `columns` is None (their primary keys are set), else
    tuples of those columns' values. Tuples go to PostgreSQL through COPY, without a model
    instance each: most rows of a programme are such narrow rows, and building hundreds of
    thousands of instances would take most of the seed's time."""
    if columns is None:
        return _bulk(model, rows)
    if not rows:
        return rows
    if connection.vendor != "postgresql":
        return _bulk(model, [model(**dict(zip(columns, row, strict=True))) for row in rows])
    from psycopg import sql
    from psycopg.types.json import Jsonb

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    json_at = [
        n
        for n, name in enumerate(columns)
        if model._meta.get_field(name).get_internal_type() == "JSONField"
    ]
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            if json_at:
                row = [Jsonb(v) if n in json_at else v for n, v in enumerate(row)]
            copy.write_row(row)
    return rows


@dataclass
class _Member:
    company: Company
    lead: object
    employees: list
    propensity: float
    engagement: float


class _Seeder:
    def __init__(self, options, rng, progress):
        self.options, self.rng, self.progress = options, rng, progress
        self.now = timezone.now()
        self.counts = Counter()

    def run(self):
        from virage_site.demo.assessments import ensure_instruments

        instruments = ensure_instruments()
        self.maturity = self._open(instruments[COMPANY_INSTRUMENT], "T2")
        self.skills = self._open(instruments[PERSON_INSTRUMENT], "T1")
        self.catalogue = load_catalogue()
        modules = list(
            ModulePage.objects.live()
            .filter(locale__language_code="fr")
            .order_by("path")
            .values_list("pk", flat=True)
        )
        starts_on = timezone.localdate(self.now) - datetime.timedelta(days=DAYS_SINCE_START)
        self.starts_on = starts_on
        self.programme = Programme.objects.create(
            name=self.options.programme_name.strip(),
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=PROGRAMME_DAYS),
        )
        self.password = make_password(self.options.password or None)
        drawn = self._draw_companies()
        sizes = balanced_sizes(len(drawn), self.options.cohort_size)
        coaches = self._coaches(math.ceil(len(sizes) / COHORTS_PER_COACH), drawn[0][0]["ice"])
        cohorts, start = [], 0
        for number, size in enumerate(sizes, 1):
            cohorts.append((number, drawn[start : start + size]))
            start += size
        done = 0
        for batch in self._batches(cohorts):
            life = CohortLife(self.rng, self.now, starts_on, modules)
            self._seed_batch(batch, coaches, life)
            done += sum(len(companies) for _number, companies in batch)
            if self.progress:
                self.progress(done, len(drawn))
        self.counts["cohorts"] = len(sizes)
        self.counts["coaches"] = len(coaches)
        return SeedReport(programme=self.programme, seed=0, counts=self.counts)

    def _open(self, instrument, stage):
        """The instrument's current version; the stages seeded are opened, as a programme at
        this point would have opened them."""
        if not instrument.stage_is_open(stage):
            instrument.open_until = stage
            instrument.save(update_fields=["open_until"])
        version = instrument.current_version() or instrument.publish_version()
        return instrument, version, version.definition

    def _draw_companies(self):
        taken = set(Company.objects.values_list("ice", flat=True))
        ices = people.new_ices(self.rng, self.options.companies, taken)
        drawn = [people.company_fields(self.rng, ice) for ice in ices]
        # Cohorts are formed within a region where possible, so sessions can meet in person.
        order = {region: n for n, region in enumerate(Region.values)}
        drawn.sort(key=lambda item: (order[item[0]["region"]], item[0]["city"], item[0]["ice"]))
        return drawn

    def _coaches(self, count, first_ice):
        User = get_user_model()
        coaches = _bulk(
            User,
            [
                User(
                    email=people.coach_email(first_ice, number),
                    first_name=first,
                    last_name=last,
                    password=self.password,
                    last_login=self.now,
                )
                for number, (first, last) in enumerate(
                    (people.person_name(self.rng) for _n in range(count)), 1
                )
            ],
        )
        group, _created = Group.objects.get_or_create(name=group_name("coach"))
        insert(
            User.groups.through,
            ("user_id", "group_id"),
            [(coach.pk, group.pk) for coach in coaches],
        )
        return coaches

    def _batches(self, cohorts):
        batch, size = [], 0
        for cohort in cohorts:
            batch.append(cohort)
            size += len(cohort[1])
            if size >= BATCH_COMPANIES:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch

    def _seed_batch(self, batch, coaches, life):
        drawn = [item for _number, companies in batch for item in companies]
        companies = _bulk(Company, [Company(**fields) for fields, _names, _p in drawn])
        members = self._people(drawn, companies)
        cohorts = _bulk(
            Cohort,
            [
                Cohort(programme=self.programme, name=f"Promotion {number:03d}")
                for number, _c in batch
            ],
        )
        coach_links, placements, start = [], [], 0
        for cohort, (number, cohort_companies) in zip(cohorts, batch, strict=True):
            main = (number - 1) // COHORTS_PER_COACH
            cohort_coaches = [coaches[main]]
            if len(coaches) > 1 and self.rng.random() < SECOND_COACH:
                cohort_coaches.append(coaches[(main + 1) % len(coaches)])
            coach_links += [(cohort.pk, coach.pk) for coach in cohort_coaches]
            cohort_members = members[start : start + len(cohort_companies)]
            start += len(cohort_companies)
            placements += [(cohort.pk, m.company.pk, self.now) for m in cohort_members]
            life.plan(cohort, cohort_coaches[0], [self._session_people(m) for m in cohort_members])
        insert(Cohort.coaches.through, ("cohort_id", "user_id"), coach_links)
        insert(CohortCompany, ("cohort_id", "company_id", "joined_at"), placements)
        self._assessments(members)
        self._learning(members)
        _bulk(LiveSession, life.sessions)
        insert(
            LiveSession.modules.through, ("livesession_id", "modulepage_id"), life.modules_rows()
        )
        for model, columns, rows in life.room_rows():
            insert(model, columns, rows)
            self.counts[model._meta.model_name] += len(rows)
        self.counts["sessions"] += len(life.sessions)
        self.counts["companies"] += len(companies)

    def _people(self, drawn, companies):
        User = get_user_model()
        per_company = self.options.employees_per_company
        users = []
        for (fields, (first, last), _p), company in zip(drawn, companies, strict=True):
            users.append(self._user(fields["lead_email"], first, last, self.now))
            for number in range(1, per_company + 1):
                first, last = people.person_name(self.rng)
                joined = self.rng.random() < EMPLOYEE_JOINS
                email = people.employee_email(company.ice, number)
                users.append(self._user(email, first, last, self.now if joined else None))
        users = _bulk(User, users)
        members, memberships = [], []
        for n, ((_fields, _names, propensity), company) in enumerate(
            zip(drawn, companies, strict=True)
        ):
            lead, *employees = users[n * (per_company + 1) : (n + 1) * (per_company + 1)]
            memberships.append((lead.pk, company.pk, Membership.Role.LEAD.value, self.now))
            memberships += [
                (e.pk, company.pk, Membership.Role.EMPLOYEE.value, self.now) for e in employees
            ]
            engagement = min(1.0, max(0.0, self.rng.gauss(0.3 + propensity / 2, 0.2)))
            members.append(_Member(company, lead, employees, propensity, engagement))
        insert(Membership, ("user_id", "company_id", "role", "joined_at"), memberships)
        self.counts["people"] += len(users)
        return members

    def _user(self, email, first, last, last_login):
        return get_user_model()(
            email=email,
            first_name=first,
            last_name=last,
            password=self.password,
            last_login=last_login,
        )

    def _session_people(self, member):
        joined = [e for e in member.employees if e.last_login]
        return member.company, member.lead, joined, member.engagement

    def _submitted_at(self, stage):
        low, high = STAGE_WINDOWS[stage]
        moment = datetime.datetime.combine(
            self.starts_on, datetime.time(9), tzinfo=timezone.get_current_timezone()
        ) + datetime.timedelta(days=self.rng.randint(low, high), minutes=self.rng.randint(0, 600))
        return min(moment, self.now - datetime.timedelta(hours=1))

    def _response(self, instrument_version, stage, propensity, **subject):
        instrument, version, definition = instrument_version
        answers = random_answers(definition, self.rng, propensity)
        result = scoring.score(definition, answers)
        self.counts[f"{instrument.slug} {stage}"] += 1
        return Response(
            instrument=instrument,
            version=version,
            stage=stage,
            status=Response.Status.SUBMITTED,
            source=Response.Source.WEB,
            answers=answers,
            step=len(steps_for(definition)) - 1,
            overall=result.overall,
            level=result.level or "",
            scores=result.dimensions,
            submitted_at=self._submitted_at(stage),
            **subject,
        )

    def _assessments(self, members):
        rng, responses = self.rng, []
        for member in members:
            p = member.propensity
            subject = {"company": member.company, "filled_by": member.lead}
            responses.append(self._response(self.maturity, "T0", p, **subject))
            if rng.random() < TAKES_T1:
                # Progress depends on how much the company took part.
                p = min(0.97, p + max(-0.05, rng.gauss(0.04 + member.engagement / 6, 0.05)))
                responses.append(self._response(self.maturity, "T1", p, **subject))
                if rng.random() < TAKES_T2_AFTER_T1:
                    p = min(0.98, p + max(-0.03, rng.gauss(0.02 + member.engagement / 10, 0.04)))
                    responses.append(self._response(self.maturity, "T2", p, **subject))
            for employee in member.employees:
                if not employee.last_login or rng.random() >= EMPLOYEE_SELF_CHECK:
                    continue
                skill = min(0.95, max(0.05, rng.gauss(member.propensity, 0.15)))
                person = {"person": employee, "filled_by": employee}
                responses.append(self._response(self.skills, "T0", skill, **person))
                if rng.random() < EMPLOYEE_SELF_CHECK_AGAIN:
                    skill = min(0.97, skill + max(0.0, rng.gauss(0.08, 0.05)))
                    responses.append(self._response(self.skills, "T1", skill, **person))
        responses = _bulk(Response, responses)
        insert(
            DimensionScore,
            ("response_id", "code", "score"),
            [
                (response.pk, code, score)
                for response in responses
                for code, score in response.scores.items()
            ],
        )

    def _learning(self, members):
        progress = Progress(self.catalogue, self.rng, self.now)
        for member in members:
            progress.learner(member.lead, True, member.engagement)
            for employee in member.employees:
                if employee.last_login:
                    progress.learner(employee, False, member.engagement)
        for model, columns, rows in progress.rows():
            insert(model, columns, rows)
            self.counts[model._meta.model_name] += len(rows)
