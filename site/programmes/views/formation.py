"""Cohort formation pages, for programme managers only: choose companies, read the suggested
cohorts, confirm them; move a company to another cohort, its history kept."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from wagtail.log_actions import log

from coaching import placements
from coaching.models import Cohort, Programme
from virage_site.companies.models import Company
from virage_site.companies.validators import normalise_ice

from .. import formation
from ..formation_forms import ConfirmForm, FormationForm, MoveForm
from ..permissions import sees_whole_programme

SEARCH_RESULTS = 20


def manager_only(view):
    """Programme managers only: others signed in are refused, visitors asked to log in."""

    @login_required
    @never_cache
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not sees_whole_programme(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


def existing_cohorts(programme):
    """The programme's cohorts with the number of companies in each now: one query."""
    return (
        Cohort.objects.filter(programme=programme)
        .annotate(companies_now=Count("placements", filter=Q(placements__left_at__isnull=True)))
        .order_by("name")
    )


def confirm_fields(form, plan):
    """(name, value) pairs that post the previewed criteria back, with the preview's
    fingerprint: the confirmation recomputes the cohorts from them."""
    data = form.cleaned_data
    pairs = [("programme", data["programme"].pk)]
    for name in ("levels", "sectors", "regions", "sizes"):
        pairs += [(name, value) for value in data[name]]
    pairs += [(name, data[name]) for name in ("stage", "size", "strategy", "prefix")]
    return [*pairs, ("fingerprint", plan.fingerprint)]


def _programme_from(raw):
    if raw.isascii() and raw.isdigit() and len(raw) < 12:
        return Programme.objects.filter(pk=int(raw)).first()
    return None


def _render(request, form, plan=None, status=200, programme=None):
    if form.is_bound:
        programme = getattr(form, "cleaned_data", {}).get("programme", programme)
    context = {
        "form": form,
        "plan": plan,
        "confirm_fields": confirm_fields(form, plan) if plan and plan.cohorts else None,
        "programme": programme,
        "cohorts": existing_cohorts(programme) if programme else None,
    }
    return render(request, "programmes/formation/formation.html", context, status=status)


def _preview(request, form, status=200):
    plan = formation.plan_cohorts(*form.plan_arguments())
    if not plan.cohorts:
        form.add_error(
            None,
            _(
                "No company matches these criteria among those not yet in a cohort of this "
                "programme. Widen the criteria."
            ),
        )
    return _render(request, form, plan, status)


@manager_only
def formation_view(request):
    if request.method == "POST":
        return _confirm(request)
    if set(request.GET) <= {"programme"}:
        # Only a programme (as after creating cohorts): its cohorts, and a fresh form for it.
        raw = request.GET.get("programme", "")
        programme = _programme_from(raw)
        if raw and programme is None:
            messages.error(request, _("This programme does not exist (any more)."))
        form = FormationForm(initial={"programme": programme.pk} if programme else None)
        return _render(request, form, programme=programme)
    form = FormationForm(request.GET)
    if form.is_valid():
        return _preview(request, form)
    return _render(request, form, status=400)


def _confirm(request):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        # The fingerprint is hidden: its error is the form's.
        for error in form.errors.pop("fingerprint", []):
            form.add_error(None, error)
        return _render(request, form, status=400)
    try:
        with transaction.atomic():
            plan = formation.create_cohorts(
                *form.plan_arguments(), form.cleaned_data["fingerprint"]
            )
            log(
                instance=plan.criteria.programme,
                action="programmes.cohorts_formed",
                user=request.user,
                data={"cohorts": len(plan.cohorts), "companies": plan.company_count},
            )
    except formation.PlanChanged as changed:
        messages.warning(
            request,
            _(
                "The companies matching these criteria changed since the preview. Nothing was "
                "created: read the new suggestion and confirm it again."
            ),
        )
        preview = FormationForm(request.POST)
        preview.is_valid()
        if not changed.plan.cohorts:
            return _preview(request, preview, status=409)
        return _render(request, preview, changed.plan, status=409)
    messages.success(
        request,
        ngettext(
            "%(cohorts)d cohort created with %(companies)d companies.",
            "%(cohorts)d cohorts created with %(companies)d companies.",
            len(plan.cohorts),
        )
        % {"cohorts": len(plan.cohorts), "companies": plan.company_count},
    )
    query = urlencode({"programme": plan.criteria.programme.pk})
    return redirect(f"{reverse('programme:formation')}?{query}#existing-cohorts")


def _find_companies(query):
    query = query.strip()[:100]
    if not query:
        return []
    ice = normalise_ice(query)
    exact = Company.objects.filter(ice=ice).first() if ice else None
    if exact:
        return [exact]
    return list(Company.objects.filter(name__icontains=query).order_by("name")[:SEARCH_RESULTS])


def _company_from(raw):
    if raw.isascii() and raw.isdigit() and len(raw) < 12:
        return Company.objects.filter(pk=int(raw)).first()
    return None


@manager_only
def move_view(request):
    """Find a company, read its places in every programme, move it to another cohort."""
    if request.method == "POST":
        form = MoveForm(request.POST)
        company = _company_from(request.POST.get("company", ""))
        if form.is_valid():
            company, cohort = form.cleaned_data["company"], form.cleaned_data["cohort"]
            with transaction.atomic():
                before = placements.current_place(company, cohort.programme_id)
                placements.move(company, cohort)
                log(
                    instance=company,
                    action="programmes.company_moved",
                    user=request.user,
                    data={"from": str(before.cohort) if before else "", "to": str(cohort)},
                )
            messages.success(
                request,
                _("%(company)s is now in %(cohort)s.") % {"company": company, "cohort": cohort},
            )
            return redirect(f"{reverse('programme:move')}?{urlencode({'company': company.pk})}")
        if company is None:
            messages.error(request, _("This company does not exist (any more)."))
        status = 400
    else:
        raw = request.GET.get("company", "")
        company = _company_from(raw)
        if raw and company is None:
            messages.error(request, _("This company does not exist (any more)."))
        form = MoveForm(initial={"company": company.pk}) if company else None
        status = 200
    query = request.GET.get("q", "")
    context = {
        "query": query[:100],
        "found": _find_companies(query) if query and company is None else [],
        "company": company,
        "form": form if company else None,
        "history": placements.history(company) if company else [],
    }
    return render(request, "programmes/formation/move.html", context, status=status)
