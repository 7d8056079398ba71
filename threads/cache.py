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
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.safestring import SafeString, mark_safe

PAGE_TIMEOUT = 600
T = TypeVar("T")
#: The alias of the per-process cache in ``settings.CACHES``.
LOCAL_CACHE = "local"


def _local_cache():
    return caches[LOCAL_CACHE] if LOCAL_CACHE in settings.CACHES else None


def immutable_get(key: str):
    """The value stored under ``key`` by ``immutable_set`` (or None): from this process's
    memory first (the ``local`` cache, kept a minute at most: no round trip), then the
    shared cache. Only for keys that name everything the value depends on (a version, a
    signature), so no write makes a stored value stale."""
    local = _local_cache()
    value = local.get(key) if local else None
    if value is None:
        value = cache.get(key)
        if value is not None and local:
            local.set(key, value)
    return value


def immutable_set(key: str, value, timeout: int = PAGE_TIMEOUT) -> None:
    cache.set(key, value, timeout)
    local = _local_cache()
    if local:
        local.set(key, value, min(timeout, local.default_timeout))


def add_once(key: str, timeout: int) -> bool:
    """``cache.add(key, 1, timeout)``: True for the first caller within ``timeout``. A key
    this process found or added is remembered in its own memory (a minute at most, never
    past ``timeout``), so asking again costs no round trip."""
    local = _local_cache()
    if local is not None and local.get(f"added:{key}"):
        return False
    added = cache.add(key, 1, timeout)
    if local is not None:
        local.set(f"added:{key}", 1, min(timeout, local.default_timeout))
    return added


def immutable_cached(key: str, compute: Callable[[], T], timeout: int = PAGE_TIMEOUT) -> T:
    """The value for ``key`` (see ``immutable_get``), computed and stored on a miss.
    Without a ``local`` cache configured, the shared cache alone."""
    value = immutable_get(key)
    if value is None:
        value = compute()
        immutable_set(key, value, timeout)
    return value


def plain_read(request: HttpRequest) -> bool:
    """A GET or HEAD without pending messages: those are per visitor, so such a page is
    neither served from nor stored in the cache."""
    return request.method in ("GET", "HEAD") and "messages" not in request.COOKIES


def _cacheable(request: HttpRequest) -> bool:
    return plain_read(request) and not request.user.is_authenticated


class AnonymousPage:
    """How a view's anonymous responses are cached (``anonymous_page_cache``): served by
    the view's decorator, or earlier by ``threads.middleware.CachedPageMiddleware``, which
    finds it on the view as ``view.anonymous_page``."""

    def __init__(self, validator, on_hit):
        self.validator = validator
        self.on_hit = on_hit

    def serve(self, request, args, kwargs, view=None) -> HttpResponse | None:
        """The cached response (a 304 for a matching ETag), or, on a miss, the view's
        response, stored for the next visitor; None on a miss without a ``view``."""
        state = self._state(request, args, kwargs)
        if state is None:
            return view(request, *args, **kwargs) if view else None
        token, modified = state
        digest = hashlib.sha1(f"{token}|{request.get_full_path()}".encode()).hexdigest()
        etag = f'"{digest[:24]}"'
        if etag in request.headers.get("if-none-match", ""):
            self._hit(request, args, kwargs)
            return _validators(HttpResponseNotModified(), etag, modified)
        # The key names the page's state (``token``), so the page is read like any other
        # immutable entry: from this process first.
        key = f"page:{digest}"
        cached = immutable_get(key)
        if cached is not None:
            self._hit(request, args, kwargs)
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["Content-Length"] = len(content)
            response["X-Cache"] = "hit"
        elif view is None:
            return None
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.cookies:
                return response
            immutable_set(key, (response.content, response["Content-Type"]))
            response["X-Cache"] = "miss"
        return _validators(response, etag, modified)

    def _state(self, request, args, kwargs):
        """The validator's answer, asked once per request: a miss in the middleware goes
        on to the view, whose decorator asks again."""
        known = getattr(request, "_anonymous_page_state", None)
        if known is not None and known[0] is self:
            return known[1]
        state = self.validator(request, *args, **kwargs)
        request._anonymous_page_state = (self, state)
        return state

    def _hit(self, request, args, kwargs) -> None:
        if self.on_hit is not None:
            self.on_hit(request, *args, **kwargs)


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
        page = AnonymousPage(validator, on_hit)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            return page.serve(request, args, kwargs, view)

        wrapper.anonymous_page = page
        return wrapper

    return decorator


def _validators(response: HttpResponse, etag: str, modified: float) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    # Caches and browsers must revalidate every time (cheaply, thanks to the ETag); a
    # session cookie makes it another page.
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ("Cookie",))
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
