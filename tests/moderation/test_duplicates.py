"""Duplicate closures link every target voted for under the winning reason; reopening
removes those links (and only those)."""

import pytest

from moderation import services
from moderation.models import EventKind
from tests.factories import QuestionFactory
from tests.moderation import (
    answered_question,
    career,
    closers,
    duplicate,
    events,
    fresh,
    moderator,
)
from threads.models import PostLink, PostLinkKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_to_close(settings):
    settings.QASITE = {**settings.QASITE, "CLOSE_VOTES_TO_CLOSE": 3}


def duplicate_links(question):
    return PostLink.objects.filter(post=question, kind=PostLinkKind.DUPLICATE)


def test_it_links_every_distinct_target_voted_for():
    question = QuestionFactory()
    first, second = answered_question(), answered_question()

    for voter, target in zip(closers(3), [first, second, first], strict=True):
        services.close_vote_cast(
            voter=voter, question=question, reason=duplicate(), duplicate_of=target
        )

    question = fresh(question)
    assert question.closed_at is not None
    assert question.close_notice["reason"]["kind"] == "duplicate"
    assert question.close_notice["reason"]["post_notice"] == duplicate().post_notice
    assert question.close_notice["duplicates"] == [
        {"id": first.pk, "title": first.title},
        {"id": second.pk, "title": second.title},
    ]
    assert sorted(duplicate_links(question).values_list("target_id", flat=True)) == sorted(
        [first.pk, second.pk]
    )
    assert (
        events(question, EventKind.CLOSED).get().details["duplicates"]
        == (question.close_notice["duplicates"])
    )


def test_it_links_nothing_when_another_reason_wins():
    question = QuestionFactory()
    target = answered_question()
    first, second, third = closers(3)
    services.close_vote_cast(
        voter=first, question=question, reason=duplicate(), duplicate_of=target
    )
    services.close_vote_cast(voter=second, question=question, reason=career())
    services.close_vote_cast(voter=third, question=question, reason=career())

    question = fresh(question)
    assert question.close_notice["reason"]["id"] == career().pk
    assert question.close_notice["duplicates"] == []
    assert not duplicate_links(question).exists()


def test_it_links_the_moderators_target_and_the_pending_ones():
    question = QuestionFactory()
    voted, chosen = answered_question(), answered_question()
    (voter,) = closers(1)
    services.close_vote_cast(voter=voter, question=question, reason=duplicate(), duplicate_of=voted)

    services.close_vote_cast(
        voter=moderator(), question=question, reason=duplicate(), duplicate_of=chosen
    )

    question = fresh(question)
    assert question.closed_at is not None
    assert {row["id"] for row in question.close_notice["duplicates"]} == {voted.pk, chosen.pk}
    assert set(duplicate_links(question).values_list("target_id", flat=True)) == {
        voted.pk,
        chosen.pk,
    }


def test_it_drops_the_target_of_a_vote_for_another_reason():
    question = QuestionFactory()
    target = answered_question()

    vote = services.close_vote_cast(
        voter=closers(1)[0], question=question, reason=career(), duplicate_of=target
    )

    assert vote.duplicate_of is None


def test_it_removes_the_duplicate_links_on_reopening():
    question = QuestionFactory()
    target = answered_question()
    linked = QuestionFactory()
    PostLink.objects.create(post=question, target=linked, kind=PostLinkKind.LINKED)
    services.close_vote_cast(
        voter=moderator(), question=question, reason=duplicate(), duplicate_of=target
    )
    assert duplicate_links(question).count() == 1

    services.reopen_vote_cast(voter=moderator(), question=question)

    question = fresh(question)
    assert question.closed_at is None
    assert question.close_notice is None
    assert not duplicate_links(question).exists()
    assert PostLink.objects.filter(post=question, kind=PostLinkKind.LINKED).count() == 1
