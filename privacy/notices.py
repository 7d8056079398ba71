"""The notice of a pending deletion in the user menu of every page: one cache read
(``core.extensions.user_menu`` accepts no more); a miss reads the open request once."""

from django.core.cache import cache

from privacy.models import DeletionRequest

TIMEOUT = 300


def _key(user_id: int) -> str:
    return f"privacy:deletion:{user_id}"


def pending_deletion(user_id: int):
    """When the member's account is to be deleted, or None."""
    value = cache.get(_key(user_id))
    if value is None:
        request = (
            DeletionRequest.objects.filter(
                user_id=user_id, cancelled_at__isnull=True, erased_at__isnull=True
            )
            .values_list("due_at", flat=True)
            .first()
        )
        value = request or ""
        cache.set(_key(user_id), value, TIMEOUT)
    return value or None


def forget(user_id: int) -> None:
    cache.delete(_key(user_id))
