"""Where threads copies names as text (a post's author and last editor, a comment's
author, revisions' editors, the close notice's voters), redacted when an account is erased
(``accounts.redaction``; registered in ``ThreadsConfig.ready()``)."""

from accounts import redaction
from accounts.redaction import Redaction, redact_rows
from threads.models import Comment, Post, Revision, TagWikiRevision


def redact(job: Redaction) -> int:
    uid, pseudonym = job.user_id, job.pseudonym
    changed = Post.objects.filter(author_id=uid).update(author_name=pseudonym)
    changed += Post.objects.filter(last_editor_id=uid).update(last_editor_name=pseudonym)
    changed += Comment.objects.filter(author_id=uid).update(author_name=pseudonym)
    changed += Revision.objects.filter(editor_id=uid).update(editor_name=pseudonym)
    changed += TagWikiRevision.objects.filter(editor_id=uid).update(editor_name=pseudonym)
    changed += redact_rows(Revision.objects.all(), job, text=["summary"])
    changed += redact_rows(
        Post.objects.filter(close_notice__isnull=False), job, json=["close_notice"]
    )
    return changed


def register() -> None:
    redaction.register("threads", redact)
