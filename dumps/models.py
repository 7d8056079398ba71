"""Where each imported row came from: one ``SourceRow`` per (site, kind, source id), written
in the same transaction as the row it maps, so a second import of the same dump (or the rest
of an interrupted one) skips what is already there and never matches anything by local id."""

from django.db import models


class SourceKind(models.TextChoices):
    USER = "user", "User"
    POST = "post", "Question or answer"
    TAG = "tag", "Tag (Tags.xml)"
    TAG_EXCERPT = "tag_excerpt", "Tag excerpt post (Tags.xml ExcerptPostId)"
    TAG_WIKI = "tag_wiki", "Tag wiki post (Tags.xml WikiPostId)"
    TAG_TEXT = "tag_text", "Tag excerpt or wiki imported from Posts.xml"
    TAG_TEXT_KEPT = "tag_text_kept", "Tag excerpt or wiki post; the tag kept its local text"
    COMMENT = "comment", "Comment"
    REVISION = "revision", "Revision (PostHistory RevisionGUID)"
    TAG_REVISION = "tag_revision", "Tag wiki revision (PostHistory RevisionGUID)"
    EVENT = "event", "Moderation event (PostHistory Id)"
    LINK = "link", "Post link"


class SourceRow(models.Model):
    """``source_id`` in the dump of ``site`` is the local row ``target_id`` of ``kind``."""

    site = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    source_id = models.CharField(max_length=64)
    target_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "source_id"], name="unique_source_row")
        ]
        indexes = [models.Index(fields=["kind", "target_id"], name="source_row_target")]

    def __str__(self) -> str:
        return f"{self.site} {self.kind} {self.source_id} → {self.target_id}"
