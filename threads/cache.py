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
rendering (``fill_slots``): only the positions the templates placed, never text that looks
like a marker (see "Shared fragments" below).
"""

import hashlib
import re
import secrets
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date
from django.utils.safestring import SafeString, mark_safe

PAGE_TIMEOUT = 600
T = TypeVar("T")
#: The alias of the per-process cache in ``settings.CACHES``.
LOCAL_CACHE = "local"


def immutable_cached(key: str, compute: Callable[[], T], timeout: int = PAGE_TIMEOUT) -> T:
    """The value for ``key``, a key that names everything the value depends on (a version,
    a signature), so no write makes it stale: from this process's memory first (the
    ``local`` cache, kept a minute at most: no round trip), then the shared cache, computed
    on a miss of both. Without a ``local`` cache configured, the shared cache alone."""
    local = caches[LOCAL_CACHE] if LOCAL_CACHE in settings.CACHES else None
    value = local.get(key) if local else None
    if value is None:
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, timeout)
        if local:
            local.set(key, value, min(timeout, local.default_timeout))
    return value


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
#
# A fragment is rendered once with a marker at each slot, then split at those markers into
# (literal HTML, slot name, literal HTML, …) and kept that way; filling it joins the pieces
# with this request's values. Slots are therefore only the positions the templates and views
# asked for: filling never searches the HTML, so user content (posts, comments, names,
# titles, tags, URLs) cannot create a slot however it is written. The markers hold a random
# nonce drawn for each render and never leave the server: text stored before the render
# cannot contain them, and no page shows them.

#: A fragment as stored and filled: literal HTML at even indexes, slot names at odd ones.
Fragment = tuple[str, ...]

_SLOT_NAME = "[a-z_]+"
_render_nonce: ContextVar[str | None] = ContextVar("qasite_fragment_nonce", default=None)


def _marker(name: str) -> str:
    nonce = _render_nonce.get()
    if nonce is None:
        raise RuntimeError("Slots exist only in renders made by render_fragment/shared_fragment.")
    return f"qasite-slot-{nonce}-{name}-"


def slot(name: str) -> SafeString:
    """The marker of slot ``name`` in the fragment being rendered, filled by ``fill_slots``
    with what ``slots[name]()`` returns."""
    return mark_safe(_marker(name))  # noqa: S308 - letters, digits, dashes and underscores


def fragment_slots() -> dict:
    """Template context for rendering a shareable fragment: the CSRF token and one-time
    form tokens are rendered as slots."""
    return {"csrf_token": slot("csrf"), "one_time_token": slot("token")}


def render_fragment(render: Callable[[], str]) -> Fragment:
    """What ``render`` renders, split at the slots it placed (``slot``, ``fragment_slots``),
    ready for ``fill_slots``."""
    nonce = secrets.token_hex(16)
    reset = _render_nonce.set(nonce)
    try:
        html = str(render())
    finally:
        _render_nonce.reset(reset)
    pieces = tuple(re.split(f"qasite-slot-{nonce}-({_SLOT_NAME})-", html))
    if any(nonce in piece for piece in pieces[::2]):
        # A filter changed a marker: it would be served as is instead of filled.
        raise RuntimeError("A slot marker was altered while rendering a fragment.")
    return pieces


def shared_fragment(parts: tuple, render: Callable[[], str]) -> Fragment:
    """The fragment ``render`` renders (see ``render_fragment``) for the cache key ``parts``
    (everything the HTML depends on; ``repr`` must be stable), rendering it on a miss."""
    key = "fragment-pieces:" + hashlib.sha1(repr(parts).encode()).hexdigest()
    return immutable_cached(key, lambda: render_fragment(render))


def fill_slots(fragment: Fragment, *, csrf_token, **slots: Callable[[], str]) -> SafeString:
    """The fragment's HTML with this request's ``csrf_token`` (read only if a form needs
    it: it may be lazy), a fresh token in each one-time form token slot, and each other slot
    ``name`` filled with what ``slots[name]()`` renders (once per fragment)."""
    out = [fragment[0]]
    filled: dict[str, str] = {}
    for index in range(1, len(fragment), 2):
        name = fragment[index]
        if name == "token":
            value = str(uuid.uuid4())
        elif name in filled:
            value = filled[name]
        else:
            value = filled[name] = str(csrf_token if name == "csrf" else slots[name]())
        out.append(value)
        out.append(fragment[index + 1])
    return mark_safe("".join(out))  # noqa: S308 - rendered by our templates, slots by our code
