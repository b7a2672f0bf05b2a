"""The demo rule set "Parcours TPME": the reference maturity instrument and the skills
self-check lead to the demo courses, and e-commerce modules open one after the other.

Company path (maturity-sme), each dimension used covered from 0 to 100 with no overlap:
    D2 Digital readiness   [0, 51) require "culture-numerique"; [51, 100] recommend its
                           module on data and decisions
    D1 Digital strategy    [0, 26) recommend the first module of "culture-numerique";
                           [26, 100] recommend "e-commerce"
    D4 Data management     [0, 51) recommend the cloud and cybersecurity module;
                           [51, 100] recommend the e-commerce module on delivery and measure
Person path (digital-skills), A4 Safety: [0, 51) require the cloud and cybersecurity module;
[51, 100] recommend the first e-commerce module.
Passing the quiz that closes e-commerce module 1 (70 % or more) unlocks module 2, whose
completion unlocks module 3.

Score rules are made only for the instruments installed; running it again keeps the set as it
stands."""

from django.conf import settings
from django.db import transaction

from courses.models import CoursePage, LessonPage, ModulePage

from ..models import Instrument, PathRule, RuleSet

NAME = "Parcours TPME"
DIGITAL_CULTURE = "culture-numerique"
ECOMMERCE = "e-commerce"
MODULES = {
    "culture-basics": (DIGITAL_CULTURE, "numerique-au-service-de-l-entreprise"),
    "cloud-security": (DIGITAL_CULTURE, "cloud-collaboration-cybersecurite"),
    "data-decisions": (DIGITAL_CULTURE, "donnees-administration-decisions"),
    "sales-channels": (ECOMMERCE, "choisir-ses-canaux-de-vente"),
    "products-payment": (ECOMMERCE, "fiches-produits-photos-paiement"),
    "delivery-measure": (ECOMMERCE, "livraison-marketing-service-client"),
}

# (instrument, dimension, min, max, action, target, priority)
SCORE_RULES = [
    ("maturity-sme", "D2", 0, 51, "require", DIGITAL_CULTURE, 10),
    ("maturity-sme", "D2", 51, 100, "recommend", "data-decisions", 30),
    ("maturity-sme", "D1", 0, 26, "recommend", "culture-basics", 20),
    ("maturity-sme", "D1", 26, 100, "recommend", ECOMMERCE, 20),
    ("maturity-sme", "D4", 0, 51, "recommend", "cloud-security", 30),
    ("maturity-sme", "D4", 51, 100, "recommend", "delivery-measure", 40),
    ("digital-skills", "A4", 0, 51, "require", "cloud-security", 10),
    ("digital-skills", "A4", 51, 100, "recommend", "sales-channels", 20),
]
QUIZ = ("sales-channels", "quiz-canaux-de-vente")
QUIZ_MARK = 70
# (module completed, module unlocked, priority)
UNLOCK_RULES = [
    ("products-payment", "delivery-measure", 22),
]
# (quiz passed with QUIZ_MARK, module unlocked, priority)
QUIZ_UNLOCK_RULES = [
    ("quiz", "products-payment", 21),
]


def find_pages():
    """{name: page} of the demo courses (by slug) and of the modules named above, in the
    site's default language; empty when the demo courses are not there."""
    courses = {
        course.slug: course
        for course in CoursePage.objects.filter(
            slug__in=[DIGITAL_CULTURE, ECOMMERCE], locale__language_code=settings.LANGUAGE_CODE
        )
    }
    if len(courses) < 2:
        return {}
    found = dict(courses)
    for name, (course_slug, slug) in MODULES.items():
        module = ModulePage.objects.child_of(courses[course_slug]).filter(slug=slug).first()
        if module is None:
            return {}
        found[name] = module
    module_name, quiz_slug = QUIZ
    quiz = LessonPage.objects.child_of(found[module_name]).filter(slug=quiz_slug).first()
    if quiz is None:
        return {}
    found["quiz"] = quiz
    return found


@transaction.atomic
def ensure_demo_rules():
    """Create the active rule set "Parcours TPME" unless it exists; returns it, or None when
    the demo courses are missing."""
    existing = RuleSet.objects.filter(name=NAME).first()
    if existing is not None:
        return existing  # editors may have changed it since: the demo loads at every start
    pages = find_pages()
    if not pages:
        return None
    instruments = {
        instrument.slug: instrument
        for instrument in Instrument.objects.filter(slug__in={rule[0] for rule in SCORE_RULES})
    }
    rule_set = RuleSet.objects.create(name=NAME, active=True)
    rules = []
    for slug, code, low, high, action, target, priority in SCORE_RULES:
        instrument = instruments.get(slug)
        if instrument is None:
            continue
        rules.append(
            PathRule(
                audience=instrument.audience,
                condition=PathRule.Condition.SCORE,
                instrument=instrument,
                dimension_code=code,
                min_score=low,
                max_score=high,
                action=action,
                target=pages[target],
                priority=priority,
            )
        )
    for completed, unlocked, priority in UNLOCK_RULES:
        rules.append(
            PathRule(
                audience=PathRule.Audience.COMPANY,
                condition=PathRule.Condition.COMPLETED,
                condition_page=pages[completed],
                action=PathRule.Action.UNLOCK,
                target=pages[unlocked],
                priority=priority,
            )
        )
    for quiz, unlocked, priority in QUIZ_UNLOCK_RULES:
        rules.append(
            PathRule(
                audience=PathRule.Audience.COMPANY,
                condition=PathRule.Condition.QUIZ,
                condition_page=pages[quiz],
                quiz_min_percent=QUIZ_MARK,
                action=PathRule.Action.UNLOCK,
                target=pages[unlocked],
                priority=priority,
            )
        )
    for order, rule in enumerate(rules):
        rule.rule_set = rule_set
        rule.sort_order = order
        rule.save()
    return rule_set
