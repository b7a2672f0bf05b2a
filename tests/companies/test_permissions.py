"""A company lead sees their own company's people and progress and nobody else's; employees see
their own progress only; programme managers see every company."""

import pytest
from django.core import mail
from django.urls import reverse

from courses.services.learning import complete_lesson, enrol
from tests import factories
from virage_site.companies.models import Invitation, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_companies(site_tree):
    mine = factories.make_company(name="Ma Société")
    theirs = factories.make_company(name="Société Voisine")
    lead = factories.add_member(mine, factories.make_user(email="lead@ma.ma"), Membership.Role.LEAD)
    employee = factories.add_member(mine, factories.make_user(email="employe@ma.ma"))
    other_lead = factories.add_member(
        theirs, factories.make_user(email="lead@voisine.ma"), Membership.Role.LEAD
    )
    other_employee = factories.add_member(theirs, factories.make_user(email="employe@voisine.ma"))
    return {
        "mine": mine,
        "theirs": theirs,
        "lead": lead,
        "employee": employee,
        "other_lead": other_lead,
        "other_employee": other_employee,
    }


def detail(company):
    return reverse("companies:detail", args=[company.pk])


def invite(company):
    return reverse("companies:invite", args=[company.pk])


def test_a_lead_sees_their_company_people_and_progress(client, two_companies, course):
    course_page, lessons = course
    employee = two_companies["employee"]
    enrol(employee, course_page)
    complete_lesson(employee, lessons[0], course_page)
    client.force_login(two_companies["lead"])
    response = client.get(detail(two_companies["mine"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "employe@ma.ma" in text
    members = {m.user.email: m.progress for m in response.context["members"]}
    assert members["employe@ma.ma"] == {"enrolled": 1, "completed": 0, "lessons_done": 1}
    assert "employe@voisine.ma" not in text


def test_a_lead_cannot_open_another_company_by_url(client, two_companies):
    client.force_login(two_companies["lead"])
    assert client.get(detail(two_companies["theirs"])).status_code == 404
    assert client.get(reverse("companies:detail", args=[999999])).status_code == 404


def test_the_company_list_of_a_lead_holds_only_their_company(client, two_companies):
    client.force_login(two_companies["lead"])
    text = client.get(reverse("companies:list")).content.decode()
    assert "Ma Société" in text
    assert "Société Voisine" not in text
    text = client.get(reverse("companies:list"), {"q": "Voisine"}).content.decode()
    assert "Société Voisine" not in text


def test_an_employee_sees_no_company_page(client, two_companies):
    client.force_login(two_companies["employee"])
    assert client.get(detail(two_companies["mine"])).status_code == 404
    assert client.get(reverse("companies:list")).status_code == 404


def test_an_employee_does_not_see_colleagues_progress_on_their_dashboard(
    client, two_companies, course
):
    course_page, _ = course
    enrol(two_companies["lead"], course_page)
    client.force_login(two_companies["employee"])
    text = client.get(reverse("dashboard")).content.decode()
    assert course_page.title not in text
    assert "lead@ma.ma" not in text


def test_a_coach_or_editor_sees_no_company_yet(client, two_companies):
    for role in ("coach", "editor"):
        client.force_login(factories.make_user(role=role))
        assert client.get(detail(two_companies["mine"])).status_code == 404


def test_anonymous_visitors_are_asked_to_log_in(client, two_companies):
    response = client.get(detail(two_companies["mine"]))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_a_manager_sees_every_company(client, two_companies):
    client.force_login(factories.make_user(role="manager"))
    assert client.get(detail(two_companies["mine"])).status_code == 200
    assert client.get(detail(two_companies["theirs"])).status_code == 200
    text = client.get(reverse("companies:list")).content.decode()
    assert "Ma Société" in text and "Société Voisine" in text


def test_a_manager_finds_a_company_by_ice(client, two_companies):
    client.force_login(factories.make_user(role="manager"))
    response = client.get(reverse("companies:list"), {"q": two_companies["theirs"].ice})
    assert [c.name for c in response.context["page"]] == ["Société Voisine"]


def test_a_lead_invites_an_employee(client, two_companies):
    client.force_login(two_companies["lead"])
    response = client.post(
        invite(two_companies["mine"]), {"email": "recrue@ma.ma", "role": "employee"}
    )
    assert response.status_code == 302
    assert Invitation.objects.get(email="recrue@ma.ma").role == "employee"
    assert len(mail.outbox) == 1


def test_a_lead_cannot_invite_another_lead(client, two_companies):
    client.force_login(two_companies["lead"])
    response = client.post(invite(two_companies["mine"]), {"email": "chef@ma.ma", "role": "lead"})
    assert response.status_code == 400
    assert not Invitation.objects.filter(email="chef@ma.ma").exists()


def test_a_lead_cannot_invite_into_another_company(client, two_companies):
    client.force_login(two_companies["lead"])
    response = client.post(
        invite(two_companies["theirs"]), {"email": "x@ma.ma", "role": "employee"}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_an_employee_cannot_invite(client, two_companies):
    client.force_login(two_companies["employee"])
    response = client.post(invite(two_companies["mine"]), {"email": "x@ma.ma", "role": "employee"})
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_a_manager_invites_a_company_lead(client, two_companies):
    client.force_login(factories.make_user(role="manager"))
    response = client.post(
        invite(two_companies["theirs"]), {"email": "dirigeant@voisine.ma", "role": "lead"}
    )
    assert response.status_code == 302
    assert Invitation.objects.get(email="dirigeant@voisine.ma").role == "lead"


def test_invite_form_errors_are_shown(client, two_companies):
    client.force_login(two_companies["lead"])
    response = client.post(
        invite(two_companies["mine"]), {"email": "pas-un-email", "role": "employee"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    response = client.post(
        invite(two_companies["mine"]), {"email": "employe@ma.ma", "role": "employee"}
    )
    assert response.status_code == 400
    assert "employe@ma.ma" in str(response.context["form"].errors["email"])


def test_company_page_queries_do_not_grow_with_people(client, two_companies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(two_companies["lead"])
    url = detail(two_companies["mine"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        factories.add_member(two_companies["mine"])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_a_lead_sees_the_real_head_count_of_their_company(client, two_companies):
    client.force_login(two_companies["lead"])
    response = client.get(reverse("companies:list"))
    assert [c.people for c in response.context["page"]] == [2]


def test_a_lead_sends_an_invitation_again(client, two_companies):
    client.force_login(two_companies["lead"])
    client.post(invite(two_companies["mine"]), {"email": "recrue@ma.ma", "role": "employee"})
    first = Invitation.objects.get(email="recrue@ma.ma")
    page = client.get(detail(two_companies["mine"])).content.decode()
    resend = reverse("companies:resend-invitation", args=[two_companies["mine"].pk, first.pk])
    assert resend in page
    assert client.post(resend).status_code == 302
    assert len(mail.outbox) == 2
    first.refresh_from_db()
    assert first.revoked_at is not None  # the old link is replaced by the new one
    assert Invitation.objects.pending().filter(email="recrue@ma.ma").count() == 1


def test_nobody_resends_another_company_invitation(client, two_companies):
    client.force_login(two_companies["other_lead"])
    client.post(invite(two_companies["theirs"]), {"email": "x@voisine.ma", "role": "employee"})
    theirs = Invitation.objects.get(email="x@voisine.ma")
    client.force_login(two_companies["lead"])
    for company in (two_companies["mine"], two_companies["theirs"]):
        url = reverse("companies:resend-invitation", args=[company.pk, theirs.pk])
        assert client.post(url).status_code == 404
    assert len(mail.outbox) == 1


def test_an_unreachable_mail_server_keeps_the_invitation_and_says_so(
    client, two_companies, monkeypatch
):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("virage_site.companies.invitations.send_mail", refuse)
    client.force_login(two_companies["lead"])
    response = client.post(
        invite(two_companies["mine"]), {"email": "recrue@ma.ma", "role": "employee"}, follow=True
    )
    assert response.status_code == 200
    assert Invitation.objects.filter(email="recrue@ma.ma").exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
