"""The Content-Security-Policy (docs/architecture.md, "Security headers").

The policy itself is ``settings.CONTENT_SECURITY_POLICY`` (django-csp). What it cannot say
statically is where user images come from: ``MEDIA_URL`` may be a path on this site or an
absolute URL on another host (a bucket, a CDN), and the middleware below adds that origin to
``img-src`` from the settings on each response, so moving the media elsewhere needs no
change to the policy.
"""

from urllib.parse import urlsplit

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse


def origin_of(url: str) -> str | None:
    """``https://media.example`` for an absolute http(s) URL (``//host/…`` reads as https);
    None for a path on this site, which ``'self'`` already covers."""
    parts = urlsplit(url or "")
    if not parts.netloc:
        return None
    scheme = parts.scheme or "https"
    if scheme not in {"http", "https"}:
        return None
    return f"{scheme}://{parts.netloc}"


def media_sources() -> list[str]:
    """What ``img-src`` needs beyond ``'self'`` for the uploaded images (avatars)."""
    origin = origin_of(getattr(settings, "MEDIA_URL", "") or "")
    return [origin] if origin else []


# What a response changes of the policy (django-csp's decorators) or opts out of it.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
_site_headers: dict[str, str] = {}


@receiver(setting_changed)
def _forget_site_headers(**kwargs) -> None:
    _site_headers.clear()


def _excluded_prefixes() -> tuple[str, ...]:
    """The paths either policy leaves out (``EXCLUDE_URL_PREFIXES``)."""
    return tuple(
        prefix
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        for prefix in (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
    )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the media origin added to ``img-src``. The headers of
    a response that neither uses a nonce nor changes the policy (every page of the site:
    it has no inline script) are the same each time: built once per process, not per
    response, which cost a tenth of a cached page's time."""

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE)
            or request.path_info.startswith(_excluded_prefixes())
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        if not _site_headers:
            built = super().process_response(HttpRequest(), HttpResponse())
            _site_headers.update(
                {name: built[name] for name in (HEADER, HEADER_REPORT_ONLY) if name in built}
            )
        for header, value in _site_headers.items():
            response.headers.setdefault(header, value)
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        sources = media_sources()
        if sources and not report_only:
            update = dict(parts.update or {})
            update["img-src"] = [*update.get("img-src", ()), *sources]
            parts.update = update
        return parts
