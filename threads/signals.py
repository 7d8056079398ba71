"""What threads announces, for other apps (moderation fills review queues and its record
from these, connected in its ``AppConfig.ready``). Sent after the change is saved, inside
the service's transaction."""

from django.dispatch import Signal

#: ``post`` was created by ``author``.
post_created = Signal()
#: ``post`` was edited by ``editor`` into ``revision`` (kind: edit, rollback).
post_edited = Signal()
#: ``post`` was soft-deleted / undeleted by ``actor``.
post_deleted = Signal()
post_undeleted = Signal()
#: ``suggested_edit`` waits for review.
edit_suggested = Signal()
