from django.urls import path, register_converter

from courses.converters import DatabaseIdConverter

from .views import action_plan, panel, room, sessions, summary

register_converter(DatabaseIdConverter, "coaching_id")

app_name = "coaching"

urlpatterns = [
    path("sessions/", sessions.session_list, name="sessions"),
    path("sessions/new/", sessions.session_new, name="session-new"),
    path("sessions/<coaching_id:session_id>/", sessions.session_detail, name="session"),
    path("sessions/<coaching_id:session_id>/edit/", sessions.session_edit, name="session-edit"),
    path(
        "sessions/<coaching_id:session_id>/cancel/", sessions.session_cancel, name="session-cancel"
    ),
    path(
        "sessions/<coaching_id:session_id>/calendar.ics", sessions.session_ics, name="session-ics"
    ),
    path("sessions/<coaching_id:session_id>/polls/", sessions.poll_add, name="poll-add"),
    path(
        "sessions/<coaching_id:session_id>/polls/<coaching_id:poll_id>/delete/",
        sessions.poll_delete,
        name="poll-delete",
    ),
    path("sessions/<coaching_id:session_id>/room/", room.room_page, name="room"),
    path("sessions/<coaching_id:session_id>/summary/", summary.session_summary, name="summary"),
    path(
        "sessions/<coaching_id:session_id>/participants/<coaching_id:user_id>/",
        panel.participant_panel,
        name="participant-panel",
    ),
    path("action-plan/", action_plan.action_plan, name="action-plan"),
    path(
        "action-plan/items/<coaching_id:item_id>/done/",
        action_plan.action_toggle,
        name="action-toggle",
    ),
]
