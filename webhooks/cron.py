"""RQ's cron schedule of the webhook sweep, gathered in ``qasite.cron``; without RQ, run
``manage.py send_webhooks`` from the system's cron every minute."""

from rq import cron

from webhooks.queue import QUEUE
from webhooks.sending import send_due

cron.register(send_due, QUEUE, interval=60, name="webhooks-sweep")
