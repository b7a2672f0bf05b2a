"""The life of a BackgroundJob: queued by a request, claimed and run by a background worker,
finished or failed, and never left "running" for ever when its worker dies."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django_tasks import TaskResultStatus, task_backends
from django_tasks.exceptions import TaskResultDoesNotExist

from . import conf
from .models import BackgroundJob

logger = logging.getLogger(__name__)

Status = BackgroundJob.Status
Failure = BackgroundJob.Failure


def enqueue_on_commit(job, task):
    """Hand `job` to the background worker once the request's transaction has committed, so
    the worker never looks for a job row it cannot see yet."""

    def enqueue():
        try:
            result = task.using(backend=conf.get("VIRAGE_BACKGROUND_TASKS")).enqueue(job.pk)
        except Exception:
            logger.exception("Background job %s could not be queued.", job.pk)
            fail(job.pk, Failure.NOT_QUEUED)
            return
        BackgroundJob.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)


def claim(job_id, kind):
    """The job, now running; None when it is not waiting any more (already run by another
    worker, or given up on), so that a task delivered twice does the work once."""
    now = timezone.now()
    claimed = BackgroundJob.objects.filter(pk=job_id, kind=kind, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, updated_at=now
    )
    if not claimed:
        logger.warning("Background job %s is not waiting to run; skipped.", job_id)
        return None
    return BackgroundJob.objects.get(pk=job_id)


@contextmanager
def running(job):
    """Run the body in the language of whoever started the job, with a ProgressWriter for it;
    an exception marks the job failed (and goes on to the worker, which logs it)."""
    progress = ProgressWriter(job)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            yield progress
    except Exception:
        logger.exception("Background job %s failed.", job.pk)
        fail(job.pk, Failure.CRASHED)
        raise
    finally:
        progress.close()


def finish(job, report):
    now = timezone.now()
    # The spreadsheet has served its purpose: the leads' addresses in it are not kept.
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=Status.DONE,
        failure="",
        report=report,
        file_data=None,
        finished_at=now,
        updated_at=now,
    )


def fail(job_id, failure):
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job_id).exclude(status=Status.DONE).update(
        status=Status.FAILED, failure=failure, finished_at=now, updated_at=now
    )


class ProgressWriter:
    """Called with (done, total) as the work goes; writes them to the job's row for the job page
    to read. Outside a transaction the row is updated at once. Inside one (the importer saves
    every company in a single transaction) an update on the same connection would stay hidden
    until the end, so on PostgreSQL it goes through a second connection of its own, committed at
    once. SQLite lets only one connection write at a time: there, progress made inside a
    transaction is not shown (the job page shows the last figure written before it)."""

    def __init__(self, job):
        self.job = job
        self.depth = len(connection.atomic_blocks)
        self.side_connection = None

    def __call__(self, done, total):
        values = {"done": done, "total": total, "updated_at": timezone.now()}
        if len(connection.atomic_blocks) <= self.depth:
            BackgroundJob.objects.filter(pk=self.job.pk).update(**values)
        elif connection.vendor == "postgresql":
            self._write_aside(values)

    def _write_aside(self, values):
        if self.side_connection is None:
            self.side_connection = connection.copy()
        side = self.side_connection
        quote = side.ops.quote_name
        meta = BackgroundJob._meta
        table, key = quote(meta.db_table), quote(meta.pk.column)
        columns = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in values)
        params = [
            meta.get_field(name).get_db_prep_value(value, side) for name, value in values.items()
        ]
        # SKIP LOCKED: a progress figure is worth no wait; if anything holds the row, this one
        # is dropped and the next gets through.
        sql = (
            f"UPDATE {table} SET {columns} WHERE {key} IN "  # noqa: S608 (names from the model)
            f"(SELECT {key} FROM {table} WHERE {key} = %s FOR UPDATE SKIP LOCKED)"
        )
        with side.cursor() as cursor:
            cursor.execute(sql, [*params, self.job.pk])

    def close(self):
        if self.side_connection is not None:
            self.side_connection.close()
            self.side_connection = None


def give_up_on_stalled():
    """Mark failed the running jobs that wrote no progress for VIRAGE_JOB_STALE_MINUTES: their
    worker was stopped or killed in the middle. Run whenever jobs are shown; it writes only when
    there is something to change, since on SQLite a write would wait for an import's
    transaction to end."""
    limit = timezone.now() - timezone.timedelta(minutes=conf.get("VIRAGE_JOB_STALE_MINUTES"))
    stalled = BackgroundJob.objects.filter(status=Status.RUNNING, updated_at__lt=limit)
    if stalled.exists():
        stalled.update(status=Status.FAILED, failure=Failure.STALLED, finished_at=timezone.now())


def refresh(job):
    """`job` as it stands, after the stale-job rule and a look at its task: a task the worker
    has finished or failed while the job still says it is waiting or running means the job will
    never end by itself."""
    give_up_on_stalled()
    job.refresh_from_db()
    if job.is_finished or not job.task_id:
        return job
    backend = task_backends[conf.get("VIRAGE_BACKGROUND_TASKS")]
    if not backend.supports_get_result:
        return job
    try:
        result = backend.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return job
    if result.status in {TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL}:
        fail(job.pk, Failure.CRASHED)
        job.refresh_from_db()
    return job
