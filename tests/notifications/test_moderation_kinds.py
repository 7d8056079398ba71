"""What the moderation of a post tells its author: the close → edit → reopen loop, locks,
deletions, suggested edits; never about what the recipient may no longer see."""

import pytest

from accounts.privileges import Privilege
from moderation import flags, services
from moderation.models import FlagKind, ReviewQueue, ReviewTask
from moderation.queues import QUEUES
from moderation.reviews import review_decide
from notifications import follows
from notifications.delivery import deliver
from notifications.models import Kind, Notification
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import close, closers, duplicate, fresh, moderator, to_reopen
from threads import services as threads_services

pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True)
    )


def latest(user) -> Notification:
    return Notification.objects.filter(recipient=user).latest("pk")


def asker_edit(question, note=" Now with the full traceback."):
    threads_services.post_edit(
        editor=question.author, post=question, title=question.title, body=question.body + note
    )


def test_the_asker_hears_of_the_closure_the_reopen_review_and_the_reopening():
    question = close(QuestionFactory())
    assert kinds(question.author)[-1] == Kind.CLOSED

    asker_edit(question)
    assert kinds(question.author)[-1] == Kind.REOPEN_REVIEW
    task = ReviewTask.objects.get(queue=ReviewQueue.REOPEN, post=question)

    for reviewer in closers(to_reopen()):
        review_decide(
            reviewer=reviewer, task=task, decision="reopen", spec=QUEUES[ReviewQueue.REOPEN]
        )
    assert fresh(question).closed_at is None
    assert kinds(question.author)[-1] == Kind.REOPENED
    assert kinds(question.author).count(Kind.REOPENED) == 1


def test_a_reopen_review_that_leaves_it_closed_tells_the_asker():
    question = close(QuestionFactory())
    asker_edit(question)
    task = ReviewTask.objects.get(queue=ReviewQueue.REOPEN, post=question)

    review_decide(
        reviewer=moderator(), task=task, decision="leave_closed", spec=QUEUES[ReviewQueue.REOPEN]
    )

    assert kinds(question.author)[-1] == Kind.LEFT_CLOSED


def test_a_duplicate_closure_names_its_target():
    target = QuestionFactory()
    AnswerFactory(question=target)
    question = close(QuestionFactory(), duplicate(), duplicate_of=target)

    notice = latest(question.author)
    assert notice.kind == Kind.CLOSED
    assert notice.details["duplicates"] == [{"id": target.pk, "title": target.title}]


def test_a_lock_tells_the_author_with_the_reason():
    answer = AnswerFactory()
    services.post_lock(actor=moderator(), post=answer, kind="content_dispute", duration="1d")

    assert kinds(answer.author) == [Kind.LOCKED]


def test_a_deletion_and_undeletion_by_a_moderator_tell_the_author():
    question = QuestionFactory()
    mod = moderator()
    threads_services.post_delete(actor=mod, post=question)
    threads_services.post_undelete(actor=mod, post=question)

    assert kinds(question.author) == [Kind.DELETED, Kind.UNDELETED]


def test_deleting_your_own_post_tells_you_nothing():
    question = QuestionFactory()
    threads_services.post_delete(actor=question.author, post=question)

    assert kinds(question.author) == []


def test_notices_about_a_deleted_question_hide_until_it_is_undeleted(client):
    question = QuestionFactory()
    follower = UserFactory()
    follows.follow_set(user=follower, question=question, active=True)
    AnswerFactory(question=question)
    mod = moderator()
    threads_services.post_delete(actor=mod, post=question)

    client.force_login(follower)
    assert "New answer" not in client.get("/inbox/").content.decode()
    threads_services.post_undelete(actor=mod, post=question)
    assert "New answer" in client.get("/inbox/").content.decode()


def test_the_author_still_sees_notices_about_their_own_deleted_post(client):
    question = QuestionFactory()
    AnswerFactory(question=question)
    threads_services.post_delete(actor=moderator(), post=question)

    client.force_login(question.author)
    page = client.get("/inbox/").content.decode()
    assert "Post deleted" in page and "New answer" in page  # authors see their deleted posts


def test_a_helpful_spam_flag_that_deleted_the_post_still_tells_the_flagger(client):
    answer = AnswerFactory()
    flaggers = [UserFactory(reputation=Privilege.FLAG.reputation) for _ in range(4)]
    for flagger in flaggers:
        flags.flag_raise(flagger=flagger, post=answer, kind=FlagKind.SPAM)
    assert fresh(answer).deleted_at is not None

    client.force_login(flaggers[0])
    item = Notification.objects.get(recipient=flaggers[0])
    assert item.kind == Kind.FLAG_HELPFUL
    assert client.get(f"/inbox/{item.pk}/").url == f"/users/{flaggers[0].pk}/flags/"


def test_nobody_is_told_about_a_post_they_can_no_longer_see():
    question = QuestionFactory()
    threads_services.post_delete(actor=moderator(), post=question)
    regular = UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation)
    trusted = UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation)

    deliver([regular.pk, trusted.pk], kind=Kind.EDIT, source="test:1", post=fresh(question))

    assert kinds(regular) == []
    assert kinds(trusted) == [Kind.EDIT]  # 10k users see deleted posts


def suggested():
    """A question, a user without the edit privilege, and the edit they suggested."""
    question = QuestionFactory()
    suggester = UserFactory(reputation=Privilege.ASK.reputation)
    suggestion = threads_services.suggested_edit_create(
        author=suggester,
        post=question,
        title=question.title,
        body=question.body + " Fixed.",
        tags=["python"],
    )
    return question, suggester, suggestion


def test_a_suggested_edit_decision_tells_its_author_with_the_reasons():
    question, suggester, suggestion = suggested()
    threads_services.suggested_edit_reject(suggested_edit=suggestion, reason="Too minor.")

    told = latest(suggester)
    assert told.kind == Kind.SUGGESTION_REJECTED
    assert told.text == "Too minor."


def test_an_approved_suggestion_tells_its_author_and_the_post_owner():
    question, suggester, suggestion = suggested()
    threads_services.suggested_edit_approve(suggested_edit=suggestion)

    assert kinds(suggester) == [Kind.SUGGESTION_APPROVED]
    assert kinds(question.author) == [Kind.EDIT]


def test_a_comment_deleted_later_drops_out_of_the_inbox(client):
    question = QuestionFactory()
    comment = CommentFactory(post=question)
    client.force_login(question.author)
    assert "Comment on your post" in client.get("/inbox/").content.decode()

    threads_services.comment_delete(actor=None, comment=comment)

    assert "Comment on your post" not in client.get("/inbox/").content.decode()
