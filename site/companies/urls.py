from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("", views.company_list, name="list"),
    path("<int:company_id>/", views.company_detail, name="detail"),
    path("<int:company_id>/invite/", views.invite_view, name="invite"),
    path(
        "<int:company_id>/invitations/<int:invitation_id>/resend/",
        views.resend_view,
        name="resend-invitation",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept-invitation"),
]
