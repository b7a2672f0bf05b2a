from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...seeding import DEFAULT_NAME, SeedError, SeedOptions, seed_programme

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Creates a realistic programme for benchmarks and demos: companies with a lead and "
        "employees, cohorts and coaches, maturity assessments at T0, T1 and T2, skills "
        "self-checks, course progress, live sessions with attendance and action items. "
        "Seeded people cannot sign in unless --password is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, default=100, help="number of companies")
        parser.add_argument(
            "--employees-per-company",
            type=int,
            default=10,
            help="employees of each company, besides its lead",
        )
        parser.add_argument(
            "--cohort-size", type=int, default=25, help="largest number of companies per cohort"
        )
        parser.add_argument("--programme-name", default=DEFAULT_NAME, help="name of the programme")
        parser.add_argument(
            "--seed", type=int, help="seed of the random draws: the same seed gives the same data"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete a programme of that name made by an earlier seed, then seed it again",
        )
        parser.add_argument(
            "--password", help="password of every seeded person (hashed once), for demos"
        )

    def handle(self, *args, **options):
        seed_options = SeedOptions(
            companies=options["companies"],
            employees_per_company=options["employees_per_company"],
            cohort_size=options["cohort_size"],
            programme_name=options["programme_name"],
            seed=options["seed"],
            replace=options["replace"],
            password=options["password"],
        )
        self.progress_shown = False
        progress = self.show_progress if self.stderr.isatty() else None
        try:
            report = seed_programme(seed_options, progress=progress)
        except SeedError as error:
            raise CommandError(str(error)) from error
        finally:
            if self.progress_shown:
                self.stderr.write("")  # Ends the progress bar's line.
        counts = report.counts
        self.stdout.write(
            _(
                "Programme “%(name)s” seeded in %(seconds).1f s (seed %(seed)s): %(companies)s "
                "companies, %(people)s people, %(cohorts)s cohorts, %(coaches)s coaches; "
                "maturity assessments T0 %(t0)s, T1 %(t1)s, T2 %(t2)s; %(checks)s skills "
                "self-checks; %(enrolments)s enrolments, %(completions)s lessons completed; "
                "%(sessions)s live sessions, %(attendance)s attendance rows, %(actions)s "
                "action items."
            )
            % {
                "name": report.programme.name,
                "seconds": report.seconds,
                "seed": report.seed,
                "companies": counts["companies"],
                "people": counts["people"] + counts["coaches"],
                "cohorts": counts["cohorts"],
                "coaches": counts["coaches"],
                "t0": counts["maturity-sme T0"],
                "t1": counts["maturity-sme T1"],
                "t2": counts["maturity-sme T2"],
                "checks": counts["digital-skills T0"] + counts["digital-skills T1"],
                "enrolments": counts["enrolment"],
                "completions": counts["lessoncompletion"],
                "sessions": counts["sessions"],
                "attendance": counts["attendance"],
                "actions": counts["actionitem"],
            }
        )

    def show_progress(self, done, total):
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total}", ending="")
        self.stderr.flush()
        self.progress_shown = True
