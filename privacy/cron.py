"""RQ's cron schedule of the privacy sweep, for ``manage.py rqcron privacy.cron`` beside
the workers (README, "Email and background tasks"); without it, run
``manage.py privacy_sweep`` from the system's cron. Run one scheduler per site."""

from rq import cron

from notifications.mail_queue import QUEUE
from privacy.sweep import sweep

cron.register(sweep, QUEUE, interval=3600, name="privacy-sweep")
