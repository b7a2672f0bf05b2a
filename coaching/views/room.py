"""The live room's page: the page is a shell, the socket does the rest (docs/room-protocol.md).

The page gives its script what the socket does not: translated strings for everything the
script writes, the choices of the action-item form (companies, course modules, people), and the
addresses it needs. Everything goes through `json_script`, so the page carries no inline code.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from virage_site.companies.models import Company, Membership

from ..placements import companies_in
from ..room import limits
from ..room.commands import actions, polls, questions
from ..room.commands.calls import CALL_SIZE
from ..room.commands.chat import CHAT_MAX_CHARS
from ..room.commands.reactions import REACTIONS
from ..room.protocol import COMMANDS
from .lookup import session_for

# Placeholder user id in the side panel's address; the script puts the real id in its place.
PANEL_USER_PLACEHOLDER = 987654321


@login_required
def room_page(request, session_id):
    viewing = session_for(request, session_id)
    session, is_moderator = viewing.session, viewing.is_moderator
    poll_options = poll_option_limits()
    return render(
        request,
        "coaching/room.html",
        {
            "session": session,
            "is_moderator": is_moderator,
            "room_config": room_config(request, session, is_moderator, viewing.company_id),
            "room_strings": room_strings(),
            "reactions": reaction_choices(),
            "limits": {
                "chat": CHAT_MAX_CHARS,
                "question": questions.QUESTION_MAX_CHARS,
                "poll_question": polls.QUESTION_MAX_CHARS,
                "poll_option": polls.OPTION_MAX_CHARS,
                "poll_min_options": poll_options.min_items,
                "poll_max_options": poll_options.max_items,
                "action": actions.ACTION_MAX_CHARS,
            },
            "poll_option_slots": range(1, poll_options.max_items + 1),
        },
    )


def poll_option_limits():
    """How many options a poll takes: read from the rule the room applies to `poll_create`, so
    that the form and the room cannot disagree."""
    return COMMANDS["poll_create"].fields["options"]


def socket_limits():
    """The room's limits as `welcome.limits` gives them, plus the budget of WebRTC signals and
    the number of options of a poll: the script paces its frames and checks its forms with
    them from the start, and takes the room's own values from `welcome` once connected."""
    options = poll_option_limits()
    return {
        "max_frame_bytes": limits.MAX_FRAME_BYTES,
        "burst": limits.BURST,
        "per_second": limits.RATE_PER_S,
        "signal_burst": limits.SIGNAL_BURST,
        "signal_per_second": limits.SIGNAL_RATE_PER_S,
        "chat_max_chars": CHAT_MAX_CHARS,
        "call_size": CALL_SIZE,
        "poll_min_options": options.min_items,
        "poll_max_options": options.max_items,
    }


