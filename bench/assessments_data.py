"""Data of the assessments benchmark: companies spread over sectors, sizes and regions as in a
national programme, each with a lead, and random but valid answers to an instrument, all drawn
from one seeded generator so that two runs measure the same work."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from assessments.scoring import shown_questions
from virage_site.companies.choices import Region, Sector, SizeBand
from virage_site.companies.models import Company, Membership

# Shares of companies by size band, sector and region: mostly very small firms, in trade,
# crafts and services, around Casablanca, Rabat and Tangier.
SIZES = {SizeBand.MICRO: 65, SizeBand.SMALL: 26, SizeBand.MEDIUM: 9}
SECTORS = {
    Sector.RETAIL: 16,
    Sector.SERVICES: 12,
    Sector.HANDICRAFTS: 10,
    Sector.AGRIFOOD: 9,
    Sector.TOURISM: 9,
    Sector.CONSTRUCTION: 8,
    Sector.TEXTILE: 7,
    Sector.AGRICULTURE: 6,
    Sector.MANUFACTURING: 6,
    Sector.TRANSPORT: 5,
    Sector.WHOLESALE: 4,
    Sector.DIGITAL: 3,
    Sector.HEALTH: 2,
    Sector.EDUCATION: 2,
    Sector.OTHER: 1,
}
REGIONS = {
    Region.CASABLANCA_SETTAT: (30, "Casablanca"),
    Region.RABAT_SALE_KENITRA: (14, "Rabat"),
    Region.TANGER_TETOUAN_AL_HOCEIMA: (11, "Tanger"),
    Region.FES_MEKNES: (10, "Fès"),
    Region.MARRAKECH_SAFI: (9, "Marrakech"),
    Region.SOUSS_MASSA: (7, "Agadir"),
    Region.ORIENTAL: (5, "Oujda"),
    Region.BENI_MELLAL_KHENIFRA: (5, "Béni Mellal"),
    Region.DRAA_TAFILALET: (3, "Errachidia"),
    Region.GUELMIM_OUED_NOUN: (2, "Guelmim"),
    Region.LAAYOUNE_SAKIA_EL_HAMRA: (2, "Laâyoune"),
    Region.DAKHLA_OUED_ED_DAHAB: (2, "Dakhla"),
}
# How digital a company of each size tends to be, from 0 to 1 (each company varies around it).
PROPENSITY = {SizeBand.MICRO: 0.3, SizeBand.SMALL: 0.45, SizeBand.MEDIUM: 0.6}
# ICEs of benchmark companies start at this number, far above those of the demo companies.
FIRST_ICE = 900_000_000_000_000
EMAIL_DOMAIN = "bench.virage.ma"


def weighted(rng, shares):
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def create_companies(count, rng):
    """`count` companies, each with a lead (who cannot sign in), in a few bulk inserts; returns
    [(company, lead)] in creation order."""
    companies = []
    for number in range(1, count + 1):
        region = weighted(rng, {region: share for region, (share, _city) in REGIONS.items()})
        sector = weighted(rng, SECTORS)
        companies.append(
            Company(
                name=f"Entreprise {number:05d}",
                ice=str(FIRST_ICE + number),
                sector=sector,
                secondary_sector=weighted(rng, SECTORS) if rng.random() < 0.2 else "",
                size_band=weighted(rng, SIZES),
                region=region,
                city=REGIONS[region][1],
                founded_year=rng.randint(1965, 2025),
            )
        )
    companies = Company.objects.bulk_create(companies)
    unusable = make_password(None)
    leads = get_user_model().objects.bulk_create(
        get_user_model()(
            email=f"lead{number:05d}@{EMAIL_DOMAIN}",
            first_name="Responsable",
            last_name=f"{number:05d}",
            password=unusable,
        )
        for number in range(1, count + 1)
    )
    Membership.objects.bulk_create(
        Membership(user=lead, company=company, role=Membership.Role.LEAD)
        for company, lead in zip(companies, leads, strict=True)
    )
    return list(zip(companies, leads, strict=True))


def propensity(rng, company):
    return min(0.98, max(0.02, rng.gauss(PROPENSITY[company.size_band], 0.15)))


def _level(rng, p, top):
    """A whole number 0..top around p × top."""
    return min(top, max(0, round(rng.gauss(p * top, top / 4))))


def _multi_choice(rng, p, question):
    options = question["options"]
    alone = [n for n, o in enumerate(options, 1) if o.get("exclusive") or o.get("not_applicable")]
    if alone and rng.random() < 0.05:
        return [rng.choice(alone)]
    ticked = []
    for number, option in enumerate(options, 1):
        if number in alone:
            continue
        # An option that lowers the score ("data is not collected digitally") is the less
        # digital companies' answer.
        chance = p if option.get("weight", 1) >= 0 else 1 - p
        if rng.random() < chance:
            ticked.append(number)
    return ticked


def _grid_rows(rng, question, value):
    """{row number: value} for the rows answered; about one row in ten is left out."""
    rows = range(1, len(question["rows"]) + 1)
    return {str(n): value() for n in rows if rng.random() >= 0.1}


def _two_columns(rng, p):
    if rng.random() < p:
        return ["done", "planned"] if rng.random() < 0.2 else ["done"]
    return ["planned"] if rng.random() < p else []


def _yes_partial_no(rng, p):
    draw = rng.random()
    return "yes" if draw < p * p else "partially" if draw < p else "no"


def _numeric(rng, question):
    band = rng.choice(question["bands"])
    return rng.randint(int(band["min"]), int(band["max"]) - 1)


def _answer(rng, p, question):
    kind = question["type"]
    if kind == "single_choice":
        return 1 + _level(rng, p, len(question["options"]) - 1)
    if kind == "multi_choice":
        return _multi_choice(rng, p, question)
    if kind == "grid_scale":
        return _grid_rows(rng, question, lambda: _level(rng, p, 5))
    if kind == "grid_yes_partial_no":
        return _grid_rows(rng, question, lambda: _yes_partial_no(rng, p))
    if kind == "grid_two_columns":
        answer = _grid_rows(rng, question, lambda: _two_columns(rng, p))
        return {row: columns for row, columns in answer.items() if columns}
    if kind == "likert":
        return 1 + _level(rng, p, int(question.get("points", 5)) - 1)
    if kind == "numeric":
        return _numeric(rng, question)
    raise ValueError(f"no answers are generated for questions of type {kind}")


def random_answers(definition, rng, p):
    """Answers in the exchange format to every question shown, as a company of propensity `p`
    might give them; already clean (what `clean_answers` returns for them is equal)."""
    answers = {q["code"]: _answer(rng, p, q) for q in definition["questions"]}
    shown = shown_questions(definition, answers)
    return {code: answer for code, answer in answers.items() if code in shown}
