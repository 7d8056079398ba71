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
#: ``suggested_edit`` was decided: ``approved`` (bool) and the reviewers' ``reason``.
suggested_edit_decided = Signal()
#: ``comment`` was written on its post by its author.
comment_created = Signal()
#: ``answer`` was accepted by ``user`` at ``accepted_at``.
answer_accepted = Signal()
#: ``synonym`` (a ``TagSynonym``) was approved by ``actor`` (None: by votes) and its
#: questions retagged to the master tag.
tag_synonym_approved = Signal()
