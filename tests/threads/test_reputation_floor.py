"""Reputation never falls below 1 (docs/rules.md, "Reputation"): the ledger records what was
applied, a reverted row gives back exactly that, and the replay agrees."""

import pytest
from django.urls import reverse

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation.flags import flag_raise
from moderation.models import FlagKind
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.threads import amount, assert_ledger_agrees, rep, user_with
from threads import services
from threads.models import ReputationCause, ReputationChange

pytestmark = pytest.mark.django_db


def applied(user, cause) -> list[int]:
    rows = ReputationChange.objects.filter(user=user, cause=cause).order_by("created_at", "pk")
    return list(rows.values_list("amount", flat=True))


def spam_delete(post) -> None:
    for index in range(qasite_setting("FLAGS")["SPAM_OR_RUDE_TO_DELETE"]):
        flagger = user_with(Privilege.FLAG)
        flag_raise(flagger=flagger, post=post, kind=(FlagKind.SPAM, FlagKind.RUDE)[index % 2])


def test_a_downvote_at_1_costs_nothing_and_the_ask_page_stays_open(client):
    author = UserFactory()
    question = QuestionFactory(author=author)

    services.vote_cast(user=user_with(Privilege.DOWNVOTE), post=question, value=-1)

    assert rep(author) == 1
    assert applied(author, ReputationCause.DOWNVOTED) == [0]
    client.force_login(author)
    page = client.get(reverse("question-ask"))
    assert page.status_code == 200
    assert "reputation to" not in page.content.decode()
    assert_ledger_agrees(author)


def test_downvotes_stop_at_the_floor_and_their_retraction_gives_back_what_was_applied():
    author = UserFactory(reputation=4, imported_reputation=3)
    answer = AnswerFactory(author=author)
    voters = [user_with(Privilege.DOWNVOTE) for _ in range(3)]
    assert amount("POST_DOWNVOTED") == -2  # the steps below: 4 → 2 → 1 → 1

    for voter in voters:
        services.vote_cast(user=voter, post=answer, value=-1)
    assert rep(author) == 1
    assert applied(author, ReputationCause.DOWNVOTED) == [-2, -1, 0]
    assert_ledger_agrees(author, *voters)

    services.vote_retract(user=voters[2], post=answer)
    assert rep(author) == 1
    services.vote_retract(user=voters[1], post=answer)
    assert rep(author) == 2
    assert_ledger_agrees(author, *voters)


def test_a_spam_deletion_charges_no_more_than_the_author_has():
    author = UserFactory()
    earning = QuestionFactory(author=author)
    upvoter = user_with(Privilege.UPVOTE)
    services.vote_cast(user=upvoter, post=earning, value=1)
    assert rep(author) == 11
    spam = QuestionFactory(author=author)

    spam_delete(spam)

    assert rep(author) == 1
    assert applied(author, ReputationCause.SPAM_PENALTY) == [-10]
    assert_ledger_agrees(author)


def test_a_spam_deletion_of_a_new_user_keeps_them_at_1():
    author = UserFactory()
    spam_delete(AnswerFactory(author=author))

    assert rep(author) == 1
    assert applied(author, ReputationCause.SPAM_PENALTY) == [0]
    assert_ledger_agrees(author)


def test_taking_back_a_gain_stops_at_the_floor_and_the_ledger_still_adds_up():
    author = UserFactory()
    earning = QuestionFactory(author=author)
    upvoter = user_with(Privilege.UPVOTE)
    services.vote_cast(user=upvoter, post=earning, value=1)
    spam_delete(QuestionFactory(author=author))
    assert rep(author) == 1

    services.vote_retract(user=upvoter, post=earning)

    assert rep(author) == 1
    # The penalty could no longer have cost anything: it is raised to what it applies now.
    assert applied(author, ReputationCause.SPAM_PENALTY) == [0]
    assert_ledger_agrees(author)


def test_the_replay_meets_the_floor_where_each_loss_happened():
    """A penalty recorded after gains is replayed in its place among the votes, not first."""
    author = UserFactory()
    question = QuestionFactory(author=author)
    down, up = user_with(Privilege.DOWNVOTE), user_with(Privilege.UPVOTE)
    services.vote_cast(user=up, post=question, value=1)
    services.vote_cast(user=down, post=AnswerFactory(author=author), value=-1)
    services.vote_cast(user=up, post=AnswerFactory(author=author), value=1)
    spam_delete(QuestionFactory(author=author))

    assert rep(author) == 1
    assert_ledger_agrees(author)
