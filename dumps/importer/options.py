"""The import's options, checked before anything is imported."""

from __future__ import annotations

import re
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


#: Sites of the network with their own domain rather than ``<name>.stackexchange.com``.
OWN_DOMAINS = {
    "stackoverflow": "stackoverflow.com",
    "serverfault": "serverfault.com",
    "superuser": "superuser.com",
    "askubuntu": "askubuntu.com",
    "stackapps": "stackapps.com",
    "mathoverflow": "mathoverflow.net",
}
_HOST_RE = re.compile(
    r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
)


def site_url_base(site: str) -> str:
    """The source site's address from the dump's site key, as the network names its sites:
    ``french.meta`` → ``https://french.meta.stackexchange.com``, ``stackoverflow`` →
    ``https://stackoverflow.com``, ``meta.stackoverflow`` → ``https://meta.stackoverflow.com``;
    a key that is already a host name (``french.stackexchange.com``) is kept. "" for a key
    that cannot be a host name."""
    key = (site or "").strip().lower()
    if not _HOST_RE.fullmatch(key):
        return ""
    if key.endswith((".com", ".net")):
        host = key
    else:
        labels = key.split(".")
        if labels[-1] in OWN_DOMAINS:
            host = ".".join([*labels[:-1], OWN_DOMAINS[labels[-1]]])
        else:
            host = f"{key}.stackexchange.com"
    return check_source_url_base(f"https://{host}") if len(host) < 200 else ""


def source_url_base_for(site: str, base: str | None) -> str:
    """The base of the imported posts' source links: ``base`` (``--source-url-base``,
    checked) when given, else the site key's address (``site_url_base``)."""
    return check_source_url_base(base) or site_url_base(site)
