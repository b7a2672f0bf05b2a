from django.urls import path

from .views import formation

urlpatterns = [
    path("", formation.formation_view, name="formation"),
    path("move/", formation.move_view, name="move"),
]
