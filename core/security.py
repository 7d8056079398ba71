"""The Content-Security-Policy (docs/architecture.md, "Security headers").

The policy itself is ``settings.CONTENT_SECURITY_POLICY`` (django-csp). What it cannot say
statically is where user images come from: ``MEDIA_URL`` may be a path on this site or an
absolute URL on another host (a bucket, a CDN), and the middleware below adds that origin to
``img-src`` from the settings on each response, so moving the media elsewhere needs no
change to the policy.
"""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the media origin added to ``img-src``."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        sources = media_sources()
        if sources and not report_only:
            update = dict(parts.update or {})
            update["img-src"] = [*update.get("img-src", ()), *sources]
            parts.update = update
        return parts
