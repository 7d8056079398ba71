"""The up/down vote split (docs/rules.md, privilege ``SEE_VOTE_SPLIT``): counted on the post by
the vote services, shown from 1,000 reputation where the score is all local votes."""

import importlib

import pytest
from django.apps import apps
from django.test import Client

from accounts.privileges import Privilege
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.queries import measure, report
from tests.threads import user_with
from threads import services
from threads.models import Post

pytestmark = pytest.mark.django_db

SPLIT = "+2 / −1"


def voted(post, ups: int = 2, downs: int = 1) -> Post:
    for _ in range(ups):
        services.vote_cast(user=user_with(Privilege.UPVOTE), post=post, value=1)
    for _ in range(downs):
        services.vote_cast(user=user_with(Privilege.DOWNVOTE), post=post, value=-1)
    return Post.objects.get(pk=post.pk)


def page(user, question) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(question.get_absolute_url()).content.decode()


def test_the_services_keep_the_counts():
    question = voted(QuestionFactory())
    assert (question.score, question.up_votes, question.down_votes) == (1, 2, 1)
    changer = user_with(Privilege.DOWNVOTE)
    services.vote_cast(user=changer, post=question, value=1)
    services.vote_cast(user=changer, post=question, value=-1)
    question.refresh_from_db()
    assert (question.score, question.up_votes, question.down_votes) == (0, 2, 2)
    services.vote_retract(user=changer, post=question)
    question.refresh_from_db()
    assert (question.score, question.up_votes, question.down_votes) == (1, 2, 1)
    assert question.vote_split_known


def test_it_shows_the_split_from_the_privilege_only():
    question = voted(QuestionFactory())

    assert SPLIT in page(user_with(Privilege.SEE_VOTE_SPLIT), question)
    assert 'title="2 up, 1 down"' in page(user_with(Privilege.SEE_VOTE_SPLIT), question)
    below = UserFactory(reputation=Privilege.SEE_VOTE_SPLIT.reputation - 1)
    assert SPLIT not in page(below, question)
    assert SPLIT not in page(None, question)


def test_an_imported_score_shows_no_split():
    question = QuestionFactory()
    Post.objects.filter(pk=question.pk).update(score=7)  # as the importer stores a dump's score
    voted(question)
    question = Post.objects.get(pk=question.pk)

    assert question.score == 8 and not question.vote_split_known
    content = page(user_with(Privilege.SEE_VOTE_SPLIT), question)
    assert "vote-split" not in content and ">8</output>" in content


def test_the_migration_fills_the_counts_from_vote_rows():
    question = voted(QuestionFactory())
    answer = voted(AnswerFactory(question=question), ups=0, downs=2)
    Post.objects.update(up_votes=0, down_votes=0)
    migration = importlib.import_module("threads.migrations.0009_post_vote_split")

    migration.fill_vote_split(apps, None)

    assert Post.objects.get(pk=question.pk).vote_split_known
    assert Post.objects.filter(pk=answer.pk).values_list("up_votes", "down_votes").get() == (0, 2)


def test_the_split_costs_no_query_per_post(django_assert_max_num_queries):
    small = voted(QuestionFactory())
    voted(AnswerFactory(question=small))
    large = voted(QuestionFactory())
    for _ in range(8):
        voted(AnswerFactory(question=large), ups=1, downs=1)
    client = Client()
    client.force_login(user_with(Privilege.SEE_VOTE_SPLIT))

    small_count, small_sql = measure(client, small.get_absolute_url(), cold=True)
    with django_assert_max_num_queries(small_count):
        large_count, large_sql = measure(client, large.get_absolute_url(), cold=True)

    assert small_count == large_count, report(small_sql, large_sql)
    assert client.get(large.get_absolute_url()).content.decode().count("+1 / −1") == 8
