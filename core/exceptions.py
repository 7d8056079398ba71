"""Site-wide exceptions (the bottom floor: both apps raise them)."""

from django.core.exceptions import PermissionDenied


class RateLimited(PermissionDenied):
    """Over a rate limit: a clear message; answered with HTTP 429 (JSON for scripts).
    ``retry_after``: seconds until the limit lets the next one through, where the limit knows
    it (the API sends it as ``Retry-After``)."""

    def __init__(self, message: str = "", *, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after
