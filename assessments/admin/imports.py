"""Programme managers import responses collected on paper or in another tool: they upload an
exchange file (see assessments.exchange), check it, and import it, all or nothing."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import FileExtensionValidator
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from virage_site.accounts.roles import is_manager

from .. import exchange, importing

MAX_UPLOAD_MEGABYTES = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MEGABYTES * 1024 * 1024


def can_import(user):
    return user.is_authenticated and (is_manager(user) or user.has_perm("assessments.add_response"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Exchange file (JSON)"),
        validators=[
            FileExtensionValidator(
                ["json"], message=_("Choose a JSON file (its name ends in .json).")
            )
        ],
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A JSON list of responses, each with company (ICE or id), instrument, stage (T0, "
            "T1 or T2) and answers, as export_responses writes them. At most %(size)s MB."
        ) % {"size": MAX_UPLOAD_MEGABYTES}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s MB: split it into several smaller files."),
                params={"size": MAX_UPLOAD_MEGABYTES},
            )
        try:
            self.entries = exchange.read(exchange.load(upload.read()))
        except exchange.ExchangeError as error:
            raise ValidationError(str(error)) from None
        return upload


def import_responses(request):
    if not can_import(request.user):
        raise PermissionDenied
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        # Anything but an explicit "import" only checks: a stray submission saves nothing.
        dry_run = request.POST.get("action") != "import"
        report = importing.import_entries(form.entries, filled_by=request.user, dry_run=dry_run)
        if report.ok:
            messages.success(request, report.summary())
        else:
            messages.error(request, report.summary())
    return TemplateResponse(
        request,
        "assessments/admin/import_responses.html",
        {"form": form, "report": report},
    )


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


class ResponseImportViewSet(ViewSet):
    name = "assessments_import"
    url_prefix = "assessments/import"
    icon = "upload"
    menu_label = _("Import responses")
    menu_item_class = ImportMenuItem

    def get_urlpatterns(self):
        return [path("", import_responses, name="index")]
