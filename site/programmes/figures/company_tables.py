"""A company report's figures as Tables, so that its exports write what the page shows: maturity
per dimension and stage, each person's progress, the sessions held and the action items.

Scores are the shown (rounded) ones and each change is the difference of the two numbers beside
it, as on the page. Whose name a table may hold is the caller's business: the people table and
the owners of action items are only built for those who may read each person's figures."""

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.display import rounded

from .tables import Table

MATURITY = "maturity"
PEOPLE = "people"
SESSIONS = "sessions"
ACTIONS = "actions"
# In the order the page shows them.
COMPANY_TABLES = (MATURITY, PEOPLE, SESSIONS, ACTIONS)


def company_table_names(show_people):
    """The tables a reader may export: without the people table when they may not read it."""
    return [name for name in COMPANY_TABLES if show_people or name != PEOPLE]


def _maturity_row(title, cells):
    scores = [rounded(cell.score) for cell in cells]
    return [title, *scores, *(cell.delta for cell in cells[1:])]


def maturity_table(results):
    """Scores per dimension (and overall) at each stage the company took, then the change at
    each stage since the one before. `results` is assessments' Results, or None."""
    stages = results.stages if results else []
    changes = [
        _("Change %(before)s → %(stage)s") % {"before": before, "stage": stage}
        for before, stage in zip(stages, stages[1:], strict=False)
    ]
    table = Table(
        name=MATURITY,
        title=_("Scores out of 100 by dimension and stage, with the change since the stage before"),
        columns=[_("Dimension"), *stages, *changes],
    )
    if results:
        table.rows = [_maturity_row(d.title, d.stages) for d in results.dimensions]
        table.rows.append(_maturity_row(_("Overall"), results.overall_stages))
    return table


def people_table(figures):
    return Table(
        name=PEOPLE,
        title=_("Learning progress and live sessions attended, per person"),
        columns=[
            _("Name"),
            _("Role"),
            _("Courses followed"),
            _("Courses completed"),
            _("Lessons done"),
            _("Live sessions attended"),
        ],
        rows=[
            [
                person.membership.user.display_name,
                str(person.membership.get_role_display()),
                person.enrolled,
                person.completed,
                person.lessons_done,
                person.sessions_attended,
            ]
            for person in figures.people
        ],
    )


def sessions_table(figures):
    return Table(
        name=SESSIONS,
        title=_("Sessions held and how many of the company's people attended each"),
        columns=[_("Session"), _("Date"), _("Cohort"), _("People who attended")],
        rows=[
            [
                row.session.title,
                row.session.local_starts_at.date().isoformat(),
                row.session.cohort.name,
                row.attended,
            ]
            for row in figures.sessions
        ],
    )


def _iso(day):
    return day.isoformat() if day else None


def actions_table(figures, show_people):
    """Open items first, then those done, as on the page; owners only for `show_people`."""
    columns = [_("Action"), _("Status"), _("Due on"), _("Done on")]
    if show_people:
        columns.append(_("Owner"))
    rows = []
    for item in [*figures.open_actions, *figures.done_actions]:
        done_on = timezone.localdate(item.done_at) if item.done_at else None
        row = [item.text, _("Done") if done_on else _("To do"), _iso(item.due_on), _iso(done_on)]
        if show_people:
            row.append(item.owner.display_name if item.owner else None)
        rows.append(row)
    return Table(name=ACTIONS, title=_("Action plan"), columns=columns, rows=rows)
