"""Tag synonyms: suggesting one, voting on it, a moderator's approval, rejection or direct
merge, and the retag an approval makes (docs/rules.md, "Tag synonyms and the tag wiki")."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from core.conf import qasite_setting
from threads import page_state, signals, tag_rules, validation
from threads.models import (
    Post,
    PostKind,
    Revision,
    RevisionKind,
    Tag,
    TaggedPost,
    TagSynonym,
    TagSynonymState,
    TagSynonymVote,
)
from threads.services._common import _name

COMMUNITY = "Community"


def _existing_tag(name: str) -> Tag:
    name = name.strip().lower()
    if not validation.is_tag_name(name):
        raise ValidationError({"source": f"Invalid tag name. {validation.TAG_RULE_TEXT}."})
    tag = Tag.objects.filter(name=name).first()
    if tag is None:
        raise ValidationError(
            {"source": f"There is no tag [{name}]: only a tag in use can become a synonym."}
        )
    return tag


def _lock_tags(*tags: Tag) -> dict[int, Tag]:
    """Lock the tags' rows, in id order (two merges never wait for each other in a circle)."""
    rows = Tag.objects.select_for_update().filter(pk__in={tag.pk for tag in tags}).order_by("pk")
    return {tag.pk: tag for tag in rows}


def _check_pair(source: Tag, target: Tag) -> None:
    """One level of synonyms: no tag is its own synonym, and no chain a → b → c."""
    if source.pk == target.pk:
        raise ValidationError({"source": "A tag can't be a synonym of itself."})
    if target.synonym_of_id is not None:
        raise ValidationError(
            {"source": f"[{target.name}] is itself a synonym: synonyms point at a master tag."}
        )
    if source.synonym_of_id is not None:
        raise ValidationError({"source": f"[{source.name}] is already a synonym."})
    if Tag.objects.filter(synonym_of=source).exists():
        raise ValidationError(
            {"source": f"[{source.name}] has synonyms of its own: a synonym can't have any."}
        )


def _locked_synonym(synonym: TagSynonym) -> TagSynonym:
    return (
        TagSynonym.objects.select_for_update(of=("self",))
        .select_related("source", "target")
        .get(pk=synonym.pk)
    )


@transaction.atomic
def tag_synonym_suggest(*, actor, source_name: str, target: Tag) -> TagSynonym:
    """Suggest that the tag named ``source_name`` mean ``target``; the suggestion counts as
    its author's upvote. A pending suggestion of the same pair is returned as it is."""
    source = _existing_tag(source_name)
    locked = _lock_tags(source, target)
    source, target = locked[source.pk], locked[target.pk]
    tag_rules.check_suggest_tag_synonym_permission(actor, target)
    _check_pair(source, target)
    pending = TagSynonym.objects.filter(
        source=source, target=target, state=TagSynonymState.PENDING
    ).first()
    if pending is not None:
        return pending
    synonym = TagSynonym.objects.create(source=source, target=target, suggested_by=actor, score=1)
    TagSynonymVote.objects.create(synonym=synonym, user=actor, value=1)
    return synonym


@transaction.atomic
def tag_synonym_vote(*, actor, synonym: TagSynonym, value: int) -> TagSynonym:
    """Vote +1 or −1 (a second vote replaces the first). The net score, counted from the vote
    rows under the suggestion's lock, approves it at ``VOTES_TO_APPROVE`` and rejects it at
    −``VOTES_TO_REJECT``, as the Community."""
    if value not in (1, -1):
        raise ValidationError("A vote is +1 or −1.")
    synonym = _locked_synonym(synonym)
    tag_rules.check_vote_tag_synonym_permission(actor, synonym)
    TagSynonymVote.objects.update_or_create(
        synonym=synonym, user=actor, defaults={"value": value, "cast_at": timezone.now()}
    )
    synonym.score = synonym.votes.aggregate(total=Sum("value"))["total"] or 0
    synonym.save(update_fields=["score"])
    if synonym.score >= qasite_setting("TAG_SYNONYMS.VOTES_TO_APPROVE"):
        _approve(synonym, actor=None)
    elif synonym.score <= -qasite_setting("TAG_SYNONYMS.VOTES_TO_REJECT"):
        _close(synonym, TagSynonymState.REJECTED, actor=None)
    return synonym


@transaction.atomic
def tag_synonym_approve(*, actor, synonym: TagSynonym) -> TagSynonym:
    synonym = _locked_synonym(synonym)
    tag_rules.check_decide_tag_synonym_permission(actor, synonym)
    _approve(synonym, actor=actor)
    return synonym


@transaction.atomic
def tag_synonym_reject(*, actor, synonym: TagSynonym) -> TagSynonym:
    synonym = _locked_synonym(synonym)
    tag_rules.check_decide_tag_synonym_permission(actor, synonym)
    _close(synonym, TagSynonymState.REJECTED, actor=actor)
    return synonym


