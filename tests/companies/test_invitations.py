"""Invitations: signed, expiring, single-use links that create the account and membership."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests import factories
from virage_site.companies import invitations
from virage_site.companies.models import Invitation, Membership

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "Zellige-Fes-2026!"


@pytest.fixture
def firm(site_tree):
    return factories.make_company(name="Atelier Zellige")


@pytest.fixture
def invitation(firm):
    lead = factories.add_member(firm, role=Membership.Role.LEAD)
    return invitations.invite(
        company=firm,
        email="Nouvelle@Example.MA",
        role="employee",
        invited_by=lead,
        full_name="Sara Bennis",
    )


def link(invitation):
    return reverse("companies:accept-invitation", args=[invitation.token])


def accept_form(client, invitation, **overrides):
    data = {"full_name": "Sara Bennis", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD}
    data.update(overrides)
    return client.post(link(invitation), data)


def test_inviting_sends_an_email_with_a_working_link(invitation):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle@example.ma"]
    assert "Atelier Zellige" in message.subject
    url = re.search(r"https?://\S+", message.body).group(0)
    assert url.endswith(link(invitation))


def test_the_invitation_page_shows_the_company_and_the_email(client, invitation):
    page = client.get(link(invitation))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Atelier Zellige" in text
    assert "nouvelle@example.ma" in text


def test_accepting_creates_the_account_and_membership_and_logs_in(client, invitation):
    response = accept_form(client, invitation)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    user = get_user_model().objects.get(email="nouvelle@example.ma")
    assert user.get_full_name() == "Sara Bennis"
    assert user.check_password(STRONG_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert membership.company == invitation.company
    assert membership.role == Membership.Role.EMPLOYEE
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_link_works_only_once(client, invitation):
    accept_form(client, invitation)
    client.logout()
    again = client.get(link(invitation))
    assert again.status_code == 410
    assert reverse("account_login") in again.content.decode()
    assert get_user_model().objects.filter(email="nouvelle@example.ma").count() == 1


def test_a_second_submission_of_the_form_creates_nothing_more(client, invitation):
    accept_form(client, invitation)
    client.logout()
    response = accept_form(client, invitation)
    assert response.status_code == 410
    assert Membership.objects.filter(user__email="nouvelle@example.ma").count() == 1


def test_an_expired_link_explains_itself(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=15)
    )
    response = client.get(link(invitation))
    assert response.status_code == 410
    text = response.content.decode()
    assert invitation.invited_by.get_full_name() in text  # who to ask for a new one
    assert not get_user_model().objects.filter(email="nouvelle@example.ma").exists()


def test_a_link_is_still_valid_the_day_before_it_expires(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=13)
    )
    assert client.get(link(invitation)).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["nonsense", "abc:def", "a" * 43 + ":" + "b" * 27],
)
def test_forged_links_are_refused_with_a_way_out(client, invitation, token):
    response = client.get(reverse("companies:accept-invitation", args=[token]))
    assert response.status_code == 404
    assert 'href="/fr/"' in response.content.decode()


def test_a_tampered_key_with_the_old_signature_is_refused(client, invitation):
    key, signature = invitation.token.rsplit(":", 1)
    forged = f"{key[:-1]}{'A' if key[-1] != 'A' else 'B'}:{signature}"
    assert client.get(reverse("companies:accept-invitation", args=[forged])).status_code == 404


def test_inviting_again_replaces_the_earlier_link(client, invitation, firm):
    newer = invitations.invite(
        company=firm, email="nouvelle@example.ma", role="employee", invited_by=None
    )
    assert client.get(link(invitation)).status_code == 410
    assert client.get(link(newer)).status_code == 200


def test_mismatched_passwords_are_explained(client, invitation):
    response = accept_form(client, invitation, password2="autre-chose-2026")
    assert response.status_code == 400
    assert response.context["form"].errors["password2"]
    assert not get_user_model().objects.filter(email="nouvelle@example.ma").exists()


def test_weak_passwords_are_refused(client, invitation):
    response = accept_form(client, invitation, password1="123456", password2="123456")
    assert response.status_code == 400
    assert response.context["form"].errors["password1"]


def test_a_name_is_required(client, invitation):
    response = accept_form(client, invitation, full_name="   ")
    assert response.status_code == 400
    assert response.context["form"].errors["full_name"]


def test_someone_with_an_account_logs_in_then_joins(client, invitation):
    existing = factories.make_user(email="nouvelle@example.ma")
    response = client.get(link(invitation))
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    client.force_login(existing)
    assert client.get(link(invitation)).status_code == 200
    response = client.post(link(invitation))
    assert response.status_code == 302
    assert Membership.objects.filter(user=existing, company=invitation.company).exists()


def test_an_invitation_for_someone_else_is_refused_to_a_logged_in_user(client, invitation):
    client.force_login(factories.make_user(email="intrus@example.ma"))
    response = client.post(link(invitation))
    assert response.status_code == 403
    assert not Membership.objects.filter(user__email="intrus@example.ma").exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_a_lead_invitation_makes_an_existing_employee_the_lead(firm):
    person = factories.add_member(firm)
    invitation = invitations.invite(company=firm, email=person.email, role="lead", invited_by=None)
    invitations.accept(invitation, user=person)
    assert Membership.objects.get(user=person, company=firm).role == Membership.Role.LEAD


def test_a_weak_and_mismatched_password_gets_both_messages_at_once(client, invitation):
    response = accept_form(client, invitation, password1="123456", password2="654321")
    errors = response.context["form"].errors
    assert errors["password1"] and errors["password2"]


def test_joining_twice_as_a_signed_in_person_explains_instead_of_failing(client, invitation):
    existing = factories.make_user(email="nouvelle@example.ma")
    client.force_login(existing)
    client.post(link(invitation))
    response = client.post(link(invitation))  # the form sent again from a second tab
    assert response.status_code == 410
    assert Membership.objects.filter(user=existing).count() == 1


def test_an_account_created_meanwhile_makes_the_form_explain_itself(invitation):
    from virage_site.companies.invitations import InvitationProblem, accept

    factories.make_user(email="nouvelle@example.ma")
    with pytest.raises(InvitationProblem):
        accept(invitation, full_name="Sara", password=STRONG_PASSWORD)
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None
