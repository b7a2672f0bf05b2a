"""The action plan: the commitments made in live sessions, per company, open ones first.

Members read their own companies' items; coaches those of the companies in their cohorts (with
a company filter); programme managers every company's. Whoever reads an item may mark it done
or not done again — the room's rule: a member of the company, or a moderator. When the item's
room is running, the change is also written to the room's log and broadcast, so that people in
the room see it at once."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from virage_site.companies.models import Company, Membership

from ..agenda import module_links
from ..forms import ActionDoneForm, CompanyFilterForm
from ..models import ActionItem
from ..permissions import companies_coached_by
from ..room import log
from ..room.hub import group_name
from ..room.protocol import event_envelope
from ..room.validation import FrameError
from ..schedule import sees_every_session

logger = logging.getLogger(__name__)

PAGE_SIZE = 50


def plan_companies(user):
    """Companies whose action plan `user` reads and updates."""
    if sees_every_session(user):
        return Company.objects.all()
    own = Membership.objects.filter(user=user).values("company_id")
    return Company.objects.filter(Q(pk__in=own) | Q(pk__in=companies_coached_by(user)))


def plan_items(user):
    return ActionItem.objects.filter(company__in=plan_companies(user).values("pk"))


@login_required
def action_plan(request):
    companies = list(
        plan_companies(request.user)
        .filter(pk__in=ActionItem.objects.values("company_id"))
        .order_by("name")
    )
    filter_form = CompanyFilterForm(request.GET or None, companies=companies)
    items = plan_items(request.user)
    chosen = None
    if filter_form.is_bound and filter_form.is_valid():
        chosen = filter_form.cleaned_data["company"]
    if chosen:
        items = items.filter(company_id=chosen)
    items = items.select_related("company", "module", "owner", "session").order_by(
        F("done_at").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "pk"
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    links = module_links([item.module for item in page], request)
    for item in page:
        item.module_link = links.get(item.module_id)
    return render(
        request,
        "coaching/action_plan.html",
        {
            "page": page,
            "filter_form": filter_form if len(companies) > 1 else None,
            "chosen_company": chosen,
            "keep_query": f"&company={chosen}" if chosen else "",
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def action_toggle(request, item_id):
    item = get_object_or_404(plan_items(request.user).select_related("session"), pk=item_id)
    form = ActionDoneForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Say whether the action is done."))
    done = form.cleaned_data["done"]
    event = None
    with transaction.atomic():
        changed = ActionItem.objects.filter(pk=item.pk, done_at__isnull=done).update(
            done_at=timezone.now() if done else None
        )
        if changed and item.session is not None and item.session.is_open:
            event = _room_event(item, done, request.user)
    if event is not None:
        _broadcast(event)
    if done:
        messages.success(request, _("“%(text)s” is done.") % {"text": item.text})
    else:
        messages.success(request, _("“%(text)s” is open again.") % {"text": item.text})
    return redirect(_back(request))


def _room_event(item, done, user):
    """The room's event for the change, or None if the room ended meanwhile (an ended room
    takes no more events; the item changes all the same)."""
    try:
        with transaction.atomic():
            return log.append(
                item.session_id, "action_updated", {"item": item.pk, "done": done}, user.pk
            )
    except FrameError:
        return None


def _broadcast(event):
    """The event is stored already: if the channel layer is down, rooms catch up by resync."""
    try:
        async_to_sync(get_channel_layer().group_send)(
            group_name(event.session_id), {**event_envelope(event), "room": event.session_id}
        )
    except Exception:
        logger.exception("Action item %s: the room could not be told.", event.data.get("item"))


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "coaching:action-plan"
