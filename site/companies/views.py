from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.services.overview import progress_by_user

from . import invitations
from .forms import AcceptInvitationForm, InviteForm
from .permissions import can_invite, invitable_roles, visible_companies

COMPANIES_PAGE_SIZE = 50


def _company_or_404(user, company_id):
    company = visible_companies(user).filter(pk=company_id).first()
    if company is None:
        raise Http404
    return company


@login_required
def company_list(request):
    companies = visible_companies(request.user).annotate(people=Count("memberships"))
    query = request.GET.get("q", "").strip()[:100]
    if query:
        companies = companies.filter(Q(name__icontains=query) | Q(ice__startswith=query))
    page = Paginator(companies.order_by("name"), COMPANIES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if page.paginator.count == 0 and not query and not visible_companies(request.user).exists():
        raise Http404
    return render(request, "companies/company_list.html", {"page": page, "query": query})


def _render_company(request, company, form, status=200):
    members = list(company.memberships.select_related("user").order_by("role", "user__email"))
    figures = progress_by_user([m.user_id for m in members])
    for member in members:
        member.progress = figures[member.user_id]
    return render(
        request,
        "companies/company_detail.html",
        {
            "company": company,
            "members": members,
            "pending": company.invitations.pending().select_related("invited_by"),
            "form": form,
        },
        status=status,
    )


@login_required
def company_detail(request, company_id):
    company = _company_or_404(request.user, company_id)
    form = InviteForm(company=company, roles=invitable_roles(request.user))
    return _render_company(request, company, form)


@login_required
@require_POST
def invite_view(request, company_id):
    company = _company_or_404(request.user, company_id)
    form = InviteForm(request.POST, company=company, roles=invitable_roles(request.user))
    if form.is_valid() and can_invite(request.user, company, form.cleaned_data["role"]):
        invitation = invitations.invite(
            company=company,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            full_name=form.cleaned_data["full_name"],
            invited_by=request.user,
            request=request,
        )
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("companies:detail", company_id=company.pk)
    return _render_company(request, company, form, status=400)


def accept_invitation(request, token):
    try:
        invitation = invitations.invitation_from_token(token)
    except invitations.InvitationProblem as problem:
        return render(
            request,
            "companies/invitation_problem.html",
            {"reason": problem.reason, "invitation": problem.invitation},
            status=410 if problem.reason in {"expired", "used", "revoked"} else 404,
        )
    existing = get_user_model().objects.filter(email__iexact=invitation.email).first()
    if request.user.is_authenticated and request.user.email.lower() != invitation.email:
        return render(
            request,
            "companies/invitation_problem.html",
            {"reason": "other_account", "invitation": invitation},
            status=403,
        )
    if existing and not request.user.is_authenticated:
        messages.info(request, _("You already have an account: log in to accept the invitation."))
        return redirect(f"{reverse('account_login')}?next={request.path}")
    if request.user.is_authenticated:
        if request.method == "POST":
            invitations.accept(invitation, user=request.user)
            messages.success(
                request, _("You have joined %(company)s.") % {"company": invitation.company}
            )
            return redirect("dashboard")
        return render(request, "companies/invitation_join.html", {"invitation": invitation})
    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = invitations.accept(
                invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except invitations.InvitationProblem as problem:
            return render(
                request,
                "companies/invitation_problem.html",
                {"reason": problem.reason, "invitation": problem.invitation},
                status=410,
            )
        login(request, outcome.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome! Your account is ready and you have joined %(company)s.")
            % {"company": invitation.company},
        )
        return redirect("dashboard")
    return render(
        request,
        "companies/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=400 if request.method == "POST" else 200,
    )
