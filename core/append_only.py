"""Rows that are written once and never changed or removed (the moderation log, moderator
messages, annotations): one mechanism for every such model.

The one change such a row accepts besides its ``updatable`` fields is the sanctioned
redaction of an erased member's names (docs/architecture.md, "The redaction registry"): a
queryset may rewrite its ``redactable`` fields only inside ``redaction()``, which
``accounts.redaction.redact_names`` alone enters, and which writes its own log entry."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

_redacting: ContextVar[bool] = ContextVar("append_only_redacting", default=False)


def _refuse(model) -> PermissionError:
    return PermissionError(f"{str(model._meta.verbose_name_plural).capitalize()} are append-only.")


@contextmanager
def redaction() -> Iterator[None]:
    """Allow updates of ``redactable`` fields for the duration of the block. Only the
    sanctioned redaction path (``accounts.redaction.redact_names``) enters it."""
    token = _redacting.set(True)
    try:
        yield
    finally:
        _redacting.reset(token)


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused, except updates of ``updatable`` fields only,
    and of ``redactable`` fields inside ``redaction()``."""

    updatable: frozenset[str] = frozenset()
    redactable: frozenset[str] = frozenset()

    def update(self, **kwargs):
        allowed = self.updatable | (self.redactable if _redacting.get() else frozenset())
        if not kwargs or not set(kwargs) <= allowed:
            raise _refuse(self.model)
        return super().update(**kwargs)

    def delete(self):
        raise _refuse(self.model)


class AppendOnlyModel(models.Model):
    """A row may be saved once; saving it again or deleting it is refused."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise _refuse(type(self))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _refuse(type(self))
