"""The site's RQ cron schedule, for ``manage.py rqcron qasite.cron`` beside the workers
(README, "Email and background tasks"): the apps' schedules in one scheduler. Run one per
site. Each app's module is (re)loaded here, as RQ reloads this one, so its ``register``
calls run every time the schedule is read."""

import importlib
import sys

for _name in ("notifications.cron", "privacy.cron", "threads.cron", "editor.cron", "webhooks.cron"):
    if _name in sys.modules:
        importlib.reload(sys.modules[_name])
    else:
        importlib.import_module(_name)
