"""Who may post what: anonymous POSTs, accepting, deleting, and the privilege thresholds as
seen through the HTTP client."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from core.conf import qasite_setting
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from threads import services
from threads.models import Comment, Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    comment = CommentFactory(post=question, author=question.author)
    return question, answer, comment


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/questions/ask/", {"title": "A title long enough", "body": "b" * 40, "tags": "x"}),
        ("/questions/{question}/answer/", {"body": "a" * 40}),
        ("/posts/{question}/vote/", {"vote": "up"}),
        ("/posts/{answer}/accept/", {}),
        ("/posts/{answer}/edit/", {"body": "e" * 40}),
        ("/posts/{answer}/delete/", {}),
        ("/posts/{question}/revisions/1/rollback/", {}),
        ("/posts/{question}/comments/", {"body": "c" * 20}),
        ("/comments/{comment}/vote/", {"vote": "up"}),
        ("/comments/{comment}/delete/", {}),
    ],
)
def test_it_sends_anonymous_posts_to_log_in(client, thread, url, data):
    question, answer, comment = thread
    path = url.format(question=question.pk, answer=answer.pk, comment=comment.pk)
    before = (Post.objects.count(), Comment.objects.count())
    response = client.post(path, data)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={path}")
    assert (Post.objects.count(), Comment.objects.count()) == before
    assert Post.objects.filter(deleted_at__isnull=False).count() == 0


def test_it_lets_the_asker_accept_and_unaccept(client, thread):
    question, answer, _ = thread
    client.force_login(question.author)
    response = client.post(f"/posts/{answer.pk}/accept/")
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#answer-{answer.pk}"
    question.refresh_from_db()
    assert question.accepted_answer_id == answer.pk
    answer.author.refresh_from_db()
    assert answer.author.reputation == 1 + qasite_setting("REPUTATION.ANSWER_ACCEPTED")
    # Replaying the accept changes nothing.
    client.post(f"/posts/{answer.pk}/accept/")
    answer.author.refresh_from_db()
    assert answer.author.reputation == 1 + qasite_setting("REPUTATION.ANSWER_ACCEPTED")

    client.post(f"/posts/{answer.pk}/accept/", {"accept": "no"})
    question.refresh_from_db()
    assert question.accepted_answer_id is None


def test_it_refuses_accepting_on_someone_elses_question(client, thread):
    question, answer, _ = thread
    client.force_login(UserFactory(reputation=50000))
    response = client.post(f"/posts/{answer.pk}/accept/")
    assert response.status_code == 403
    assert b"Only the person who asked can accept an answer." in response.content
    question.refresh_from_db()
    assert question.accepted_answer_id is None


def test_it_refuses_accepting_a_question(client, thread):
    question, _, _ = thread
    client.force_login(question.author)
    assert client.post(f"/posts/{question.pk}/accept/").status_code == 404


def test_it_deletes_ones_own_answer(client, thread):
    question, answer, _ = thread
    client.force_login(answer.author)
    response = client.post(f"/posts/{answer.pk}/delete/")
    assert response.status_code == 302
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.deleted_at is not None
    assert question.answer_count == 0
    page = client.get(response["Location"], follow=True)
    assert b"The post was deleted." in page.content
    assert client.post(f"/posts/{answer.pk}/delete/").status_code == 403


def test_it_refuses_deleting_others_answers(client, thread):
    question, answer, _ = thread
    client.force_login(question.author)
    assert client.post(f"/posts/{answer.pk}/delete/").status_code == 403
    client.force_login(UserFactory(reputation=qasite_setting("PRIVILEGES.EDIT_ANY_POST")))
    assert client.post(f"/posts/{answer.pk}/delete/").status_code == 403
    answer.refresh_from_db()
    assert answer.deleted_at is None


def test_it_refuses_deleting_ones_own_question_with_an_upvoted_answer(client, thread):
    question, answer, _ = thread
    services.vote_cast(user=UserFactory(reputation=15), post=answer, value=1)
    client.force_login(question.author)
    assert client.post(f"/posts/{question.pk}/delete/").status_code == 403
    assert not Post.objects.get(pk=question.pk).is_deleted


def test_it_lets_askers_delete_their_question_while_no_answer_is_upvoted(client, thread):
    question, _, _ = thread
    client.force_login(question.author)
    assert client.post(f"/posts/{question.pk}/delete/").status_code == 302
    assert Post.objects.get(pk=question.pk).is_deleted


def test_it_lets_moderators_delete_any_post(client, thread):
    question, answer, _ = thread
    client.force_login(UserFactory(is_moderator=True))
    assert client.post(f"/posts/{answer.pk}/delete/").status_code == 302
    assert client.post(f"/posts/{question.pk}/delete/").status_code == 302
    assert Post.objects.filter(deleted_at__isnull=False).count() == 2


def test_it_refuses_get_on_write_urls(client, thread):
    question, answer, comment = thread
    client.force_login(UserFactory(is_moderator=True))
    for path in (
        f"/posts/{answer.pk}/accept/",
        f"/posts/{answer.pk}/delete/",
        f"/comments/{comment.pk}/vote/",
        f"/comments/{comment.pk}/delete/",
    ):
        assert client.get(path).status_code == 405, path


def test_it_refuses_answers_but_takes_comments_on_closed_questions(client, thread):
    question, _, _ = thread
    Post.objects.filter(pk=question.pk).update(closed_at=timezone.now())
    client.force_login(UserFactory(reputation=qasite_setting("PRIVILEGES.COMMENT_EVERYWHERE")))
    token = str(uuid.uuid4())
    answer = client.post(f"/questions/{question.pk}/answer/", {"body": "a" * 40, "token": token})
    assert answer.status_code == 403
    comment = client.post(
        f"/posts/{question.pk}/comments/", {"body": "Still relevant though.", "token": token}
    )
    assert comment.status_code == 302


def test_it_refuses_everything_on_a_locked_post(client, thread):
    question, answer, _ = thread
    Post.objects.filter(pk=question.pk).update(locked_until=timezone.now() + timedelta(days=1))
    client.force_login(UserFactory(reputation=50000))
    assert client.post(f"/posts/{question.pk}/vote/", {"vote": "up"}).status_code == 403
    assert client.get(f"/posts/{question.pk}/edit/").status_code == 403
    comment = {"body": "c" * 20, "token": str(uuid.uuid4())}
    assert client.post(f"/posts/{question.pk}/comments/", comment).status_code == 403


def test_it_shows_a_deleted_answers_history_to_its_author_only(client, thread):
    _, answer, _ = thread
    services.post_delete(actor=answer.author, post=answer)
    client.force_login(UserFactory(reputation=qasite_setting("PRIVILEGES.EDIT_ANY_POST")))
    assert client.get(f"/posts/{answer.pk}/revisions/").status_code == 404
    client.force_login(answer.author)
    assert client.get(f"/posts/{answer.pk}/revisions/").status_code == 200
