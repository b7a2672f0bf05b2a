"""Live sessions as pages: the list, scheduling, the session's page with its prepared polls,
cancelling, and its calendar file.

Deletions race with the room (a coach opens it, or opens a prepared poll, while another coach
deletes): each is a conditional delete of rows locked as the room locks them, which deletes
nothing, and says so, if the room got there first."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..agenda import module_links
from ..forms import CohortFilterForm, PollForm, SessionForm
from ..ics import session_calendar
from ..models import Cohort, LiveSession, Poll
from ..room import log
from ..room.commands.polls import described
from ..room.locks import lock_room
from ..room.outside import publish_on_commit
from ..schedule import schedulable_cohorts, split_by_time, visible_sessions
from .lookup import session_for

LIST_PAGE_SIZE = 20
# A database id as the site's addresses take it (courses.converters.DatabaseIdConverter).
DATABASE_ID = re.compile(r"[0-9]{1,18}")


@login_required
def session_list(request):
    sessions = visible_sessions(request.user)
    cohorts = Cohort.objects.filter(pk__in=sessions.values("cohort")).select_related("programme")
    cohorts = list(cohorts)
    filter_form = CohortFilterForm(request.GET or None, cohorts=cohorts)
    chosen = None
    if filter_form.is_bound and filter_form.is_valid():
        chosen = filter_form.cleaned_data["cohort"]
    if chosen:
        sessions = sessions.filter(cohort_id=chosen)
    upcoming, past = split_by_time(sessions.select_related("cohort"))
    return render(
        request,
        "coaching/session_list.html",
        {
            "upcoming": Paginator(upcoming, LIST_PAGE_SIZE).get_page(request.GET.get("upcoming")),
            "past": Paginator(past, LIST_PAGE_SIZE).get_page(request.GET.get("past")),
            "filter_form": filter_form if len(cohorts) > 1 else None,
            "chosen_cohort": chosen,
            "keep_query": f"&cohort={chosen}" if chosen else "",
            "can_schedule": schedulable_cohorts(request.user).exists(),
        },
    )


@login_required
def session_new(request):
    cohorts = schedulable_cohorts(request.user)
    if not cohorts.exists():
        raise Http404
    if request.method == "POST":
        form = SessionForm(request.POST, cohorts=cohorts)
        if form.is_valid():
            with transaction.atomic():
                session = form.save(commit=False)
                session.created_by = request.user
                session.save()
                form.save_m2m()
            messages.success(request, _("The session is scheduled."))
            return redirect("coaching:session", session.pk)
    else:
        form = SessionForm(cohorts=cohorts, initial=_preselected_cohort(request, cohorts))
    return render(request, "coaching/session_form.html", {"form": form, "session": None})


def _preselected_cohort(request, cohorts):
    raw = request.GET.get("cohort", "")
    if DATABASE_ID.fullmatch(raw) and cohorts.filter(pk=int(raw)).exists():
        return {"cohort": int(raw)}
    return {}


@login_required
def session_edit(request, session_id):
    viewing = session_for(request, session_id, moderator=True)
    session = viewing.session
    cohorts = schedulable_cohorts(request.user)
    if request.method == "POST":
        form = SessionForm(request.POST, instance=session, cohorts=cohorts)
        if form.is_valid():
            session = form.save()
            messages.success(request, _("The session is updated."))
            return redirect("coaching:session", session.pk)
    else:
        form = SessionForm(instance=session, cohorts=cohorts)
    return render(request, "coaching/session_form.html", {"form": form, "session": session})


@login_required
def session_cancel(request, session_id):
    """Cancelling deletes a session that has not taken place; one whose room has opened keeps
    its history (attendance, polls, action items)."""
    session = session_for(request, session_id, moderator=True).session
    if session.opened_at is not None:
        messages.error(request, _("This session has taken place: it can no longer be cancelled."))
        return redirect("coaching:session", session.pk)
    if request.method == "POST":
        title = session.title
        deleted = delete_locked(LiveSession.objects.filter(pk=session.pk, opened_at__isnull=True))
        if not deleted:
            messages.error(
                request,
                _("The room has just opened: the session takes place and is not cancelled."),
            )
            return redirect("coaching:session", session.pk)
        messages.success(request, _("The session “%(title)s” is cancelled.") % {"title": title})
        return redirect("coaching:sessions")
    return render(request, "coaching/session_cancel.html", {"session": session})


@login_required
def session_detail(request, session_id, poll_form=None):
    viewing = session_for(request, session_id)
    session = viewing.session
    links = module_links(session.modules.all(), request)
    context = {
        "session": session,
        "is_moderator": viewing.is_moderator,
        "agenda_modules": list(links.values()),
    }
    if viewing.is_moderator:
        context["drafts"] = list(session.polls.filter(status=Poll.Status.DRAFT))
        context["poll_form"] = poll_form or PollForm()
    return render(request, "coaching/session_detail.html", context)


@login_required
@require_POST
def poll_add(request, session_id):
    viewing = session_for(request, session_id, moderator=True)
    if viewing.session.ended_at is not None:
        return _poll_refused_after_end(request, session_id)
    form = PollForm(request.POST)
    if not form.is_valid():
        return session_detail(request, session_id, poll_form=form)
    with transaction.atomic():
        session = lock_room(session_id)
        if session is None:
            raise Http404
        if session.ended_at is not None:  # the room ended while the form was being read
            return _poll_refused_after_end(request, session_id)
        poll = form.save(session, request.user)
        _tell_moderators(session, "poll_prepared", described(poll), request.user)
    messages.success(request, _("The poll is ready: open it from the room when the time comes."))
    return redirect(reverse("coaching:session", args=[session_id]) + "#prepared-polls")


def _poll_refused_after_end(request, session_id):
    messages.error(request, _("The session has ended: polls can no longer be prepared."))
    return redirect("coaching:session", session_id)


@login_required
@require_POST
def poll_delete(request, session_id, poll_id):
    viewing = session_for(request, session_id, moderator=True)
    get_object_or_404(Poll, pk=poll_id, session=viewing.session)
    drafts = Poll.objects.filter(pk=poll_id, session=viewing.session, status=Poll.Status.DRAFT)
    with transaction.atomic():
        deleted = delete_locked(drafts, room=session_id)
        if deleted:
            # The room's row is already locked by this transaction: this reads it as it is now.
            session = lock_room(session_id)
            _tell_moderators(session, "poll_withdrawn", {"poll": poll_id}, request.user)
    if not deleted:
        messages.error(
            request,
            _("This poll has been opened in the room: it stays with the session's results."),
        )
        return redirect(reverse("coaching:session", args=[session_id]) + "#prepared-polls")
    messages.success(request, _("The prepared poll is deleted."))
    return redirect(reverse("coaching:session", args=[session_id]) + "#prepared-polls")


def _tell_moderators(session, type, data, user):
    """Records a private event of the room for its moderators, and sends it to the room once
    the transaction commits, if the room is open: its coaches then see the change without
    reloading. A room that has not opened has no history yet (its first coach receives the
    drafts as they are); one that has ended takes no more events. Call inside the transaction
    that made the change, under the room's lock (`lock_room`), which numbering needs."""
    if session.opened_at is None or session.ended_at is not None:
        return
    event = log.append(session.pk, type, data, actor_id=user.pk, private=True)
    publish_on_commit(event)


def delete_locked(rows, room=None):
    """Deletes `rows` in one transaction, having locked them as the room locks what it changes
    (a session it opens, a poll it opens), so that the condition still holds when they go.
    Rows of a room (its polls) give `room`, the session's id: its row is locked first, as every
    transaction of the room does (see `coaching.room.locks`); a session's own row is that lock.
    Returns how many rows matched."""
    with transaction.atomic():
        if room is not None:
            lock_room(room)
        matched = len(rows.select_for_update().values_list("pk", flat=True))
        if matched:
            rows.delete()
    return matched


@login_required
def session_ics(request, session_id):
    session = session_for(request, session_id).session
    links = module_links(session.modules.all())
    content = session_calendar(
        session,
        page_url=request.build_absolute_uri(reverse("coaching:session", args=[session.pk])),
        room_url=request.build_absolute_uri(reverse("coaching:room", args=[session.pk])),
        module_titles=[link.label for link in links.values()],
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="virage-session-{session.pk}.ics"'
    return response
