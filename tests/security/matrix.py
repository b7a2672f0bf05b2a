"""The machinery of the permission matrix: who the actors are, how a row's request is made and
checked, and which URL names the configuration has."""

from dataclasses import dataclass, field

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

ACTORS = (
    "anonymous",
    "learner",  # Salma, an employee of Zellige (company A, cohort Fès)
    "other_learner",  # Rachid, an employee of Tannerie (company B, cohort Agadir)
    "lead",  # Nadia, Zellige's lead
    "other_lead",  # Omar, the lead of Argan, Zellige's neighbour in the Fès cohort
    "coach",  # Amal, the coach of Fès
    "other_coach",  # Karim, the coach of Agadir
    "editor",
    "manager",  # a programme manager
    "superuser",
)
SIGNED_IN = ACTORS[1:]
# Neither in company A nor following it: whatever they are answered, they read nothing of it.
OUTSIDERS = ("other_learner", "other_lead", "other_coach", "editor")
# Without the admin's access permission.
NOT_STAFF = ("anonymous", "learner", "other_learner", "lead", "other_lead", "coach", "other_coach")

COMPANIES = ("Zellige", "Argan", "Tannerie", "Cèdre")
PEOPLE = {
    "learner": "Salma Bennani",
    "other_learner": "Rachid Tazi",
    "lead": "Nadia Zellige",
    "other_lead": "Omar Argan",
}
COMPANY_OF = {
    "learner": "Zellige",
    "lead": "Zellige",
    "other_learner": "Tannerie",
    "other_lead": "Argan",
}
# Company A and its people, by name.
COMPANY_A = ("Zellige", "Salma Bennani", "Youssef Alaoui", "Nadia Zellige")


@dataclass(frozen=True)
class To:
    """A redirect (302) to an address containing `fragment`."""

    fragment: str

    def __repr__(self):
        return f"302 to {self.fragment}"


LOGIN = To("/accounts/login/")
# The admin signs people in on the site's login page, then brings them back.
ADMIN_LOGIN = To("/accounts/login/?next=/admin/")
ADMIN_HOME = To("/admin/")  # Wagtail's "you do not have permission", back to the dashboard
REDIRECT = To("/")  # any redirect within the site


def everyone(answer):
    return dict.fromkeys(ACTORS, answer)


def signed_in(answer, **others):
    """`answer` for everyone signed in, the login page for the anonymous; `others` overrides."""
    return {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, answer), **others}


def only(refused, **answers):
    """Signed-in people are refused (`refused`) unless named in `answers`."""
    return {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, refused), **answers}


@dataclass
class Row:
    """One request: how to build it from the world, and the answer each actor gets.

    `seen` names actors answered 200 who may read company A's name or people in the answer
    (by default an outsider's answer never names them, nor does any refusal)."""

    answers: dict
    args: object = None  # world -> kwargs for reverse()
    query: object = None  # world -> query string
    method: str = "get"
    data: object = None  # world -> POST data
    seen: tuple = ()
    hidden: tuple = ()  # texts no answer holds (a password form instead of the content)
    unseen: dict = field(default_factory=dict)  # actor -> texts their answer does not hold
    why: str = ""
    url: object = None  # world -> address, for rows that do not reverse a name
    extra: dict = field(default_factory=dict)  # headers


def actor(world, who):
    if who == "anonymous":
        return None
    people = {
        "learner": world.salma,
        "other_learner": world.employee_tannerie,
        "lead": world.lead_zellige,
        "other_lead": world.lead_argan,
        "coach": world.coach_fes,
        "other_coach": world.coach_agadir,
        "editor": world.editor,
        "manager": world.manager,
        "superuser": world.superuser,
    }
    return people[who]


def address(name, row, world):
    if row.url is not None:
        return row.url(world)
    with translation.override("fr"):
        url = reverse(name, kwargs=row.args(world) if row.args else {})
    query = row.query(world) if row.query else ""
    return f"{url}?{query}" if query else url


def request_as(client, world, who, url, row):
    """The answer to the row's request, made as `who`; whatever it changed is undone."""
    client.logout()
    user = actor(world, who)
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        send = getattr(client, row.method)
        if row.method == "post":
            response = send(url, row.data(world) if row.data else {}, **row.extra)
        else:
            response = send(url, **row.extra)
        body = body_of(response)
        transaction.set_rollback(True)
    return response, body


def body_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def answer_problem(response, expected):
    """What is wrong with the answer, or None."""
    status = response.status_code
    if isinstance(expected, To):
        location = response.get("Location", "")
        if status != 302 or expected.fragment not in location:
            return f"expected {expected!r}, got {status} {location}".rstrip()
        return None
    if status != expected:
        return f"expected {expected}, got {status} {response.get('Location', '')}".rstrip()
    return None


REFUSALS = {401, 403, 404, 405, 410}


def unseen_names(who, expected, row):
    """Names the answer must not hold: a refusal names no company but the actor's own and
    nobody but the actor; any other page shown to an outsider to company A names nothing of it.
    (Redirects have no body to speak of.)"""
    if expected in REFUSALS:
        own = {COMPANY_OF.get(who), PEOPLE.get(who)}
        return [name for name in (*COMPANIES, *PEOPLE.values()) if name not in own]
    if who in OUTSIDERS and who not in row.seen and not isinstance(expected, To):
        return list(COMPANY_A)
    return []


def leaks(body, names):
    return [name for name in names if name in body]


# The URL configuration.


@dataclass(frozen=True)
class Route:
    name: str  # with its namespaces: "coaching:session"
    route: str
    module: str  # where its view is written


def routes(resolver=None, prefix="", namespace=""):
    """Every named URL of the configuration."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from routes(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            callback = pattern.callback
            view = getattr(callback, "view_class", None) or callback
            module = getattr(view, "__module__", "") or ""
            yield Route(namespace + pattern.name, prefix + str(pattern.pattern), module)
