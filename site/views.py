"""Site-wide views: the dashboard that gathers each person's work, search, errors, health."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from wagtail.models import Locale, Page

from assessments.paths.service import path_context
from assessments.services.overview import dashboard_assessments
from coaching.schedule import upcoming_for
from courses.models import CoursePage, LessonPage
from courses.services.overview import learner_courses

SEARCH_PAGE_SIZE = 10
SEARCH_QUERY_MAX_LENGTH = 200


@login_required
def dashboard(request):
    progress = learner_courses(request.user, request)
    next_step = next((p for p in progress if p.next_lesson), None)
    memberships = list(request.user.memberships.select_related("company"))
    return render(
        request,
        "pages/dashboard.html",
        {
            "progress": progress,
            "next_step": next_step,
            "memberships": memberships,
            "certificates": [p.certificate for p in progress if p.certificate],
            "assessments": dashboard_assessments(request.user),
            "live_sessions": upcoming_for(request.user),
            **path_context(request),
        },
    )


def search_terms(text):
    """Words only: quotes, operators and control characters mean something to the database's
    full-text syntax, and a visitor's stray quote must not become a syntax error."""
    cleaned = "".join(char if char.isalnum() or char in "-'’" else " " for char in text)
    return " ".join(cleaned.split())[:SEARCH_QUERY_MAX_LENGTH]


def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    terms = search_terms(query)
    results = None
    if terms:
        pages = (
            Page.objects.live()
            .public()
            .type(CoursePage, LessonPage)
            .filter(locale=Locale.get_active())
            .specific()
        )
        results = Paginator(pages.search(terms), SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pages/search.html", {"query": query, "results": results})


def health(request):
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors and no database: a 500 page must render even when those are broken.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"LANGUAGE_CODE": get_language()}))
