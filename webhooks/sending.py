"""Sending one delivery (docs/architecture.md, "webhooks"): outside any transaction, to the
address checked against the SSRF rule, signed, with a timeout, no redirects followed. A
failure is retried after each of ``RETRY_SECONDS``; an endpoint failing
``DISABLE_AFTER_FAILURES`` times in a row is disabled and staff are told by email."""

import logging
import time
from datetime import timedelta

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from requests.adapters import HTTPAdapter

from core.conf import qasite_setting
from webhooks import queue, targets
from webhooks.models import Attempt, Delivery, DeliveryState, Endpoint
from webhooks.signing import signature

logger = logging.getLogger(__name__)
USER_AGENT = "qasite-webhooks/1"


class _PinnedHTTPS(HTTPAdapter):
    """Connects to the checked address while TLS still checks the certificate of the URL's
    host name (SNI and hostname verification)."""

    def __init__(self, host: str) -> None:
        self._host = host
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["server_hostname"] = self._host
        kwargs["assert_hostname"] = self._host
        super().init_poolmanager(*args, **kwargs)


def _pinned_url(url: str, target: targets.Target) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    address = f"[{target.address}]" if ":" in target.address else target.address
    return urlunsplit(parts._replace(netloc=f"{address}:{target.port}"))


def post(url: str, *, body: bytes, headers: dict[str, str]) -> requests.Response:
    """POST ``body`` to ``url`` after checking where it resolves (raises TargetRefused)."""
    target = targets.resolve(url)
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    if ":" in target.host:
        host_header = f"[{target.host}]" + (
            "" if target.port == default_port else f":{target.port}"
        )
    timeout = qasite_setting("WEBHOOKS")["TIMEOUT_SECONDS"]
    with requests.Session() as session:
        session.trust_env = False  # no proxy from the environment: the checked address only
        session.mount("https://", _PinnedHTTPS(target.host))
        session.mount("http://", HTTPAdapter(max_retries=0))
        response = session.post(
            _pinned_url(url, target),
            data=body,
            headers={**headers, "Host": host_header},
            timeout=(timeout, timeout),
            allow_redirects=False,
            stream=True,
        )
        response.close()  # the body is not needed: only the status counts
        return response


def _claim(pk: int) -> Delivery | None:
    """Take a due delivery for one try: counted now and leased until the job's timeout, so a
    sweep running meanwhile does not send it twice."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=pk, state=DeliveryState.PENDING)
            .first()
        )
        if delivery is None:
            return None
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return None
        if not delivery.endpoint.active:
            delivery.state = DeliveryState.CANCELLED
            delivery.save(update_fields=["state"])
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + timedelta(
            seconds=qasite_setting("WEBHOOKS")["JOB_TIMEOUT_SECONDS"]
        )
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    return delivery


def send_delivery(pk: int) -> None:
    """Try delivery ``pk`` once if it is due; schedule the next try when it fails."""
    delivery = _claim(pk)
    if delivery is None:
        return
    endpoint = delivery.endpoint
    body = delivery.body.encode()
    stamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Qasite-Event": delivery.event,
        "X-Qasite-Delivery": str(delivery.uuid),
        "X-Qasite-Timestamp": str(stamp),
        "X-Qasite-Signature": signature(endpoint.secret, stamp, body),
    }
    started = timezone.now()
    clock = time.monotonic()
    status, error = None, ""
    try:
        status = post(endpoint.url, body=body, headers=headers).status_code
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except targets.TargetRefused as refused:
        error = str(refused)
    except requests.RequestException as failure:
        error = f"{type(failure).__name__}: {failure}"
    duration = int((time.monotonic() - clock) * 1000)
    Attempt.objects.create(
        delivery=delivery,
        started_at=started,
        status_code=status,
        duration_ms=duration,
        error=error[:300],
        ok=not error,
    )
    if not error:
        _succeeded(delivery, status)
    else:
        _failed(delivery, status, error)


def _succeeded(delivery: Delivery, status: int | None) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.DELIVERED,
        delivered_at=timezone.now(),
        next_attempt_at=None,
        last_status=status,
        last_error="",
    )
    Endpoint.objects.filter(pk=delivery.endpoint_id).update(failures_in_row=0)


def _failed(delivery: Delivery, status: int | None, error: str) -> None:
    conf = qasite_setting("WEBHOOKS")
    intervals = list(conf["RETRY_SECONDS"])
    retry = delivery.attempts <= len(intervals)
    delay = intervals[delivery.attempts - 1] if retry else 0
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.PENDING if retry else DeliveryState.FAILED,
        next_attempt_at=timezone.now() + timedelta(seconds=delay) if retry else None,
        last_status=status,
        last_error=error[:300],
    )
    Endpoint.objects.filter(pk=delivery.endpoint_id).update(
        failures_in_row=F("failures_in_row") + 1
    )
    failures = Endpoint.objects.values_list("failures_in_row", flat=True).get(
        pk=delivery.endpoint_id
    )
    if failures >= conf["DISABLE_AFTER_FAILURES"]:
        disable(delivery.endpoint_id, reason=f"{failures} failed attempts in a row; last: {error}")
    elif retry:
        queue.schedule(send_delivery, delivery.pk, delay=delay)


def disable(endpoint_id: int, *, reason: str) -> bool:
    """Turn the endpoint off, cancel what it still had to receive and tell staff, once."""
    with transaction.atomic():
        turned_off = Endpoint.objects.filter(pk=endpoint_id, active=True).update(
            active=False, disabled_at=timezone.now(), disabled_reason=reason[:300]
        )
        if not turned_off:
            return False
        Delivery.objects.filter(endpoint_id=endpoint_id, state=DeliveryState.PENDING).update(
            state=DeliveryState.CANCELLED, next_attempt_at=None
        )
    endpoint = Endpoint.objects.get(pk=endpoint_id)
    logger.warning("Webhook endpoint %s disabled: %s", endpoint.url, reason)
    _tell_staff(endpoint)
    return True


def _tell_staff(endpoint: Endpoint) -> None:
    emails = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not emails:
        return
    link = settings.SITE_URL.rstrip("/") + f"/admin/webhooks/endpoint/{endpoint.pk}/change/"
    try:
        send_mail(
            subject=f"Webhook endpoint disabled: {endpoint.url}"[:150],
            message=(
                f"The webhook endpoint {endpoint.url} was disabled: "
                f"{endpoint.disabled_reason}\n\n"
                f"Its delivery log, and the switch to turn it back on once it is fixed:\n{link}\n"
            ),
            from_email=None,
            recipient_list=emails,
        )
    except Exception:  # the endpoint stays disabled; the admin shows it
        logger.exception("Could not tell staff that a webhook endpoint was disabled")


def send_due(*, limit: int = 500) -> int:
    """The sweep (``manage.py send_webhooks``, RQ's cron): try every pending delivery whose
    time has come: retries without a worker, and tasks lost on the way to the queue."""
    now = timezone.now()
    stale = now - timedelta(seconds=60)
    ids = list(
        Delivery.objects.filter(state=DeliveryState.PENDING)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at=None, created_at__lte=stale))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        if queue.uses_worker():
            queue.schedule(send_delivery, pk)  # one job each, each with its own timeout
        else:
            send_delivery(pk)
    return len(ids)
