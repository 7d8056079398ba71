"""RQ's cron schedule of removing orphaned uploads, hourly (gathered with the other apps' in
``qasite.cron``, README, "Email and background tasks"); without RQ's cron, run
``manage.py remove_orphan_uploads`` from the system's cron."""

from django.conf import settings
from rq import cron

from editor.services import remove_orphan_uploads

cron.register(remove_orphan_uploads, settings.TASK_QUEUE, interval=3600, name="orphan-uploads")
