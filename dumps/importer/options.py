"""The import's options, checked before anything is imported."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from threads.models import Post


class ImportSettingError(ValueError):
    """An option of the import that cannot be used; nothing has been imported."""


#: Room left in ``Post.source_url`` for ``/q/<id>`` after the base.
SOURCE_ID_ROOM = len("/q/") + 12
_http_url = URLValidator(schemes=["http", "https"])


def check_source_url_base(base: str | None) -> str:
    """The base of imported questions' ``source_url`` (``BASE/q/ID``), without its trailing
    slash, or "" for none. Every imported question links to it, so only an absolute http or
    https URL without query or fragment is taken: anything else (``javascript:``,
    ``data:``, a relative path…) raises ``ImportSettingError``."""
    base = (base or "").strip().rstrip("/")
    if not base:
        return ""
    longest = Post._meta.get_field("source_url").max_length - SOURCE_ID_ROOM
    try:
        _http_url(base)
        parts = urlsplit(base)
        valid = not parts.query and not parts.fragment and len(base) <= longest
    except ValidationError:
        valid = False
    if not valid:
        raise ImportSettingError(
            f"--source-url-base must be an absolute http:// or https:// URL without query "
            f"or fragment, at most {longest} characters (e.g. "
            f"https://french.stackexchange.com); got {base[:80]!r}. Nothing was imported."
        )
    return base
