"""The site's RQ cron schedule holds the privacy sweep beside the mail sweeps."""

import redis
from rq.cron import CronScheduler

from notifications import mail
from privacy.sweep import sweep


def test_the_site_schedule_names_every_sweep():
    for _ in range(2):  # read twice, as RQ may: the same jobs each time
        scheduler = CronScheduler(connection=redis.Redis())  # reading needs no server
        scheduler.load_config_from_file("qasite.cron")
        jobs = {job.func: job for job in scheduler.get_jobs()}
        assert set(jobs) == {mail.send_digests, mail.resend_unsent, sweep}
        assert jobs[sweep].interval == 3600