@transaction.atomic
def tag_merge(*, actor, source_name: str, target: Tag) -> TagSynonym:
    """A moderator makes ``source_name`` a synonym of ``target`` at once and retags its
    questions (a pending suggestion of the same pair is the one approved)."""
    tag_rules.check_decide_tag_synonym_permission(actor)
    source = _existing_tag(source_name)
    synonym, _ = TagSynonym.objects.get_or_create(
        source=source,
        target=target,
        state=TagSynonymState.PENDING,
        defaults={"suggested_by": actor},
    )
    synonym = _locked_synonym(synonym)
    synonym.merged = True
    _approve(synonym, actor=actor)
    return synonym


def _close(synonym: TagSynonym, state: str, *, actor) -> None:
    synonym.state, synonym.decided_by, synonym.decided_at = state, actor, timezone.now()
    synonym.save(update_fields=["state", "decided_by", "decided_at", "merged", "retagged"])


def _approve(synonym: TagSynonym, *, actor) -> None:
    """Make the synonym, retag its questions, and set aside the pending suggestions it makes
    impossible (they would chain)."""
    locked = _lock_tags(synonym.source, synonym.target)
    source, target = locked[synonym.source_id], locked[synonym.target_id]
    _check_pair(source, target)
    Tag.objects.filter(pk=source.pk).update(synonym_of=target)
    synonym.retagged = _retag(source, target, actor=actor)
    _close(synonym, TagSynonymState.APPROVED, actor=actor)
    TagSynonym.objects.filter(state=TagSynonymState.PENDING).filter(
        Q(source=source) | Q(target=source) | Q(source=target)
    ).update(state=TagSynonymState.SUPERSEDED, decided_at=timezone.now())
    signals.tag_synonym_approved.send(sender=TagSynonym, synonym=synonym, actor=actor)


def _retag(source: Tag, target: Tag, *, actor) -> int:
    """Move every question from ``source`` to ``target`` (one tag link when it has both),
    with a retag revision on each; recount both tags. Returns how many questions moved.
    The questions' rows are locked first, so no edit of theirs runs in between."""
    ids = list(
        Post.objects.select_for_update(no_key=True)
        .filter(pk__in=TaggedPost.objects.filter(tag=source).values("content_object_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        TaggedPost.objects.filter(
            tag=source,
            content_object_id__in=TaggedPost.objects.filter(tag=target).values("content_object_id"),
        ).delete()
        TaggedPost.objects.filter(tag=source).update(tag=target)
        _retag_revisions(ids, source, target, actor=actor)
        # The question pages and lists show the tags: tell their caches.
        Post.objects.filter(pk__in=ids).update(version=F("version") + 1, changed_at=timezone.now())
        page_state.changed(ids)
    for tag in (source, target):
        Tag.objects.filter(pk=tag.pk).update(usage_count=_visible_questions(tag))
    return len(ids)


def _visible_questions(tag: Tag) -> int:
    return TaggedPost.objects.filter(
        tag=tag, content_object__kind=PostKind.QUESTION, content_object__deleted_at__isnull=True
    ).count()


def _retag_revisions(ids: list[int], source: Tag, target: Tag, *, actor) -> None:
    """A revision on each moved question with its text as it is and its tags after the
    move, in the order of its previous revision, by the moderator (or the Community when
    votes approved the synonym)."""
    latest_number = Revision.objects.filter(post_id=OuterRef("post_id")).order_by("-number")
    latest = {
        revision.post_id: revision
        for revision in Revision.objects.filter(
            post_id__in=ids, number=Subquery(latest_number.values("number")[:1])
        ).only("post_id", "number", "tags")
    }
    current = defaultdict(set)
    for post_id, name in TaggedPost.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag__name"
    ):
        current[post_id].add(name)
    now, summary = timezone.now(), f"Retagged [{source.name}] → [{target.name}] (tag synonym)"
    rows = []
    for post in Post.objects.filter(pk__in=ids).only("pk", "title", "body"):
        previous = latest.get(post.pk)
        before = [
            target.name if name == source.name else name
            for name in (previous.tag_list if previous else [])
        ]
        names = [name for name in dict.fromkeys(before) if name in current[post.pk]]
        names += sorted(current[post.pk] - set(names))
        rows.append(
            Revision(
                post=post,
                number=(previous.number if previous else 0) + 1,
                kind=RevisionKind.RETAG,
                title=post.title,
                body=post.body,
                tags=" ".join(names),
                editor=actor,
                editor_name=_name(actor) if actor is not None else COMMUNITY,
                summary=summary,
                created_at=now,
            )
        )
    Revision.objects.bulk_create(rows)
