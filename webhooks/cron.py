"""RQ's cron schedule of the webhook sweep, gathered in ``qasite.cron``; without RQ, run
``manage.py send_webhooks`` from the system's cron every minute."""

from django.conf import settings
from rq import cron

from webhooks.sending import send_due

cron.register(send_due, settings.TASK_QUEUE, interval=60, name="webhooks-sweep")
