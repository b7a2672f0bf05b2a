"""The administration's long jobs on companies: importing a spreadsheet and inviting the leads
of many companies. Submitting saves a BackgroundJob and queues it; the job's page follows it
from the job's row alone, so it can be closed and reopened, by its author or any manager."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.admin import messages
from wagtail.log_actions import log

from . import jobs, tasks
from .admin_forms import ImportUploadForm, LeadSelectionForm, describe_selection
from .bulk_invitations import preview
from .models import BackgroundJob
from .permissions import can_follow_jobs, can_import_companies, can_invite_leads

RECENT_JOBS = 20
Kind = BackgroundJob.Kind


def _recent_jobs():
    jobs.give_up_on_stalled()
    return (
        BackgroundJob.objects.select_related("created_by")
        .defer("file_data", "report", "selection")
        .order_by("-created_at", "-pk")[:RECENT_JOBS]
    )


def _page(request, template, context, status=200):
    user = request.user
    context = {
        "recent_jobs": _recent_jobs(),
        "can_import": can_import_companies(user),
        "can_invite": can_invite_leads(user),
        **context,
    }
    return TemplateResponse(request, template, context, status=status)


def _start(request, task, **fields):
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            created_by=request.user, language=translation.get_language() or "", **fields
        )
        jobs.enqueue_on_commit(job, task)
        log(instance=job, action=f"companies.job.{job.kind}", user=request.user)
    return redirect("company_jobs:detail", job_id=job.pk)


def import_companies(request):
    if not can_import_companies(request.user):
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            return _start(
                request,
                tasks.import_companies_job,
                kind=Kind.IMPORT,
                file_name=upload.name[:255],
                file_size=upload.size,
                file_data=form.file_data,
                dry_run=form.cleaned_data["dry_run"],
            )
        messages.error(request, _("The file cannot be imported: see the message below."))
    return _page(
        request,
        "companies/admin/import.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def invite_leads(request):
    if not can_invite_leads(request.user):
        raise PermissionDenied
    posted = request.method == "POST"
    form = LeadSelectionForm(request.POST if posted else request.GET)
    counts = preview(form.selection) if form.is_valid() else None
    if posted and counts is not None:
        if counts["to_invite"]:
            return _start(
                request, tasks.invite_leads_job, kind=Kind.INVITE_LEADS, selection=form.selection
            )
        messages.error(request, _("No company of this selection has a lead left to invite."))
    return _page(
        request,
        "companies/admin/invite_leads.html",
        {"form": form, "counts": counts},
        status=400 if posted or counts is None else 200,
    )


def _job_or_404(request, job_id):
    if not can_follow_jobs(request.user):
        raise PermissionDenied
    return jobs.refresh(get_object_or_404(BackgroundJob.objects.defer("file_data"), pk=job_id))


def job_detail(request, job_id):
    job = _job_or_404(request, job_id)
    return _page(
        request,
        "companies/admin/job.html",
        {
            "job": job,
            "progress_text": progress_text(job),
            "report": job.report,
            "selection": describe_selection(job.selection),
        },
    )


@require_GET
def job_status(request, job_id):
    job = _job_or_404(request, job_id)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "finished": job.is_finished,
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "progress_text": progress_text(job),
        }
    )


def progress_text(job):
    """The progress of `job` in words, beside its progress bar."""
    if job.status == job.Status.QUEUED:
        return _("Waiting for the background worker to start the job.")
    if job.is_finished or not job.total:
        return ""
    if job.kind == Kind.INVITE_LEADS:
        return _("%(done)s of %(total)s companies handled.") % {
            "done": job.done,
            "total": job.total,
        }
    # The importer counts each row twice, once checked and once saved (see importing).
    rows = job.total if job.dry_run else job.total // 2
    if job.done <= rows:
        return _("Checking the rows: %(done)s of %(rows)s.") % {"done": job.done, "rows": rows}
    return _("Saving the companies: %(done)s of %(rows)s.") % {
        "done": job.done - rows,
        "rows": rows,
    }
