"""Background tasks (django-tasks) behind the administration's long jobs. Each takes the id of a
BackgroundJob, whose row holds everything else: the enqueued message stays small, and the job
page reads its progress from the same row. `jobs.enqueue_on_commit` sends them to the backend
named by VIRAGE_BACKGROUND_TASKS."""

import io

from django_tasks import task

from . import jobs
from .bulk_invitations import invite_leads
from .importing import import_companies
from .models import BackgroundJob


@task()
def import_companies_job(job_id):
    job = jobs.claim(job_id, BackgroundJob.Kind.IMPORT)
    if job is None:
        return
    with jobs.running(job) as progress:
        report = import_companies(
            io.BytesIO(bytes(job.file_data)), dry_run=job.dry_run, progress=progress
        )
        jobs.finish(job, import_report_data(report))


@task()
def invite_leads_job(job_id):
    job = jobs.claim(job_id, BackgroundJob.Kind.INVITE_LEADS)
    if job is None:
        return
    with jobs.running(job) as progress:
        report = invite_leads(job.selection, invited_by=job.created_by, progress=progress)
        jobs.finish(job, report)


def import_report_data(report):
    """An ImportReport as JSON for the job's row; the messages are already translated, in the
    language of whoever started the import."""
    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": [
            {"row": row, "column": column, "message": message}
            for row, column, message in report.errors
        ],
    }
