"""Rows that are written once and never changed or removed (the moderation log, moderator
messages, annotations): one mechanism for every such model."""

from django.db import models


def _refuse(model) -> PermissionError:
    return PermissionError(f"{str(model._meta.verbose_name_plural).capitalize()} are append-only.")


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused, except updates of ``updatable`` fields only."""

    updatable: frozenset[str] = frozenset()

    def update(self, **kwargs):
        if not kwargs or not set(kwargs) <= self.updatable:
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
