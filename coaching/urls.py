from django.urls import path

from .views import room

app_name = "coaching"

urlpatterns = [
    path("sessions/<int:session_id>/room/", room.room_page, name="room"),
]
