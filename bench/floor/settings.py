"""Settings of the benchmark floor: only what Django needs to answer one URL.

No apps, no middleware, no database, no templates; DEBUG off as on the measured site.
Nothing is signed here, but Django refuses to start without a SECRET_KEY: the bench run's
own key (from the environment) or a random one.
"""

import os
import secrets

SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "floor.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
