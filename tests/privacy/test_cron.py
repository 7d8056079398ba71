"""The site's RQ cron schedule holds the privacy sweep beside the mail sweeps."""

import redis
from rq.cron import CronScheduler

from editor.services import remove_orphan_uploads
from notifications import mail
from privacy.sweep import sweep
from threads.ranking import rank_questions
from webhooks.sending import send_due


def test_the_site_schedule_names_every_sweep():
    for _ in range(2):  # read twice, as RQ may: the same jobs each time
        scheduler = CronScheduler(connection=redis.Redis())  # reading needs no server
        scheduler.load_config_from_file("qasite.cron")
        jobs = {job.func: job for job in scheduler.get_jobs()}
        assert set(jobs) == {
            mail.send_digests,
            mail.resend_unsent,
            sweep,
            rank_questions,
            remove_orphan_uploads,
            send_due,
        }
        assert jobs[sweep].interval == 3600
