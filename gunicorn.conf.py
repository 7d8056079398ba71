"""Gunicorn's settings for the site (`make serve`, production; README, "Speed").

Threaded workers (gthread), one per CPU, four threads each, and no access log: measured
side by side with bench/run.py, the access log was the costly part of the old command
line; sync workers served fewer requests here, as they close every connection after one
response (no keep-alive) and so pay a new connection per request. The proxy in front
(nginx…) keeps the access log; GUNICORN_CMD_ARGS="--access-logfile -" adds gunicorn's.
Environment overrides: GUNICORN_WORKERS (default: the CPU count), GUNICORN_THREADS
(default 4; with PostgreSQL keep DATABASE_POOL_SIZE at least this), PORT (default 8000),
or GUNICORN_CMD_ARGS for anything else.
"""

import multiprocessing
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count())
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
# A worker is restarted after this many requests (with jitter so they do not all restart
# at once), which bounds any slow leak; a request longer than `timeout` seconds is killed.
# Not sooner: a restart costs the new worker about a second of CPU to load the site and
# starts it with cold caches, which at 5,000 requests took a tenth of a busy worker's time.
max_requests = 200_000
max_requests_jitter = 20_000
timeout = 30
