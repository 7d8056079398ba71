"""Notifications under real concurrency (PostgreSQL): a threshold crossed by parallel voters
tells the asker once; parallel answers to a followed question fan out without deadlock or
loss; a raced accept or flag verdict notifies once."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.privileges import Privilege
from moderation import flags, services
from moderation.models import FlagKind
from notifications.models import Follow, Kind, Notification
from tests.concurrency import postgresql_only, run_in_parallel
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.moderation import closers, moderator, opinion
from threads import services as threads_services

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def count(user, kind) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_parallel_voters_closing_a_question_tell_the_asker_once():
    question = QuestionFactory()
    voters = closers(6)
    reason = opinion()

    errors = run_in_parallel(
        6, lambda i: services.close_vote_cast(voter=voters[i], question=question, reason=reason)
    )

    assert all(isinstance(error, PermissionDenied) for error in errors), errors
    assert count(question.author, Kind.CLOSED) == 1
    assert count(question.author, Kind.CLOSE_GUIDANCE) <= 1


def test_parallel_answers_reach_every_follower():
    question = QuestionFactory()
    followers = [UserFactory() for _ in range(30)]
    Follow.objects.bulk_create([Follow(user=user, question=question) for user in followers])
    answerers = [UserFactory() for _ in range(4)]
    body = "An answer written at the same moment as three others, long enough."

    errors = run_in_parallel(
        4,
        lambda i: threads_services.answer_create(
            author=answerers[i], question=question, body=f"{body} #{i}"
        ),
    )

    assert errors == []
    for user in followers:
        assert count(user, Kind.ANSWER) == 4
    assert count(question.author, Kind.ANSWER) == 4


def test_a_raced_accept_and_flag_verdict_notify_once():
    answer = AnswerFactory()
    flagger = UserFactory(reputation=Privilege.FLAG.reputation)
    flag = flags.flag_raise(
        flagger=flagger, post=answer, kind=FlagKind.MODERATOR_ATTENTION, text="Please look."
    )
    mods = [moderator() for _ in range(4)]

    errors = run_in_parallel(
        8,
        lambda i: (
            threads_services.answer_accept(user=answer.parent.author, answer=answer)
            if i < 4
            else flags.flag_handle(moderator=mods[i - 4], flag=flag, helpful=True)
        ),
    )

    assert errors == []
    assert count(answer.author, Kind.ACCEPTED) == 1
    assert count(flagger, Kind.FLAG_HELPFUL) == 1
