"""Every entry point enforces the same rules (security probe, issue 11): a review decision
posted directly applies the edit form's checks and never acts on a locked post; locked posts
refuse vote retraction, close-vote retraction and flags; what each kind of lock still
allows is one table, obeyed by the services whoever calls them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.privileges import Privilege
from moderation import services
from moderation.flags import flag_raise
from moderation.models import (
    CloseVote,
    Flag,
    FlagKind,
    Review,
    ReviewQueue,
    ReviewTask,
    VoteState,
)
from moderation.queues import QUEUES
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import closer, fresh, moderator, opinion, vote_to_close
from tests.pages import text_of
from threads import services as threads_services
from threads.models import LockKind, Post, SuggestedEditState, Tag, Vote

pytestmark = pytest.mark.django_db

BAD_TAGS = "a/b <b>x</b> " + " ".join(f"t{number}" for number in range(14))


def lock(post: Post, kind: str = LockKind.CONTENT_DISPUTE) -> Post:
    services.post_lock(actor=moderator(), post=post, kind=kind, duration="1d")
    return fresh(post)


def suggestion_task(post: Post | None = None) -> ReviewTask:
    post = post or QuestionFactory(tags=["python"])
    threads_services.suggested_edit_create(
        author=UserFactory(),
        post=post,
        title=post.title,
        body=post.body + " A clarifying sentence.",
        tags=["python"] if post.is_question else None,
    )
    return ReviewTask.objects.get(queue=ReviewQueue.SUGGESTED_EDITS, post=post)


def decide(client, task: ReviewTask, **data):
    reviewer = UserFactory(reputation=QUEUES[task.queue].privilege.reputation)
    client.force_login(reviewer)
    return client.post(reverse("review-decide", args=[task.queue, task.pk]), data, follow=True)


# Finding 1: "Improve edit" goes through the edit form's checks -------------------------------


def test_it_refuses_an_improved_edit_with_bad_tags_and_the_site_keeps_working(client):
    task = suggestion_task()
    question = task.post
    response = decide(
        client,
        task,
        decision="improve",
        improved_title=question.title,
        improved_body=question.body + " Improved.",
        improved_tags=BAD_TAGS,
    )
    page = text_of(response.content)
    assert response.status_code == 400
    assert 'value="a/b &lt;b&gt;x&lt;/b&gt; t0' in response.content.decode()  # nothing lost
    assert "Use between 1 and 5 tags." in page
    assert "Invalid tag name: a/b, <b>x</b>" in page
    assert not Tag.objects.filter(name__in=["a/b", "<b>x</b>"]).exists()
    assert sorted(fresh(question).tags.names()) == ["python"]
    task.refresh_from_db()
    assert task.state == "pending"
    assert task.suggested_edit.state == SuggestedEditState.PENDING
    client.logout()
    for url in ("/", "/questions/", "/tags/", question.get_absolute_url()):
        assert client.get(url, follow=True).status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("improved_title", "Too short", "Title must be at least 15 characters"),
        ("improved_body", "Short body.", "Body must be at least 30 characters"),
    ],
)
def test_it_refuses_an_improved_edit_below_the_minimums(client, field, value, message):
    task = suggestion_task()
    data = {
        "decision": "improve",
        "improved_title": task.post.title,
        "improved_body": task.post.body + " Improved.",
        "improved_tags": "python",
        field: value,
    }
    assert message in text_of(decide(client, task, **data).content)
    assert fresh(task.post).body == task.post.body


# Finding 2: decisions posted directly never act on locked posts ------------------------------


def test_it_refuses_a_suggested_edit_decision_on_a_locked_post(client):
    task = suggestion_task()
    body = task.post.body
    lock(task.post)
    page = text_of(decide(client, task, decision="approve").content)
    assert "This post is locked" in page
    assert fresh(task.post).body == body
    task.suggested_edit.refresh_from_db()
    assert task.suggested_edit.state == SuggestedEditState.PENDING


def test_it_refuses_a_flag_decision_on_a_locked_question(client):
    question = QuestionFactory()
    task = ReviewTask.objects.get(queue=ReviewQueue.FIRST_QUESTIONS, post=question)
    lock(question)
    page = text_of(decide(client, task, decision="flag", flag_kind=FlagKind.SPAM).content)
    assert "This post is locked" in page
    assert not Flag.objects.filter(post=question).exists()


def test_it_refuses_a_decision_on_a_deleted_post(client):
    question = QuestionFactory()
    task = ReviewTask.objects.get(queue=ReviewQueue.FIRST_QUESTIONS, post=question)
    threads_services.post_delete(actor=moderator(), post=question)
    page = text_of(decide(client, task, decision="looks_ok").content)
    assert "Thanks for reviewing" not in page
    assert not Review.objects.filter(task=task).exists()


def test_it_refuses_a_review_from_someone_without_the_queues_privilege():
    question = QuestionFactory()
    task = ReviewTask.objects.get(queue=ReviewQueue.FIRST_QUESTIONS, post=question)
    from moderation.reviews import review_decide

    spec = QUEUES[task.queue]
    with pytest.raises(PermissionDenied):
        review_decide(
            reviewer=UserFactory(reputation=spec.privilege.reputation - 1),
            task=task,
            decision="looks_ok",
            spec=spec,
        )


# Finding 5: locked posts refuse retractions and flags ----------------------------------------


def test_it_refuses_to_retract_a_vote_on_a_locked_post(client):
    answer = AnswerFactory()
    voter = UserFactory(reputation=Privilege.UPVOTE.reputation)
    threads_services.vote_cast(user=voter, post=answer, value=1)
    lock(answer.parent)
    client.force_login(voter)
    response = client.post(reverse("post-vote", args=[answer.pk]), {"vote": "none"})
    assert response.status_code == 403
    assert Vote.objects.filter(user=voter, post=answer).exists()
    assert fresh(answer).score == 1


def test_it_refuses_to_retract_a_close_vote_on_a_locked_question(client):
    question = QuestionFactory()
    voter = closer()
    vote_to_close(question, [voter], opinion())
    lock(question)
    client.force_login(voter)
    response = client.post(reverse("question-close-retract", args=[question.pk]), follow=True)
    assert response.status_code == 200
    assert "is locked" in text_of(response.content)
    assert CloseVote.objects.get(question=question, voter=voter).state == VoteState.PENDING


def test_it_refuses_flags_on_a_locked_post_and_its_comments():
    question = QuestionFactory()
    comment = CommentFactory(post=question, author=question.author)
    lock(question)
    flagger = UserFactory(reputation=Privilege.FLAG.reputation)
    with pytest.raises(PermissionDenied):
        flag_raise(flagger=flagger, post=question, kind=FlagKind.SPAM)
    with pytest.raises(PermissionDenied):
        flag_raise(flagger=flagger, comment=comment, kind=FlagKind.NO_LONGER_NEEDED)
    assert not Flag.objects.exists()


# The lock table: what each kind still allows, enforced by the services -----------------------


def _attempts(question: Post, answer: Post):
    """Each interaction, tried by someone who may do it on an unlocked post."""
    voter = UserFactory(reputation=Privilege.DOWNVOTE.reputation)
    editor = UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation)
    commenter = UserFactory(reputation=Privilege.COMMENT_EVERYWHERE.reputation)
    flagger = UserFactory(reputation=Privilege.FLAG.reputation)
    return {
        "vote": lambda: threads_services.vote_cast(user=voter, post=answer, value=1),
        "edit": lambda: threads_services.post_edit(
            editor=editor, post=answer, title="", body=answer.body + " Edited for clarity."
        ),
        "answer": lambda: threads_services.answer_create(
            author=UserFactory(), question=question, body="Another answer that is long enough."
        ),
        "comment": lambda: threads_services.comment_create(
            author=commenter, post=answer, body="A comment on a locked thread.", rate_limited=False
        ),
        "close": lambda: services.close_vote_cast(
            voter=closer(), question=question, reason=opinion()
        ),
        "flag": lambda: flag_raise(flagger=flagger, post=answer, kind=FlagKind.SPAM),
    }


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        (LockKind.CONTENT_DISPUTE, set()),
        (LockKind.HISTORICAL, set()),
        (LockKind.OFF_TOPIC_COMMENTS, {"vote", "edit", "answer", "close", "flag"}),
    ],
)
def test_each_kind_of_lock_allows_what_its_table_says(kind, allowed):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    lock(question, kind)
    answer = fresh(answer)
    for interaction, attempt in _attempts(fresh(question), answer).items():
        if interaction in allowed:
            attempt()
        else:
            with pytest.raises(PermissionDenied, match="locked"):
                attempt()


def test_the_lock_notice_names_what_the_lock_refuses(client):
    question = lock(QuestionFactory(), LockKind.OFF_TOPIC_COMMENTS)
    page = text_of(client.get(question.get_absolute_url()).content)
    assert "is locked (off-topic comments) until" in page
    assert ": it accepts no comments." in page


def test_the_page_disables_voting_on_a_frozen_post_only(client):
    frozen = lock(QuestionFactory(), LockKind.HISTORICAL)
    comments_only = lock(QuestionFactory(), LockKind.OFF_TOPIC_COMMENTS)
    client.force_login(UserFactory(reputation=Privilege.UPVOTE.reputation))
    assert "<fieldset disabled" in client.get(frozen.get_absolute_url()).content.decode()
    assert "<fieldset disabled" not in client.get(comments_only.get_absolute_url()).content.decode()
