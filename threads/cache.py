"""Page caches (DESIGN §4 "Performance and caching").

Anonymous visitors get whole responses from the cache (local memory by default, Redis with
``REDIS_URL``). Every hit is first validated against the database with one cheap query (a
question's ``version``, or the newest ``changed_at`` for lists), so several workers with
their own local-memory caches never serve a stale page; the same token makes the ETag, so
a browser's revalidation costs one query and a 304.

Logged-in visitors always see their own state fresh; they share rendered HTML instead
(``shared_fragment``): a question page is the same for everyone with the same privileges,
votes and own posts in the thread, so it is cached under exactly those and the question's
version, and the few values that differ per request are slots (``slot``) filled in after
rendering (``fill_slots``).
"""

import functools
import hashlib
import uuid
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.crypto import salted_hmac
from django.utils.http import http_date
from django.utils.safestring import SafeString, mark_safe

PAGE_TIMEOUT = 600


def _cacheable(request: HttpRequest) -> bool:
    # Pending messages are per visitor: such a page is neither served from nor stored in
    # the cache.
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
    )


def anonymous_page_cache(
    validator: Callable[..., tuple[str, float] | None],
    *,
    on_hit: Callable[..., None] | None = None,
):
    """Cache a view's anonymous responses. ``validator(request, *args, **kwargs)`` returns
    ``(token, modified_timestamp)`` for the page as it is now (one query), or None when the
    view must run (a redirect, a 404…); ``on_hit`` runs for pages served without the view
    (e.g. counting a question view)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            state = validator(request, *args, **kwargs)
            if state is None:
                return view(request, *args, **kwargs)
            token, modified = state
            digest = hashlib.sha1(f"{token}|{request.get_full_path()}".encode()).hexdigest()
            etag = f'"{digest[:24]}"'
            if etag in request.headers.get("if-none-match", ""):
                if on_hit is not None:
                    on_hit(request, *args, **kwargs)
                return _validators(HttpResponseNotModified(), etag, modified)
            key = f"page:{digest}"
            cached = cache.get(key)
            if cached is not None:
                if on_hit is not None:
                    on_hit(request, *args, **kwargs)
                content, content_type = cached
                response = HttpResponse(content, content_type=content_type)
                response["X-Cache"] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.cookies:
                    return response
                cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
                response["X-Cache"] = "miss"
            return _validators(response, etag, modified)

        return wrapper

    return decorator


def _validators(response: HttpResponse, etag: str, modified: float) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    # Caches and browsers must revalidate every time (cheaply, thanks to the ETag).
    response["Cache-Control"] = "no-cache"
    return response


# Shared fragments ---------------------------------------------------------------------------


@functools.cache
def _marker(name: str) -> str:
    """A marker no post can contain (derived from the secret key) and no template escapes."""
    return f"qasite-slot-{name}-{salted_hmac('qasite.cache.slot', name).hexdigest()[:16]}"


def slot(name: str) -> SafeString:
    """A marker rendered in place of per-request HTML, filled by ``fill_slots``."""
    return mark_safe(_marker(name))  # noqa: S308 - letters, digits and dashes


def fragment_slots() -> dict:
    """Template context for rendering a shareable fragment: the CSRF token and one-time
    form tokens are rendered as slots."""
    return {"csrf_token": _marker("csrf"), "one_time_token": _marker("token")}


def shared_fragment(parts: tuple, render: Callable[[], str]) -> str:
    """The HTML ``render`` renders for the cache key ``parts`` (everything the HTML depends
    on; ``repr`` must be stable), rendering it on a miss."""
    key = "fragment:" + hashlib.sha1(repr(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, PAGE_TIMEOUT)
    return html


def fill_slots(html: str, *, csrf_token, **slots: Callable[[], str]) -> SafeString:
    """The fragment with this request's ``csrf_token`` (read only if a form needs it: it
    may be lazy), a fresh token in each one-time form token slot, and ``slot(name)``
    replaced by what ``slots[name]()`` renders."""
    if _marker("csrf") in html:
        html = html.replace(_marker("csrf"), str(csrf_token))
    pieces = html.split(_marker("token"))
    html = "".join(
        piece if index == 0 else str(uuid.uuid4()) + piece for index, piece in enumerate(pieces)
    )
    for name, render in slots.items():
        marker = slot(name)
        if marker in html:
            html = html.replace(marker, render())
    return mark_safe(html)  # noqa: S308 - rendered by our templates, slots by our code
