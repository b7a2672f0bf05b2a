"""Forms of the coaching pages: scheduling a session, preparing a poll, filtering lists."""

from django import forms
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import ModulePage

from .agenda import agenda_choices, in_default_language
from .models import Cohort, LiveSession, Poll
from .models.sessions import SESSION_TIME_ZONE

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
POLL_MAX_OPTIONS = 6
POLL_MIN_OPTIONS = 2
POLL_OPTION_MAX_LENGTH = 200


class CasablancaDateTimeField(forms.DateTimeField):
    """A date and time typed in Morocco's time, whatever the server's or the browser's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT)
    input_formats = [LOCAL_INPUT_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
    default_error_messages = {
        "invalid": _("Enter a date and time, for example 2026-03-10 10:00."),
    }

    def to_python(self, value):
        with timezone.override(SESSION_TIME_ZONE):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(SESSION_TIME_ZONE):
            return super().prepare_value(value)


def https_url_formfield(db_field, **kwargs):
    """Web addresses typed without a scheme are taken as https (video services use it)."""
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class SessionForm(forms.ModelForm):
    """Schedules or edits a session of one of the cohorts the person may schedule for.

    What took place stays as it was: once its room has opened, a session keeps its cohort (its
    attendance, polls and action items belong to that cohort's companies); once ended, it keeps
    its times (its attendance is counted within them). Those fields are shown disabled, and a
    value posted for them is ignored."""

    starts_at = CasablancaDateTimeField(
        label=_("Starts (Casablanca time)"),
        help_text=_("Morocco's time (Africa/Casablanca). Participants see it in their own zone."),
    )
    ends_at = CasablancaDateTimeField(
        label=_("Ends (Casablanca time)"),
        help_text=_("At most eight hours after the start."),
    )
    modules = forms.TypedMultipleChoiceField(
        label=_("Course modules on the agenda"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LiveSession
        fields = [
            "cohort",
            "title",
            "starts_at",
            "ends_at",
            "agenda",
            "modules",
            "external_video_url",
            "waiting_room",
        ]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 6})}
        formfield_callback = https_url_formfield

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts.select_related("programme")
        self.fields["cohort"].empty_label = None
        self.fields["modules"].choices = agenda_choices()
        video_url = self.fields["external_video_url"]
        video_url.validators = [URLValidator(schemes=["https"])]
        video_url.error_messages["invalid"] = _(
            "Enter a secure web address starting with https://."
        )
        if self.instance.pk:
            self.initial["modules"] = [
                m.pk for m in in_default_language(self.instance.modules.all())
            ]
        for name in kept_fields(self.instance):
            field = self.fields[name]
            field.disabled = True
            field.help_text = (
                _("The room has opened: the session stays with its cohort.")
                if name == "cohort"
                else _("The session has ended: its times stay as they were.")
            )

    def clean_modules(self):
        chosen = self.cleaned_data["modules"]
        modules = list(ModulePage.objects.live().filter(pk__in=chosen))
        if len(modules) != len(set(chosen)):
            raise forms.ValidationError(_("One of the chosen modules is no longer published."))
        return modules

    def _unchanged(self, name, value):
        """Whether `value` is the session's stored time, to the minute the form shows (always,
        when the field is kept as it was)."""
        if not self.instance.pk:
            return False
        if self.fields[name].disabled:
            return True
        stored = getattr(self.instance, name)
        return value.replace(second=0, microsecond=0) == stored.replace(second=0, microsecond=0)

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if self._unchanged("starts_at", starts_at):
            # Keep the exact time (nothing to announce again), and let a session under way, or
            # over, be edited.
            return self.instance.starts_at
        if starts_at < timezone.now():
            raise forms.ValidationError(_("This time has already passed: choose a later one."))
        return starts_at

    def clean_ends_at(self):
        ends_at = self.cleaned_data["ends_at"]
        if self._unchanged("ends_at", ends_at):
            return self.instance.ends_at
        return ends_at

    def module_groups(self):
        """[(course title, [checkbox…])…]: the agenda's checkboxes under their course."""
        boxes = iter(self["modules"])
        return [
            (course, [next(boxes) for _option in options])
            for course, options in self.fields["modules"].choices
        ]

    def save(self, commit=True):
        """A new session is saved whole; an existing one only in what the form edits (the room
        may be changing its own state meanwhile), never in what took place since the form was
        read (the room may have opened or ended in between). Its revision rises if the time or
        place changed (LiveSession.save)."""
        if not commit or self.instance.pk is None:
            return super().save(commit)
        with transaction.atomic():
            stored = LiveSession.objects.select_for_update().get(pk=self.instance.pk)
            kept = set(kept_fields(stored))
            fields = [name for name in self._meta.fields if name != "modules" and name not in kept]
            self.instance.save(update_fields=fields)
            self._save_m2m()
        return self.instance


def kept_fields(session):
    """The fields an edit may no longer change, given what took place."""
    kept = []
    if session.pk and session.opened_at is not None:
        kept.append("cohort")
    if session.pk and session.ended_at is not None:
        kept.extend(["starts_at", "ends_at"])
    return kept


class LiveSessionAdminForm(SessionForm):
    """The admin's form (programme managers): every cohort, the same rules and Casablanca
    times as the site's form."""

    def __init__(self, *args, **kwargs):
        kwargs.pop("for_user", None)
        super().__init__(*args, cohorts=Cohort.objects.all(), **kwargs)


class PollForm(forms.Form):
    """A prepared poll: a question and two to six answers, opened later in the room."""

    question = forms.CharField(label=_("Question"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, POLL_MAX_OPTIONS + 1):
            self.fields[f"option_{number}"] = forms.CharField(
                label=_("Answer %(number)s") % {"number": number},
                max_length=POLL_OPTION_MAX_LENGTH,
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        options = [cleaned.get(f"option_{n}", "").strip() for n in range(1, POLL_MAX_OPTIONS + 1)]
        options = [option for option in options if option]
        if len(options) < POLL_MIN_OPTIONS:
            raise forms.ValidationError(_("Give at least two answers to choose from."))
        if len({option.casefold() for option in options}) != len(options):
            raise forms.ValidationError(_("Two answers are the same: make each one different."))
        cleaned["options"] = options
        return cleaned

    def save(self, session, user):
        return Poll.objects.create(
            session=session,
            question=self.cleaned_data["question"].strip(),
            options=self.cleaned_data["options"],
            status=Poll.Status.DRAFT,
            created_by=user,
        )


class CompanyFilterForm(forms.Form):
    """Narrows a list to one of the companies offered (those the person may read)."""

    company = forms.TypedChoiceField(label=_("Company"), coerce=int, required=False)

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].choices = [("", _("All companies"))] + [
            (company.pk, company.name) for company in companies
        ]
        self.fields["company"].empty_value = None


class CohortFilterForm(forms.Form):
    cohort = forms.TypedChoiceField(label=_("Cohort"), coerce=int, required=False)

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", _("All cohorts"))] + [
            (cohort.pk, str(cohort)) for cohort in cohorts
        ]
        self.fields["cohort"].empty_value = None


class ActionDoneForm(forms.Form):
    """Marks an action item done ("1") or open again ("0")."""

    done = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
