"""How deliveries are signed (README, "Webhooks": how receivers verify): HMAC-SHA256 with
the endpoint's secret over ``"{timestamp}.{body}"``, the timestamp in whole seconds since
the epoch, sent as ``X-Qasite-Timestamp`` and ``X-Qasite-Signature: sha256=<hex>``."""

import hashlib
import hmac


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str, *, now: int, max_age: int):
    """What a receiver does: a fresh timestamp and a matching signature (compared in
    constant time). Used by the tests' receiver; the README shows the same steps."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > max_age:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), header)
