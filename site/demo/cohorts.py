"""Demo programme and cohort: the demo coach accompanies the two demo companies that have
people, and so reads their assessment results."""

import datetime

from coaching.models import Cohort, Programme
from virage_site.companies.models import Company

PROGRAMME = {
    "name": "Programme TPME 2026–2027",
    "starts_on": datetime.date(2026, 9, 1),
    "ends_on": datetime.date(2028, 2, 29),
}
COHORT = "Promotion 1 — Fès et Souss"
COMPANIES = ["001525363000061", "002233445000078"]
COACH = "coach@virage.ma"


def ensure_demo_cohort(users):
    programme, _created = Programme.objects.get_or_create(
        name=PROGRAMME["name"], defaults=PROGRAMME
    )
    cohort, created = Cohort.objects.get_or_create(programme=programme, name=COHORT)
    if created:
        cohort.companies.add(*Company.objects.filter(ice__in=COMPANIES))
        cohort.coaches.add(users[COACH])
    return cohort
