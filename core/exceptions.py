"""Site-wide exceptions (the bottom floor: both apps raise them)."""

from django.core.exceptions import PermissionDenied


class RateLimited(PermissionDenied):
    """Over a rate limit: a clear message; answered with HTTP 429 (JSON for scripts)."""
