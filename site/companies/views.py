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
        _say_whether_sent(request, invitation)
        return redirect("companies:detail", company_id=company.pk)
    return _render_company(request, company, form, status=400)


@login_required
@require_POST
def resend_view(request, company_id, invitation_id):
    company = _company_or_404(request.user, company_id)
    earlier = company.invitations.pending().filter(pk=invitation_id).first()
    if earlier is None or not can_invite(request.user, company, earlier.role):
        raise Http404
    invitation = invitations.invite(
        company=company,
        email=earlier.email,
        role=earlier.role,
        full_name=earlier.full_name,
        invited_by=request.user,
        request=request,
    )
    _say_whether_sent(request, invitation)
    return redirect("companies:detail", company_id=company.pk)


def _say_whether_sent(request, invitation):
    if invitation.sent:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
    else:
        messages.error(
            request,
            _(
                "The invitation to %(email)s is saved, but the email could not be sent. "
                "Try “Send again” in a few minutes."
            )
            % {"email": invitation.email},
        )


PROBLEM_STATUS = {"expired": 410, "used": 410, "revoked": 410, "other_account": 403}


def _problem(request, reason, invitation=None):
    """The page that explains why an invitation link cannot be used, and what to do instead."""
    return render(
        request,
        "companies/invitation_problem.html",
        {"reason": reason, "invitation": invitation},
        status=PROBLEM_STATUS.get(reason, 404),
    )


def accept_invitation(request, token):
    try:
        invitation = invitations.invitation_from_token(token)
    except invitations.InvitationProblem as problem:
        return _problem(request, problem.reason, problem.invitation)
    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email:
            return _problem(request, "other_account", invitation)
        return _join_as_signed_in(request, invitation)
    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        messages.info(request, _("You already have an account: log in to accept the invitation."))
        return redirect(f"{reverse('account_login')}?next={request.path}")
    return _create_account(request, invitation)


def _join_as_signed_in(request, invitation):
    if request.method != "POST":
        return render(request, "companies/invitation_join.html", {"invitation": invitation})
    try:
        invitations.accept(invitation, user=request.user)
    except invitations.InvitationProblem as problem:
        return _problem(request, problem.reason, problem.invitation)
    messages.success(request, _("You have joined %(company)s.") % {"company": invitation.company})
    return redirect("dashboard")


def _create_account(request, invitation):
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
            return _problem(request, problem.reason, problem.invitation)
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
