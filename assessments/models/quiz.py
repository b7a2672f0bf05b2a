"""Module quizzes: a kind of lesson with scored questions, a pass mark and a number of attempts.
A quiz is a LessonPage (multi-table inheritance), so it sits in a module's outline, counts in
progress and is routed and opened like any lesson; learners complete it by passing it."""

from django.conf import settings
from django.contrib import messages
from django.core.validators import MaxValueValidator
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from courses.models import LessonPage
from courses.quiz import InvalidAnswers, QuizQuestionBlock, question_fields


class ScorePolicy(models.TextChoices):
    BEST = "best", _("The best attempt counts")
    LAST = "last", _("The last attempt counts")


class QuizPage(LessonPage):
    """A quiz closing a module. Its body (inherited from the lesson) is the introduction."""

    is_quiz = True  # outline label, and no "mark as done": see courses.services.outline

    questions = StreamField(
        [("question", QuizQuestionBlock())], verbose_name=_("questions"), min_num=1
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 allows any number of attempts.")
    )
    score_policy = models.CharField(
        _("score kept"), max_length=8, choices=ScorePolicy.choices, default=ScorePolicy.BEST
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("duration_minutes"),
        FieldPanel(
            "body",
            heading=_("Introduction"),
            help_text=_("What the quiz covers and how to prepare; shown above the questions."),
        ),
        FieldPanel("questions"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("pass_mark"),
                        FieldPanel("max_attempts"),
                        FieldPanel("score_policy"),
                    ]
                )
            ],
            heading=_("Scoring"),
        ),
    ]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def serve(self, request, *args, **kwargs):
        """Showing the quiz is showing a lesson; answering it grades the answers, keeps the
        attempt and sends the learner back to the page, which shows that attempt's result."""
        from courses.services.learning import lesson_access

        from ..services import quizzes

        if request.method != "POST" or getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        access = lesson_access(self, request)
        if access.redirect_to:
            if access.message:
                messages.info(request, access.message)
            return redirect(access.redirect_to)
        request.courses_lesson_access = access
        try:
            submission = quizzes.submit_attempt(
                self, request.user, access.course, request.POST, request
            )
        except quizzes.NoAttemptsLeft as refusal:
            messages.error(request, refusal.message)
            return redirect(self.get_url(request))
        except InvalidAnswers as invalid:
            context = self.get_context(request, *args, invalid_answers=invalid, **kwargs)
            # The form again, with the questions at fault marked and the other answers ticked.
            context["quiz_questions"] = question_fields(
                [row.question for row in context["quiz_questions"]], invalid=invalid
            )
            return TemplateResponse(request, self.get_template(request, *args, **kwargs), context)
        quizzes.show_result_once(request, self, submission.attempt)
        if submission.certificate:
            messages.success(
                request,
                _("Congratulations, you have completed “%(title)s”. Your certificate is ready.")
                % {"title": access.course.title},
            )
        return redirect(f"{self.get_url(request)}#quiz-result")

    def get_context(self, request, *args, invalid_answers=None, **kwargs):
        from ..services.quizzes import quiz_view_state

        context = super().get_context(request, *args, **kwargs)
        context.update(quiz_view_state(self, request, invalid_answers))
        return context


class QuizAttempt(models.Model):
    """One learner's answers to a quiz. Keyed by the quiz's translation key, so attempts count
    the same in every language of the quiz."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    quiz_key = models.UUIDField(_("quiz"))
    answers = models.JSONField(
        _("answers"), default=dict, help_text=_("Chosen option numbers (from 0) by question id.")
    )
    score = models.FloatField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        indexes = [models.Index(fields=["user", "quiz_key"])]

    def __str__(self):
        return f"{self.user} · {self.quiz_key} · {self.score:.0f}"
