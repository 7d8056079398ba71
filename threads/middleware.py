"""Cached anonymous pages served before most of the middleware (docs/architecture.md,
"Clock and cache")."""

from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import Resolver404, get_urlconf, resolve

from threads.cache import AnonymousPage, plain_read


class CachedPageMiddleware:
    """Serves a page from the anonymous page cache (``threads.cache.anonymous_page_cache``)
    to a visitor without a session or pending messages, before sessions, authentication,
    CSRF and the rest of the stack run: none of them changes such a page. It sits after
    the security headers, the HTTPS redirect and the input checks, which every response
    still gets. A miss, or anything else, goes down the stack as usual, where the view's
    decorator renders and stores the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._cached(request) if self._anonymous_read(request) else None
        return response or self.get_response(request)

    @staticmethod
    def _anonymous_read(request) -> bool:
        return plain_read(request) and settings.SESSION_COOKIE_NAME not in request.COOKIES

    @staticmethod
    def _cached(request):
        match = _match(get_urlconf(), request.path_info)
        page = getattr(match.func, "anonymous_page", None) if match else None
        if not isinstance(page, AnonymousPage):
            return None
        request.resolver_match = match
        request.user = AnonymousUser()  # no session: what authentication would find
        return page.serve(request, match.args, match.kwargs)


@lru_cache(maxsize=4096)
def _match(urlconf: str | None, path: str):
    """The URL's match, or None: remembered, since the site's routes are a long list tried
    in order and the same few pages are asked for most."""
    try:
        return resolve(path, urlconf)
    except Resolver404:
        return None


@receiver(setting_changed)
def _forget_matches(*, setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _match.cache_clear()
