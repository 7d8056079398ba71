"""Comments: ``services.comment_create`` and ``services.comment_delete``."""

import uuid

import pytest

from accounts.privileges import Privilege
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory
from tests.threads import user_with
from threads import services
from threads.models import Comment, Post

pytestmark = pytest.mark.django_db

TEXT = "Have you tried `sorted(d.items())` with a *key*?"


def fresh(post: Post) -> Post:
    return Post.objects.get(pk=post.pk)


def test_it_creates_a_comment_and_counts_it():
    question = QuestionFactory()
    author = user_with(Privilege.COMMENT_EVERYWHERE)
    before = fresh(question)
    comment = services.comment_create(author=author, post=question, body=f"  {TEXT}  ")

    comment = Comment.objects.get(pk=comment.pk)
    assert comment.body == TEXT
    assert "<code>sorted(d.items())</code>" in comment.body_html
    assert "<em>key</em>" in comment.body_html
    assert comment.author == author
    assert comment.author_name == author.name
    after = fresh(question)
    assert after.comment_count == before.comment_count + 1
    assert after.version > before.version
    # Comments do not move the thread's last activity (docs/architecture.md, Decisions: "Last
    # activity").
    assert after.last_activity_at == before.last_activity_at


def test_it_counts_comments_on_answers_on_the_answer():
    answer = AnswerFactory()
    CommentFactory(post=answer, author=answer.author)
    CommentFactory(post=answer, author=answer.parent.author)
    assert fresh(answer).comment_count == 2
    assert fresh(answer.parent).comment_count == 0


def test_it_sanitizes_comments():
    comment = CommentFactory(
        author=user_with(Privilege.COMMENT_EVERYWHERE),
        body='Look here <script>alert(1)</script> <img src="x">, okay?',
    )
    html = Comment.objects.get(pk=comment.pk).body_html.lower()
    assert "<script" not in html
    assert "<img" not in html


def test_it_replays_a_comment_create_with_the_same_token():
    question = QuestionFactory()
    author = user_with(Privilege.COMMENT_EVERYWHERE)
    token = uuid.uuid4()
    first = services.comment_create(author=author, post=question, body=TEXT, token=token)
    second = services.comment_create(author=author, post=question, body=TEXT, token=token)
    assert second.pk == first.pk
    assert Comment.objects.count() == 1
    assert fresh(question).comment_count == 1


def test_it_soft_deletes_a_comment_and_uncounts_it_once():
    question = QuestionFactory()
    comment = CommentFactory(post=question, author=user_with(Privilege.COMMENT_EVERYWHERE))
    CommentFactory(post=question, author=question.author)
    assert fresh(question).comment_count == 2

    assert services.comment_delete(actor=comment.author, comment=comment)
    assert Comment.objects.get(pk=comment.pk).deleted_at is not None
    assert fresh(question).comment_count == 1

    assert services.comment_delete(actor=comment.author, comment=comment) is False
    assert fresh(question).comment_count == 1
    assert Comment.objects.count() == 2
