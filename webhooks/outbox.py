"""The outbox: a ``Delivery`` row per subscribed endpoint, written inside the action's
transaction (it commits or rolls back with the action), sent after the commit
(``webhooks.queue``)."""

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from webhooks import queue
from webhooks.models import Delivery, Endpoint, Event


def record(event: Event, data: dict) -> list[int]:
    """Write one delivery of ``event`` for each active endpoint that chose it."""
    endpoints = [e for e in Endpoint.objects.filter(active=True) if event.value in e.events]
    if not endpoints:
        return []
    now = timezone.now()
    rows = []
    for endpoint in endpoints:
        delivery_id = uuid.uuid4()
        body = json.dumps(
            {
                "id": str(delivery_id),
                "event": event.value,
                "created_at": now.isoformat(),
                "data": data,
            },
            cls=DjangoJSONEncoder,
            sort_keys=True,
        )
        rows.append(Delivery(uuid=delivery_id, endpoint=endpoint, event=event.value, body=body))
    created = Delivery.objects.bulk_create(rows)
    ids = [row.pk for row in created if row.pk is not None]
    if len(ids) != len(created):  # backends that return no ids from bulk_create
        ids = list(
            Delivery.objects.filter(uuid__in=[row.uuid for row in rows]).values_list(
                "pk", flat=True
            )
        )
    queue.after_commit_send(ids)
    return ids


def wanted(event: Event) -> bool:
    """Whether any active endpoint chose ``event``: skips building payloads for nothing."""
    return any(
        event.value in events
        for events in Endpoint.objects.filter(active=True).values_list("events", flat=True)
    )
