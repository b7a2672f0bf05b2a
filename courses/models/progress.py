"""What each learner has done. Progress is keyed by the pages' translation keys, so a learner
keeps their progress when they switch between the French, Arabic and English versions."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="course_enrolments",
    )
    course_key = models.UUIDField(_("course"), db_index=True)
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    last_lesson_key = models.UUIDField(_("last lesson opened"), null=True, blank=True)
    last_visited_at = models.DateTimeField(_("last visit"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="one_enrolment_per_course")
        ]

    def __str__(self):
        return f"{self.user} · {self.course_key}"


class LessonCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="lesson_completions",
    )
    lesson_key = models.UUIDField(_("lesson"))
    course_key = models.UUIDField(_("course"))
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True)

    class Meta:
        verbose_name = _("completed lesson")
        verbose_name_plural = _("completed lessons")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson_key"], name="one_completion_per_lesson")
        ]
        indexes = [models.Index(fields=["user", "course_key"])]

    def __str__(self):
        return f"{self.user} · {self.lesson_key}"


class Certificate(models.Model):
    """Issued once per learner and course. The code is the public verification reference;
    name and title are copied so a certificate reads the same after later edits."""

    code = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    course_key = models.UUIDField(_("course"))
    learner_name = models.CharField(_("learner's name"), max_length=300)
    course_title = models.CharField(_("course title"), max_length=255)
    language = models.CharField(_("language"), max_length=8)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_key"], name="one_certificate_per_course"
            )
        ]

    def __str__(self):
        return f"{self.learner_name} · {self.course_title}"
