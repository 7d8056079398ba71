"""Links from a post's text to this site's questions and answers (for the Linked sidebar).

A link counts when it is relative (``/questions/12/slug``, ``/q/12``, ``/a/34``) or absolute
to one of this site's own host names (``ALLOWED_HOSTS``, wildcards left out: a link to
``stackoverflow.com/q/12`` is not a link to our question 12). Links in the rendered HTML
count, and so do bare absolute URLs in the Markdown source.
"""

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host

_HREF_RE = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_BARE_URL_RE = re.compile(r"""https?://[^\s<>"'`()\[\]]+""", re.IGNORECASE)
_QUESTION_PATH_RE = re.compile(r"/(?:questions|q)/(\d{1,18})(?:/|$)")
_ANSWER_PATH_RE = re.compile(r"/a/(\d{1,18})/?$")


@dataclass
class SiteLinks:
    question_ids: set[int] = field(default_factory=set)
    answer_ids: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.question_ids or self.answer_ids)


def _own_hosts() -> list[str]:
    return [host for host in settings.ALLOWED_HOSTS if host != "*"]


def _is_own(url: str, hosts: list[str]) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https"):
        return False
    if not parts.netloc:
        return not parts.scheme and url.startswith("/") and not url.startswith("//")
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return validate_host(host, hosts)


def site_links(body_html: str, body: str = "") -> SiteLinks:
    """The question and answer ids a post links to (unverified: they may not exist)."""
    found = SiteLinks()
    hosts = _own_hosts()
    urls = [html.unescape(url) for url in _HREF_RE.findall(body_html or "")]
    urls += [url.rstrip(".,;:!?") for url in _BARE_URL_RE.findall(body or "")]
    for url in urls:
        try:
            if not _is_own(url.strip(), hosts):
                continue
            path = urlsplit(url.strip()).path
        except ValueError:  # a malformed URL (e.g. a bad IPv6 literal) links nowhere
            continue
        if match := _QUESTION_PATH_RE.match(path):
            found.question_ids.add(int(match[1]))
        elif match := _ANSWER_PATH_RE.match(path):
            found.answer_ids.add(int(match[1]))
    return found
