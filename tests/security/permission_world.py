"""The world of the site-wide permission matrix: the small programme of the programme tests
(tests/programmes/people_programme.py), plus what the other apps' pages are about.

Company A is Zellige (cohort "Promotion Fès", coach Amal): its lead Nadia, its employee Salma.
Company B is Tannerie (cohort "Promotion Agadir", coach Karim). Argan is Zellige's neighbour in
Fès. Beyond them: an editor, a superuser; a course with two lessons (the second with a knowledge
check) that Salma follows and completed (certificate); Zellige's company assessment (two stages
submitted, the third a draft) and Salma's self-check; a Fès session to come with a prepared
poll; a pending invitation to Zellige; a background job; a rule set; a public document, another behind a
password; a page behind a password.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from assessments.models import RuleSet
from assessments.services.responses import next_stage, start_or_resume
from coaching.models import ActionItem, LiveSession, Poll
from courses.models import Certificate, Enrolment
from tests import factories
from tests.assessments.taking_helpers import HIGH, person_instrument, submitted
from tests.programmes.people_programme import World, build_programme
from virage_site.companies.models import BackgroundJob, Invitation, Membership
from virage_site.pages.models import StandardPage

CHECK_ID = "5d0c3e4e-6a7b-4c8d-9e0f-1a2b3c4d5e6f"


def knowledge_check():
    return {
        "type": "knowledge_check",
        "id": CHECK_ID,
        "value": {
            "title": "Vérifiez vos acquis",
            "questions": [
                {
                    "type": "item",
                    "id": "5d0c3e4e-6a7b-4c8d-9e0f-1a2b3c4d5e70",
                    "value": factories.question("Où garder la sauvegarde ?"),
                }
            ],
        },
    }


@dataclass
class SiteWorld:
    people: World
    editor: object
    superuser: object
    home: object
    catalogue: object
    course: object
    lesson: object
    checked_lesson: object
    draft_page: object
    private_page: object
    restriction: object
    certificate: object
    instrument: object
    company_result: object  # Zellige's last submitted stage
    company_draft: object  # Zellige's stage in progress
    self_check: object  # Salma's own, submitted
    past_session: object  # Fès, held
    next_session: object  # Fès, to come, not opened
    draft_poll: object
    action_item: object  # Zellige's, open
    invitation: object  # pending, to Zellige, as an employee
    invitation_token: str
    job: object
    rule_set: object
    document: object
    secret: object  # a document of a collection behind a password
    secret_restriction: object

    def __getattr__(self, name):
        # The programme's people and objects, as the programme tests name them.
        return getattr(self.__dict__["people"], name)


def build_site_world():
    home, catalogue = factories.build_site()
    people = build_programme()
    salma = people.salma

    course, lessons = factories.build_course(
        catalogue, modules=1, lessons=2, title="Sauvegardes", slug="sauvegardes"
    )
    checked_lesson = lessons[1]
    checked_lesson.body = [*checked_lesson.body.raw_data, knowledge_check()]
    checked_lesson.save()
    Enrolment.objects.create(user=salma, course_key=course.translation_key)
    certificate = Certificate.objects.create(
        user=salma,
        course_key=course.translation_key,
        learner_name="Salma Bennani",
        course_title="Sauvegardes",
        language="fr",
    )
    draft_page = factories.add_child(
        home, StandardPage(title="Brouillon", slug="brouillon"), live=False
    )
    private_page = factories.add_child(
        home, StandardPage(title="Réservée", slug="reservee", body="<p>Page réservée</p>")
    )
    restriction = PageViewRestriction.objects.create(
        page=private_page, restriction_type=PageViewRestriction.PASSWORD, password="secret-42"
    )

    instrument = people.zellige.assessment_responses.first().instrument
    company_result = people.zellige.assessment_responses.order_by("-submitted_at", "-pk").first()
    company_draft = start_or_resume(
        instrument,
        next_stage(instrument, company=people.zellige),
        company=people.zellige,
        filled_by=people.lead_zellige,
    )
    self_check = submitted(person_instrument(), HIGH, person=salma)

    past_session = people.sessions[0]
    starts = timezone.now() + datetime.timedelta(days=3)
    next_session = LiveSession.objects.create(
        cohort=people.fes,
        title="Réseaux sociaux",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        created_by=people.coach_fes,
    )
    draft_poll = Poll.objects.create(
        session=next_session,
        question="Quel réseau ?",
        options=["Facebook", "Instagram"],
        status=Poll.Status.DRAFT,
        created_by=people.coach_fes,
    )
    action_item = ActionItem.objects.get(company=people.zellige, done_at__isnull=True)
    invitation = Invitation.objects.create(
        email="nouvelle@zellige.ma",
        full_name="Nouvelle Recrue",
        company=people.zellige,
        role=Membership.Role.EMPLOYEE,
        invited_by=people.lead_zellige,
    )
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.IMPORT, created_by=people.manager, file_name="entreprises.xlsx"
    )
    document = get_document_model().objects.create(
        title="Guide", file=ContentFile(b"Guide de la sauvegarde", name=f"guide-{uuid.uuid4()}.txt")
    )
    private = Collection.get_first_root_node().add_child(name="Réservé")
    secret_restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="x-42"
    )
    secret = get_document_model().objects.create(
        title="Secret",
        collection=private,
        file=ContentFile(b"Plan interne", name=f"secret-{uuid.uuid4()}.txt"),
    )
    return SiteWorld(
        people=people,
        editor=factories.make_user(email="editrice@example.ma", role="editor"),
        superuser=factories.make_user(email="root@example.ma", is_superuser=True, is_staff=True),
        home=home,
        catalogue=catalogue,
        course=course,
        lesson=lessons[0],
        checked_lesson=checked_lesson,
        draft_page=draft_page,
        private_page=private_page,
        restriction=restriction,
        certificate=certificate,
        instrument=instrument,
        company_result=company_result,
        company_draft=company_draft,
        self_check=self_check,
        past_session=past_session,
        next_session=next_session,
        draft_poll=draft_poll,
        action_item=action_item,
        invitation=invitation,
        invitation_token=invitation.token,
        job=job,
        rule_set=RuleSet.objects.create(name="Parcours TPME"),
        document=document,
        secret=secret,
        secret_restriction=secret_restriction,
    )
