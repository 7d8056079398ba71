"""RQ's cron schedule of the privacy sweep, hourly (gathered with the other apps' in
``qasite.cron``, README, "Email and background tasks"); without RQ's cron, run
``manage.py privacy_sweep`` from the system's cron."""

from django.conf import settings
from rq import cron

from privacy.sweep import sweep

cron.register(sweep, settings.TASK_QUEUE, interval=3600, name="privacy-sweep")
