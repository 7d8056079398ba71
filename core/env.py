"""Reading configuration from environment variables (the settings module uses these)."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable; unset or empty means ``default``. Any other word stops startup,
    naming the variable, rather than being read silently as "no"."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS | FALSE_WORDS:
        return value in TRUE_WORDS
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value: use one of "
        f"{', '.join(sorted(TRUE_WORDS))} or {', '.join(sorted(FALSE_WORDS))}."
    )


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_url(name: str, default: str) -> str:
    """An absolute http(s) URL without a trailing slash (the site's address in emails);
    anything else stops startup, naming the variable."""
    value = os.environ.get(name, "").strip() or default
    if not value.startswith(("http://", "https://")) or len(value.split("//", 1)[1]) == 0:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not an absolute URL: use e.g. https://qasite.example"
        )
    return value.rstrip("/")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