def room_config(request, session, is_moderator, company_id):
    """What the script needs to know that the socket does not tell: who may be chosen in the
    action-item form, and the addresses of the socket and of the coach's side panel.

    A participant chooses only within their own company; a coach within the whole cohort."""
    companies = Company.objects.filter(pk__in=companies_in(session.cohort_id)).order_by("name")
    if not is_moderator:
        companies = companies.filter(pk=company_id)
    companies = list(companies.values("id", "name"))
    members = (
        Membership.objects.filter(company_id__in=[c["id"] for c in companies], user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
    )
    return {
        "session": session.pk,
        "user": request.user.pk,
        "moderator": is_moderator,
        "socket_path": f"/ws/coaching/sessions/{session.pk}/",
        "panel_url": (
            reverse("coaching:participant-panel", args=[session.pk, PANEL_USER_PLACEHOLDER])
            if is_moderator
            else ""
        ),
        "panel_placeholder": str(PANEL_USER_PLACEHOLDER),
        "login_url": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
        "summary_url": reverse("coaching:summary", args=[session.pk]),
        "company": company_id,
        "companies": companies,
        "modules": [
            {"id": m.pk, "title": m.title} for m in session.modules.live().order_by("path")
        ],
        "members": [
            {"id": m.user_id, "name": m.user.display_name, "company": m.company_id} for m in members
        ],
        "reactions": reaction_choices(),
        "limits": socket_limits(),
    }


def reaction_choices():
    names = {
        "👍": _("Thumbs up"),
        "👏": _("Applause"),
        "❤️": _("Love it"),
        "😂": _("Laughter"),
        "😮": _("Surprise"),
        "🎉": _("Celebration"),
        "🤔": _("Thinking"),
    }
    return [{"emoji": emoji, "label": names.get(emoji, emoji)} for emoji in REACTIONS]


def room_strings():
    """Every text the script writes, translated into the page's language. Placeholders use
    the `%(name)s` form translators know."""
    return {
        # Connection
        "connecting": _("Connecting to the room…"),
        "connected": _("Connected"),
        "reconnecting": _("Reconnecting…"),
        "reconnecting_in": _("Connection lost. Reconnecting… (next try in %(seconds)s s)"),
        "offline": _("You are offline. Reconnecting… as soon as the network is back."),
        "reconnected": _("Reconnected: you are up to date."),
        "reconnecting_server_error": _(
            "The room could not let you in just now. Trying again… (next try in %(seconds)s s)"
        ),
        "close_4400": _(
            "The room closed the connection: this page sent too many messages it refused. "
            "Reload the page to come back."
        ),
        "close_4401": _("You are no longer logged in. Log in again to come back to the room."),
        "close_4403": _(
            "This session is for the members of its cohort and their coaches: you are not "
            "allowed in."
        ),
        "close_4404": _("This session does not exist."),
        "close_4406": _("A coach did not let you in."),
        "close_4408": _("A coach removed you from this session."),
        "close_4410": _("This session has ended."),
        "close_4423": _("The room is locked: nobody new can come in."),
        "close_4429": _(
            "The room closed the connection: this page sent too many messages too fast. "
            "Reload the page to come back."
        ),
        "close_other": _("The room closed the connection. Reload the page to come back."),
        "waiting_open": _("Waiting for the coach to open the room…"),
        "waiting_admit": _("Waiting for a coach to let you in…"),
        # Errors the room sends back
        "error_not_admitted": _("You are not in the room yet."),
        "error_muted": _("A coach has muted your chat."),
        "error_forbidden": _("You are not allowed to do this."),
        "error_rate_limited": _("Slow down: too many messages at once. Try again in a moment."),
        "error_too_large": _("This is too long."),
        "error_invalid_value": _("This value is not accepted."),
        "error_missing_field": _("Something is missing."),
        "error_wrong_type": _("This value is not accepted."),
        "error_call_full": _("The call is full. Largest number of people in a call: %(size)s."),
        "error_no_such_participant": _("This person is not in the session."),
        "error_no_such_poll": _("This poll is no longer one of this session's."),
        "error_no_such_question": _("This question is not one of this session's."),
        "error_no_such_item": _("This action is not one of this session's."),
        "error_poll_not_open": _("This poll is not open."),
        "error_poll_not_draft": _("This poll has already been launched."),
        "error_own_question": _("You cannot vote for your own question."),
        "error_target_is_moderator": _("A coach cannot be muted, removed or refused."),
        "error_not_waiting": _("This person is no longer waiting."),
        "error_not_in_call": _("You are not in the call."),
        "error_ended": _("This session has ended."),
        "error_server_error": _("The room could not do this. Please try again."),
        # Frames the room could not read (not_text, bad_json, bad_frame, unknown_type,
        # unknown_field): a fault of the page, not of the person.
        "error_protocol": _(
            "The room could not understand what this page sent. Reload the page if this "
            "happens again."
        ),
        "error_generic": _("The room refused this action."),
        # Chat
        "you": _("You"),
        "to_coaches": _("private, to the coaches"),
        "to_person": _("private, to %(name)s"),
        "announce_chat": _("%(name)s: %(text)s"),
        "announce_dm": _("Private message from %(name)s: %(text)s"),
        "chars_left": _("Characters left: %(count)s"),
        "reply_privately": _("Reply privately"),
        "chat_muted": _("A coach has muted your chat: you can read, not write."),
        "new_badge": _("New: %(count)s"),
        "waiting_badge": _("Waiting: %(count)s"),
        # People and hands
        "coach": pgettext("room role", "Coach"),
        "online": _("online"),
        "offline_person": _("offline"),
        "hand_raised": _("hand raised"),
        "in_call": _("in the call"),
        "muted": _("chat muted"),
        "lower_hand": _("Lower %(name)s's hand"),
        "mute": _("Mute %(name)s's chat"),
        "unmute": _("Allow %(name)s's chat"),
        "remove": _("Remove %(name)s"),
        "details": _("Details about %(name)s"),
        "btn_details": _("Details"),
        "btn_mute": _("Mute"),
        "btn_allow": _("Allow"),
        "btn_remove": _("Remove"),
        "btn_lower": _("Lower"),
        "btn_admit": _("Let in"),
        "btn_deny": _("Refuse"),
        "btn_launch": _("Launch"),
        "btn_upvote": _("Vote"),
        "confirm_remove": _(
            "Remove %(name)s from the session? They will not be able to come back to the room."
        ),
        "raise_hand": _("Raise my hand"),
        "lower_my_hand": _("Lower my hand"),
        "announce_hand": _("%(name)s raised their hand."),
        "announce_my_hand_lowered": _("Your hand was lowered."),
        "announce_knock": _("%(name)s is waiting to be let in."),
        "admit": _("Let %(name)s in"),
        "deny": _("Refuse %(name)s"),
        "announce_muted": _("A coach has muted your chat."),
        "announce_unmuted": _("A coach has allowed your chat again."),
        # Reactions
        "announce_reaction": _("%(name)s: %(label)s"),
        # Polls
        "poll_open": _("Open"),
        "poll_closed": _("Closed"),
        "poll_total": _("Answers: %(count)s"),
        "poll_option_result": _("%(option)s: %(count)s (%(percent)s)"),
        "poll_your_answer": _("your answer"),
        "poll_close": _("Close the poll"),
        "poll_launch": _("Launch “%(question)s”"),
        "announce_poll_opened": _("New poll: %(question)s"),
        "announce_poll_closed": _("Poll closed: %(question)s"),
        "poll_options_needed": _("Options needed: at least %(min)s, at most %(max)s."),
        "announce_poll_prepared": _("Poll prepared for later: %(question)s"),
        "announce_poll_withdrawn": _("Prepared poll deleted: %(question)s"),
        # Questions
        "question_votes": _("Votes: %(count)s"),
        "question_upvote": _("Vote for this question"),
        "question_answered": _("Answered"),
        "question_mark_answered": _("Mark as answered"),
        "question_mark_open": _("Mark as not answered"),
        "question_by": _("Asked by %(name)s"),
        "announce_question": _("New question from %(name)s: %(text)s"),
        # Action items
        "action_done": _("Done: %(text)s"),
        "action_due": _("due %(date)s"),
        "action_module": _("module: %(title)s"),
        "action_owner": _("owner: %(name)s"),
        "announce_action": _("New action for %(company)s: %(text)s"),
        "no_owner": _("No owner"),
        "no_module": _("No module"),
        # Moderation
        "confirm_end": _("End the session for everyone? Nobody can come back to the room."),
        "announce_locked": _("The room is locked."),
        "announce_unlocked": _("The room is open again."),
        "announce_waiting_on": _("The waiting room is on."),
        "announce_waiting_off": _("The waiting room is off."),
        # Audio and video
        "call_you": _("You"),
        "call_count": _("In the call: %(count)s of %(size)s"),
        "media_denied": _(
            "The browser did not give access to the camera or the microphone. Check the page's "
            "permissions and try again."
        ),
        "media_missing": _("No camera or microphone was found."),
        "webrtc_missing": _("This browser cannot take part in audio or video calls."),
        "announce_call_joined": _("%(name)s joined the call."),
        "announce_call_left": _("%(name)s left the call."),
        "peer_connecting": _("connecting…"),
        "peer_failed": _("connection failed"),
        "call_moved": _(
            "You are no longer in the call from this page: you joined it from another tab or "
            "window."
        ),
        # Coach's side panel
        "panel_loading": _("Loading…"),
        "panel_error": _("The details could not be loaded."),
        "panel_title": _("About %(name)s"),
    }
