"""Action items: commitments a company makes in a session, for its action plan, each optionally
tied to the course module that helps with it. Participants write those of their own company;
coaches those of any company of the cohort. Texts are plain text."""

from django.utils import timezone

from courses.models import ModulePage
from virage_site.companies.models import Company, Membership

from ...models import ActionItem
from ...placements import current_places
from .. import log
from ..protocol import FrameError, Outcome, command
from ..validation import Boolean, Date, Integer, Text

ACTION_MAX_CHARS = 300


def _company(ctx, company_id):
    """The company, if this person may write its action items in this room."""
    if not ctx.is_moderator and company_id != ctx.company_id:
        raise FrameError("forbidden", "company")
    company = (
        Company.objects.filter(
            pk=company_id,
            pk__in=current_places().filter(cohort__sessions=ctx.session_id).values("company_id"),
        )
        .only("name")
        .first()
    )
    if company is None:
        raise FrameError("forbidden", "company")
    return company


def _module_title(module_id):
    if module_id is None:
        return None
    title = ModulePage.objects.live().filter(pk=module_id).values_list("title", flat=True).first()
    if title is None:
        raise FrameError("invalid_value", "module")
    return title


def _owner_name(owner_id, company):
    if owner_id is None:
        return None
    membership = (
        Membership.objects.filter(user_id=owner_id, company=company).select_related("user").first()
    )
    if membership is None:
        raise FrameError("invalid_value", "owner")
    return membership.user.display_name


@command(
    "action_add",
    fields={
        "text": Text(max_length=ACTION_MAX_CHARS),
        "company": Integer(),
        "module": Integer(required=False),
        "owner": Integer(required=False),
        "due_on": Date(required=False),
    },
)
def action_add(ctx, text, company, module, owner, due_on):
    found = _company(ctx, company)
    module_title = _module_title(module)
    owner_name = _owner_name(owner, found)
    item = ActionItem.objects.create(
        session_id=ctx.session_id,
        company=found,
        module_id=module,
        text=text,
        owner_id=owner,
        due_on=due_on,
        created_by_id=ctx.user_id,
    )
    event = log.append(
        ctx.session_id,
        "action_added",
        {
            "item": item.pk,
            "text": text,
            "company": found.pk,
            "company_name": found.name,
            "module": module,
            "module_title": module_title,
            "owner": owner,
            "owner_name": owner_name,
            "due_on": due_on.isoformat() if due_on else None,
        },
        actor_id=ctx.user_id,
    )
    return Outcome(events=[event])


@command("action_done", fields={"item": Integer(), "done": Boolean()})
def action_done(ctx, item, done):
    found = (
        ActionItem.objects.select_for_update().filter(pk=item, session_id=ctx.session_id).first()
    )
    if found is None:
        raise FrameError("no_such_item", "item")
    if not ctx.is_moderator and found.company_id != ctx.company_id:
        raise FrameError("forbidden", "item")
    if (found.done_at is not None) == done:
        return Outcome()
    found.done_at = timezone.now() if done else None
    found.save(update_fields=["done_at"])
    event = log.append(
        ctx.session_id, "action_updated", {"item": found.pk, "done": done}, actor_id=ctx.user_id
    )
    return Outcome(events=[event])
