"""Where threads copies names as text (a post's author and last editor, a comment's
author, revisions' editors, the close notice's voters), redacted when an account is erased
(``accounts.redaction``; registered in ``ThreadsConfig.ready()``). The question pages that
show one of those names are marked changed, so no cache serves the old name."""

from django.db.models import F, Q
from django.utils import timezone

from accounts import redaction
from accounts.redaction import Redaction, redact_rows
from threads import page_state
from threads.models import Comment, Post, Revision, TagWikiRevision

CHUNK = 500


def _shown_on(uid: int) -> set[int]:
    """The questions whose pages show the member's name: their posts, posts they edited or
    commented on (one query)."""
    touched = Post.objects.filter(
        Q(author_id=uid) | Q(last_editor_id=uid) | Q(comments__author_id=uid)
    ).values_list("pk", "parent_id")
    return {parent or pk for pk, parent in touched.distinct().iterator(chunk_size=CHUNK)}


def _mark_changed(question_ids: set[int]) -> None:
    ids, now = sorted(question_ids), timezone.now()
    page_state.changed(ids)
    for start in range(0, len(ids), CHUNK):
        Post.objects.filter(pk__in=ids[start : start + CHUNK]).update(
            version=F("version") + 1, changed_at=now
        )


def _redact_improvers(job: Redaction) -> int:
    """A suggested edit's revision names who improved it: "… (improved by <name>)"."""
    changed = 0
    for name in job.names:
        said, now_said = f"(improved by {name})", f"(improved by {job.pseudonym})"
        for pk, summary in Revision.objects.filter(summary__contains=said).values_list(
            "pk", "summary"
        ):
            changed += Revision.objects.filter(pk=pk).update(
                summary=summary.replace(said, now_said)
            )
    return changed


def redact(job: Redaction) -> int:
    uid, pseudonym = job.user_id, job.pseudonym
    pages = _shown_on(uid)
    changed = Post.objects.filter(author_id=uid).update(author_name=pseudonym)
    changed += Post.objects.filter(last_editor_id=uid).update(last_editor_name=pseudonym)
    changed += Comment.objects.filter(author_id=uid).update(author_name=pseudonym)
    changed += Revision.objects.filter(editor_id=uid).update(editor_name=pseudonym)
    changed += TagWikiRevision.objects.filter(editor_id=uid).update(editor_name=pseudonym)
    changed += _redact_improvers(job)
    closed: list[int] = []
    changed += redact_rows(
        Post.objects.filter(close_notice__isnull=False),
        job,
        json=["close_notice"],
        changed_pks=closed,
    )
    _mark_changed(pages | set(closed))
    return changed


def register() -> None:
    redaction.register("threads", redact)
