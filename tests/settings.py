"""Settings for the test suite (pyproject.toml names this module for pytest-django): the
project's settings with a fixed key for tests when the environment sets none. The settings
refuse to load without a key, so it is set before they are read."""

import os

if not os.environ.get("SECRET_KEY", "").strip():
    os.environ["SECRET_KEY"] = "qasite-test-suite-only-" + "k3y" * 12

from qasite.settings import *  # noqa: E402, F403

# The PostgreSQL pool's ceiling: the concurrency tests open a connection per thread (up to
# a dozen at once, tests/concurrency.py), more than a web process needs.
if "pool" in DATABASES["default"].get("OPTIONS", {}):  # noqa: F405
    DATABASES["default"]["OPTIONS"]["pool"]["max_size"] = 64  # noqa: F405
