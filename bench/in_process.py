"""Django set up in the benchmark's own process, on a chosen database, as production runs it
(DEBUG off): for the scripts that time services or queries directly."""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(database_url: str) -> None:
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="qasite.settings",
        DEBUG="false",
        HTTPS_ONLY="false",
        ALLOWED_HOSTS="testserver",
    )
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def database_url(given: str, default: Path) -> str:
    """``given``, or a fresh SQLite file at ``default`` (an earlier run's removed)."""
    if given:
        return given
    default.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{default}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{default}"
