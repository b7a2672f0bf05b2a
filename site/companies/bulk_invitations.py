"""Inviting the leads of many companies at once: every selected company that has a lead's
email address and neither a lead who joined nor a lead invitation still open gets one, emailed
with the same message as an invitation sent from the company's page.

The companies are handled in batches of a fixed size, each in a few queries whatever its
length; running the same selection again invites nobody twice."""

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from .invitations import mail_connection, send_invitation_email
from .models import Company, Invitation, Membership, new_invitation_key

BATCH_SIZE = 200
LEAD = Membership.Role.LEAD
# The filters of the companies listing that a selection may use, and the fields they match.
FILTERS = ("sector", "size_band", "region")
SEARCH_FIELDS = ("name", "ice", "city")


def selected_companies(selection):
    """The companies a selection (as LeadSelectionForm cleans it) stands for."""
    companies = Company.objects.all()
    for name in FILTERS:
        if selection.get(name):
            companies = companies.filter(**{name: selection[name]})
    query = (selection.get("q") or "").strip()
    if query:
        matches = Q()
        for name in SEARCH_FIELDS:
            matches |= Q(**{f"{name}__icontains": query})
        companies = companies.filter(matches)
    return companies


def with_lead_state(companies, now=None):
    """Each company annotated with `lead_joined` (a lead membership, or an accepted lead
    invitation) and `lead_invited` (a lead invitation neither accepted, revoked nor expired)."""
    lead_invitations = Invitation.objects.filter(company=OuterRef("pk"), role=LEAD)
    return companies.annotate(
        lead_joined=Exists(Membership.objects.filter(company=OuterRef("pk"), role=LEAD))
        | Exists(lead_invitations.filter(accepted_at__isnull=False)),
        lead_invited=Exists(lead_invitations.pending().unexpired(now)),
    )


def preview(selection):
    """How a bulk invitation of `selection` would go, in one query."""
    companies = with_lead_state(selected_companies(selection))
    no_email = Q(lead_email="")
    free = Q(lead_joined=False, lead_invited=False)
    return companies.aggregate(
        selected=Count("pk"),
        already_joined=Count("pk", filter=Q(lead_joined=True)),
        already_invited=Count("pk", filter=Q(lead_joined=False, lead_invited=True)),
        without_email=Count("pk", filter=free & no_email),
        to_invite=Count("pk", filter=free & ~no_email),
    )


def invite_leads(selection, *, invited_by, progress=None):
    """Invite the leads of `selection`; (done, total) go to `progress` after each batch.
    Returns the report kept with the job: counts, and the companies without an address or whose
    email could not be sent, each as {"id", "name", "ice"} (and "email")."""
    ids = list(selected_companies(selection).order_by("pk").values_list("pk", flat=True))
    report = {
        "selected": len(ids),
        "invited": 0,
        "already_joined": 0,
        "already_invited": 0,
        "without_email": [],
        "not_sent": [],
    }
    if progress:
        progress(0, len(ids))
    for start in range(0, len(ids), BATCH_SIZE):
        created = _invite_batch(ids[start : start + BATCH_SIZE], invited_by, report)
        _send(created, report)
        if progress:
            progress(min(start + BATCH_SIZE, len(ids)), len(ids))
    return report


def _invite_batch(ids, invited_by, report):
    """Create the batch's invitations in one transaction, the companies locked meanwhile so
    that two runs at once cannot both invite the same lead."""
    now = timezone.now()
    with transaction.atomic():
        companies = with_lead_state(
            Company.objects.select_for_update().filter(pk__in=ids).order_by("pk"), now
        )
        created = []
        for company in companies:
            if company.lead_joined:
                report["already_joined"] += 1
            elif company.lead_invited:
                report["already_invited"] += 1
            elif not company.lead_email:
                report["without_email"].append(_describe(company))
            else:
                created.append(
                    Invitation(
                        company=company,
                        email=company.lead_email.strip().lower(),
                        full_name=company.lead_name[
                            : Invitation._meta.get_field("full_name").max_length
                        ],
                        role=LEAD,
                        invited_by=invited_by,
                        key=new_invitation_key(),
                        created_at=now,
                    )
                )
        Invitation.objects.bulk_create(created)
    report["invited"] += len(created)
    return created


def _send(invitations, report):
    """Email a batch's invitations over one connection to the mail server."""
    with mail_connection() as connection:
        for invitation in invitations:
            # Nothing is known of each lead's language: the email goes in the site's own.
            sent = send_invitation_email(
                invitation, language=settings.LANGUAGE_CODE, connection=connection
            )
            if not sent:
                report["not_sent"].append(
                    {**_describe(invitation.company), "email": invitation.email}
                )
                connection.close()  # The next message opens a fresh one.


def _describe(company):
    return {"id": company.pk, "name": company.name, "ice": company.ice}
