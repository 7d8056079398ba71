"""Gunicorn's settings for the site (`make serve`, production; README, "Speed").

Sync workers, one request at a time each: the pages are CPU-bound Python with short,
local database and Redis round trips, and measured side by side (bench/run.py) sync
workers served them faster than threads, which only add GIL contention and switching.
A sync worker is held for the whole request, so production puts a buffering proxy
(nginx…) in front that absorbs slow clients. No access log here: the proxy keeps one;
GUNICORN_CMD_ARGS="--access-logfile -" adds gunicorn's. Environment overrides:
GUNICORN_WORKERS (default: the CPU count + 1, one spare for a worker waiting on I/O),
PORT (default 8000) or GUNICORN_CMD_ARGS for anything else.
"""

import multiprocessing
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() + 1)
# A worker is restarted after this many requests (with jitter so they do not all restart
# at once), which bounds any slow leak; a request longer than `timeout` seconds is killed.
max_requests = 5000
max_requests_jitter = 500
timeout = 30
