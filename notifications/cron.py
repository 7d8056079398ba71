"""RQ's cron schedule of the mail sweeps, gathered with the other apps' in ``qasite.cron``
(``manage.py rqcron qasite.cron`` beside the workers: README, "Email and background
tasks"); without it, run ``manage.py send_notification_mail`` from the system's cron. Run
one scheduler per site."""

from django.conf import settings
from rq import cron

from core.conf import qasite_setting
from notifications import mail

_conf = qasite_setting("NOTIFICATIONS")

cron.register(
    mail.send_digests,
    settings.TASK_QUEUE,
    cron=f"0 {_conf['EMAIL_DIGEST_HOUR_UTC']} * * *",
    name="notification-digests",
)
cron.register(
    mail.resend_unsent,
    settings.TASK_QUEUE,
    interval=_conf["EMAIL_RESEND_AFTER_MINUTES"] * 60,
    name="notification-resend",
)
