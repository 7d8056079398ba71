"""Rows of the threads app written in bulk, for code that makes many posts at once (the
dump importer, the benchmark data generator) rather than through the services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from threads.models import Post, Revision, RevisionKind, Vote


def vote_counts_from_rows(vote_model=Vote) -> dict:
    """``Post.objects.update(**…)`` arguments setting each post's score, up and down counts
    from its ``Vote`` rows (``vote_model``: a migration passes its historical model)."""
    rows = vote_model.objects.filter(post=OuterRef("pk")).values("post")

    def of(aggregate):
        return Coalesce(Subquery(rows.annotate(n=aggregate).values("n")), 0)

    return {
        "score": of(Sum("value")),
        "up_votes": of(Count("pk", filter=Q(value__gt=0))),
        "down_votes": of(Count("pk", filter=Q(value__lt=0))),
    }


def create_first_revisions(
    posts: Iterable[Post],
    tags: Mapping[int, Sequence[str]],
    *,
    kind: str = RevisionKind.INITIAL,
    batch_size: int | None = None,
) -> list[Revision]:
    """Revision 1 of each post, as the post stands (title, body, author, creation time),
    inserted with one ``bulk_create``. ``tags`` holds the tag names of the questions by
    post id; a post it doesn't name (an answer) gets none. The posts need the fields
    ``pk``, ``title``, ``body``, ``author_id``, ``author_name`` and ``created_at``."""
    tags_field = Revision._meta.get_field("tags").max_length
    return Revision.objects.bulk_create(
        [
            Revision(
                post_id=post.pk,
                number=1,
                kind=kind,
                title=post.title,
                body=post.body,
                tags=" ".join(tags.get(post.pk, ()))[:tags_field],
                editor_id=post.author_id,
                editor_name=post.author_name,
                created_at=post.created_at,
            )
            for post in posts
        ],
        batch_size=batch_size,
    )


__all__ = ["create_first_revisions"]
