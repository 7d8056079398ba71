"""Reads for the tag pages: a tag's synonyms and suggestions, and its wiki's revisions, each
in a constant number of queries."""

from django.db.models import OuterRef, Q, Subquery

from threads.diff import html_diff
from threads.models import Tag, TagSynonym, TagSynonymState, TagSynonymVote

#: Decided suggestions shown under a tag's synonyms (the most recent).
DECIDED_SHOWN = 20


def tag_synonyms(*, tag: Tag) -> list[Tag]:
    """The tags that are synonyms of ``tag`` now (whoever made them: votes, a moderator,
    the admin or an import)."""
    return list(Tag.objects.filter(synonym_of=tag).order_by("name"))


def tag_synonym_suggestions(*, tag: Tag, user) -> list[TagSynonym]:
    """Pending suggestions with ``tag`` as master or as synonym, each with ``my_vote`` (the
    viewer's, or None)."""
    pending = (
        TagSynonym.objects.filter(Q(target=tag) | Q(source=tag), state=TagSynonymState.PENDING)
        .select_related("source", "target", "suggested_by")
        .order_by("-score", "created_at")
    )
    if user.is_authenticated:
        mine = TagSynonymVote.objects.filter(synonym=OuterRef("pk"), user=user)
        pending = pending.annotate(my_vote=Subquery(mine.values("value")[:1]))
    return list(pending)


def tag_synonym_decisions(*, tag: Tag) -> list[TagSynonym]:
    return list(
        TagSynonym.objects.filter(Q(target=tag) | Q(source=tag))
        .exclude(state=TagSynonymState.PENDING)
        .select_related("source", "target", "suggested_by", "decided_by")
        .order_by("-decided_at", "-pk")[:DECIDED_SHOWN]
    )


def tag_wiki_revisions(*, tag: Tag) -> list[dict]:
    """Revisions newest first, each with word diffs against the one before it."""
    revisions = list(tag.wiki_revisions.select_related("editor").order_by("-number"))
    rows = []
    for index, revision in enumerate(revisions):
        previous = revisions[index + 1] if index + 1 < len(revisions) else None
        rows.append(
            {
                "revision": revision,
                "excerpt_diff": html_diff(previous.excerpt, revision.excerpt) if previous else None,
                "body_diff": html_diff(previous.body, revision.body) if previous else None,
            }
        )
    return rows


def tag_wiki_latest_number(*, tag: Tag) -> int:
    latest = tag.wiki_revisions.order_by("-number").values_list("number", flat=True).first()
    return latest or 0
