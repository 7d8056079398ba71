"""The one accessor for ``settings.QASITE``: thresholds, limits and reputation amounts."""

from typing import Any

from django.conf import settings


def qasite_setting(name: str) -> Any:
    """Return ``settings.QASITE[name]``; dotted names reach into nested tables."""
    value: Any = settings.QASITE
    for part in name.split("."):
        value = value[part]
    return value
