"""``manage.py worker``: an RQ worker, with its scheduler, on this site's queue
(``settings.TASK_QUEUE``, named after the deployment's namespace, so sites sharing one Redis
never run each other's jobs). Takes ``rqworker``'s options (``--burst``, ``--name``, …); a
``--burst`` worker runs what is queued and stops, without the scheduler (which retries
failed jobs later, and stops a burst worker with an error in RQ 3.0)."""

from django.conf import settings
from django.core.management.base import CommandError
from django_rq.management.commands.rqworker import Command as RQWorkerCommand


class Command(RQWorkerCommand):
    help = "Runs an RQ worker and its scheduler on this site's task queue (REDIS_URL)."

    def handle(self, *queues, **options):
        if settings.TASK_QUEUE not in settings.RQ_QUEUES:
            raise CommandError("REDIS_URL is not set: background tasks run in the web process.")
        return super().handle(
            *(queues or (settings.TASK_QUEUE,)),
            **{**options, "with_scheduler": not options["burst"]},
        )
