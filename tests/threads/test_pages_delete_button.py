"""The Delete button shows exactly when ``rules.check_delete_post_permission`` allows the
deletion (docs/rules.md, "Deleting posts"), with no query per post."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.privileges import Privilege
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.queries import measure, report
from tests.threads import moderator, user_with
from threads import rules, services
from threads.models import PERMANENT_LOCK_UNTIL, LockKind, Post

pytestmark = pytest.mark.django_db


def delete_buttons(page) -> set[int]:
    found = re.findall(r'action="/posts/(\d+)/delete/"', page.content.decode())
    return {int(pk) for pk in found}


def page_for(user, question):
    client = Client()
    client.force_login(user)
    return client.get(question.get_absolute_url())


def expected(user, posts) -> set[int]:
    return {
        post.pk
        for post in posts
        if rules.allowed(rules.check_delete_post_permission, user, Post.objects.get(pk=post.pk))
    }


def test_the_asker_loses_the_button_when_an_answer_is_upvoted():
    asker = UserFactory()
    question = QuestionFactory(author=asker)
    answer = AnswerFactory(question=question)
    own_answer = AnswerFactory(question=question, author=asker)
    assert delete_buttons(page_for(asker, question)) == {question.pk, own_answer.pk}

    services.vote_cast(user=user_with(Privilege.UPVOTE), post=answer, value=1)

    assert delete_buttons(page_for(asker, question)) == {own_answer.pk}
    assert delete_buttons(page_for(asker, question)) == expected(
        asker, [question, answer, own_answer]
    )
    client = Client()
    client.force_login(asker)
    client.post(reverse("post-delete", args=[question.pk]))
    assert Post.objects.get(pk=question.pk).deleted_at is None


def test_a_lock_that_refuses_deletion_hides_the_authors_button_not_a_moderators():
    author = UserFactory()
    answer = AnswerFactory(author=author)
    question = answer.parent
    Post.objects.filter(pk=answer.pk).update(
        locked_until=PERMANENT_LOCK_UNTIL, lock_kind=LockKind.CONTENT_DISPUTE
    )

    assert delete_buttons(page_for(author, question)) == set()
    assert delete_buttons(page_for(moderator(), question)) == {question.pk, answer.pk}


def test_nobody_else_and_no_deleted_post_gets_the_button():
    answer = AnswerFactory()
    question = answer.parent
    other = user_with(Privilege.EDIT_ANY_POST)
    assert delete_buttons(page_for(other, question)) == set()
    Post.objects.filter(pk=answer.pk).update(deleted_at=timezone.now())
    assert delete_buttons(page_for(moderator(), question)) == {question.pk}


def test_a_moderators_page_costs_the_same_queries_with_many_deletable_posts(
    django_assert_max_num_queries,
):
    mod = moderator()
    small = QuestionFactory()
    AnswerFactory(question=small)
    large = QuestionFactory()
    for _ in range(20):
        AnswerFactory(question=large)
    client = Client()
    client.force_login(mod)

    small_count, small_sql = measure(client, small.get_absolute_url(), cold=True)
    with django_assert_max_num_queries(small_count):
        large_count, large_sql = measure(client, large.get_absolute_url(), cold=True)

    assert small_count == large_count, report(small_sql, large_sql)
    assert len(delete_buttons(client.get(large.get_absolute_url()))) == 21
