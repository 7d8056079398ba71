"""Accepting answers: ``services.answer_accept`` and ``services.answer_unaccept``."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.conf import qasite_setting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from threads import services
from threads.models import Post, ReputationCause, ReputationChange

pytestmark = pytest.mark.django_db


def fresh(post: Post) -> Post:
    return Post.objects.get(pk=post.pk)


def test_it_accepts_an_answer_once():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    version = fresh(question).version

    assert services.answer_accept(user=question.author, answer=answer)
    after = fresh(question)
    assert after.accepted_answer_id == answer.pk
    assert after.accepted_at is not None
    assert after.version > version

    assert services.answer_accept(user=question.author, answer=answer) is False
    assert fresh(question).accepted_at == after.accepted_at
    assert ReputationChange.objects.filter(cause=ReputationCause.ACCEPTED).count() == 1
    assert ReputationChange.objects.filter(cause=ReputationCause.ACCEPTER).count() == 1


def test_it_unaccepts_an_answer_once():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    services.answer_accept(user=question.author, answer=answer)

    assert services.answer_unaccept(user=question.author, answer=answer)
    after = fresh(question)
    assert after.accepted_answer_id is None
    assert after.accepted_at is None
    assert services.answer_unaccept(user=question.author, answer=answer) is False
    assert not ReputationChange.objects.exists()


def test_it_does_not_unaccept_an_answer_that_is_not_the_accepted_one():
    question = QuestionFactory()
    accepted, other = AnswerFactory(question=question), AnswerFactory(question=question)
    services.answer_accept(user=question.author, answer=accepted)
    assert services.answer_unaccept(user=question.author, answer=other) is False
    assert fresh(question).accepted_answer_id == accepted.pk


def test_it_replaces_the_accepted_answer_with_another():
    question = QuestionFactory()
    first, second = AnswerFactory(question=question), AnswerFactory(question=question)
    services.answer_accept(user=question.author, answer=first)
    assert services.answer_accept(user=question.author, answer=second)
    assert fresh(question).accepted_answer_id == second.pk
    accepted_rows = ReputationChange.objects.filter(cause=ReputationCause.ACCEPTED)
    assert list(accepted_rows.values_list("user", "post")) == [(second.author_id, second.pk)]


def test_it_accepts_a_self_answer_without_reputation():
    asker = UserFactory()
    question = QuestionFactory(author=asker)
    answer = AnswerFactory(question=question, author=asker)
    wait = timedelta(hours=qasite_setting("SELF_ACCEPT_AFTER_HOURS"), minutes=1)
    with time_machine.travel(timezone.now() + wait, tick=False):
        assert services.answer_accept(user=asker, answer=answer)
    assert fresh(question).accepted_answer_id == answer.pk
    assert not ReputationChange.objects.exists()
