"""RQ's cron schedule of the question lists' ranking job, read by ``manage.py rqcron
qasite.cron`` beside the workers (README, "Email and background tasks"); without it, run
``manage.py rank_questions`` from the system's cron."""

from django.conf import settings
from rq import cron

from core.conf import qasite_setting
from threads.ranking import rank_questions

cron.register(
    rank_questions,
    settings.TASK_QUEUE,
    interval=qasite_setting("LISTS.RANK_EVERY_MINUTES") * 60,
    name="question-ranks",
)
