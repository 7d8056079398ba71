"""The reputation table (docs/rules.md, "Reputation") applied through the services, and the ledger
behind it."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db.models import Sum

from accounts.privileges import Privilege
from core.conf import qasite_setting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.threads import moderator
from threads import services
from threads.models import Post, ReputationCause, ReputationChange, Vote
from threads.reputation import reputation_recount

pytestmark = pytest.mark.django_db

START = 1
DAY_ONE = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def amount(key: str) -> int:
    return qasite_setting("REPUTATION")[key]


#: Reputation of an author with enough of it that a downvote applies in full (above the floor).
ESTABLISHED = START + 100


def established():
    return UserFactory(reputation=ESTABLISHED, imported_reputation=ESTABLISHED - START)


def rep(user) -> int:
    user.refresh_from_db(fields=["reputation"])
    return user.reputation


def voter(privilege: Privilege = Privilege.DOWNVOTE):
    """A user holding ``privilege`` whose reputation agrees with the ledger (it is imported),
    so ``reputation_recount`` has nothing to correct about them."""
    reputation = privilege.reputation
    return UserFactory(reputation=reputation, imported_reputation=reputation - START)


def causes(user) -> list[str]:
    return sorted(ReputationChange.objects.filter(user=user).values_list("cause", flat=True))


def ledger_total(user) -> int:
    return ReputationChange.objects.filter(user=user).aggregate(t=Sum("amount"))["t"] or 0


def assert_ledger_matches(user) -> None:
    user.refresh_from_db()
    assert user.reputation == 1 + user.imported_reputation + ledger_total(user)


def fresh(post: Post) -> Post:
    return Post.objects.get(pk=post.pk)


def test_it_has_the_default_amounts_of_design_section_1():
    # This test is about the default table itself, so the numbers are written out.
    table = qasite_setting("REPUTATION")
    assert table["QUESTION_UPVOTED"] == 10
    assert table["ANSWER_UPVOTED"] == 10
    assert table["ANSWER_ACCEPTED"] == 15
    assert table["ACCEPTER"] == 2
    assert table["POST_DOWNVOTED"] == -2
    assert table["DOWNVOTER_ON_ANSWER"] == -1
    assert table["DAILY_VOTE_CAP"] == 200


# One row of the table each ----------------------------------------------------------------


def test_it_credits_the_asker_for_a_question_upvote():
    asker = UserFactory(reputation=START)
    question = QuestionFactory(author=asker)
    up = voter(Privilege.UPVOTE)
    services.vote_cast(user=up, post=question, value=1)
    assert rep(asker) == START + amount("QUESTION_UPVOTED")
    assert rep(up) == Privilege.UPVOTE.reputation
    change = ReputationChange.objects.get(user=asker)
    assert change.cause == ReputationCause.UPVOTED
    assert change.amount == amount("QUESTION_UPVOTED")
    assert change.post_id == question.pk
    assert change.vote == Vote.objects.get(user=up, post=question)


def test_it_credits_the_answerer_for_an_answer_upvote():
    answerer = UserFactory(reputation=START)
    answer = AnswerFactory(author=answerer)
    up = voter(Privilege.UPVOTE)
    services.vote_cast(user=up, post=answer, value=1)
    assert rep(answerer) == START + amount("ANSWER_UPVOTED")
    assert rep(up) == Privilege.UPVOTE.reputation
    assert causes(answerer) == [ReputationCause.UPVOTED]
    assert causes(up) == []


def test_it_charges_the_asker_but_not_the_voter_for_a_question_downvote():
    asker = established()
    question = QuestionFactory(author=asker)
    down = voter()
    services.vote_cast(user=down, post=question, value=-1)
    assert rep(asker) == ESTABLISHED + amount("POST_DOWNVOTED")
    assert rep(down) == Privilege.DOWNVOTE.reputation
    assert causes(asker) == [ReputationCause.DOWNVOTED]
    assert causes(down) == []


def test_it_charges_the_answerer_and_the_voter_for_an_answer_downvote():
    answerer = established()
    answer = AnswerFactory(author=answerer)
    down = voter()
    services.vote_cast(user=down, post=answer, value=-1)
    assert rep(answerer) == ESTABLISHED + amount("POST_DOWNVOTED")
    assert rep(down) == Privilege.DOWNVOTE.reputation + amount("DOWNVOTER_ON_ANSWER")
    assert causes(answerer) == [ReputationCause.DOWNVOTED]
    assert causes(down) == [ReputationCause.DOWNVOTED_ANSWER]


def test_it_credits_answerer_and_asker_for_an_accept():
    asker = UserFactory(reputation=START)
    answerer = UserFactory(reputation=START)
    answer = AnswerFactory(question=QuestionFactory(author=asker), author=answerer)
    services.answer_accept(user=asker, answer=answer)
    assert rep(answerer) == START + amount("ANSWER_ACCEPTED")
    assert rep(asker) == START + amount("ACCEPTER")
    assert ReputationChange.objects.get(user=answerer).cause == ReputationCause.ACCEPTED
    assert ReputationChange.objects.get(user=asker).cause == ReputationCause.ACCEPTER
    assert set(ReputationChange.objects.values_list("post_id", flat=True)) == {answer.pk}


def test_it_gives_nothing_for_accepting_a_self_answer():
    asker = UserFactory(reputation=START)
    answer = AnswerFactory(question=QuestionFactory(author=asker), author=asker)
    wait = timedelta(hours=qasite_setting("SELF_ACCEPT_AFTER_HOURS"), minutes=1)
    with time_machine.travel(datetime.now(UTC) + wait, tick=False):
        assert services.answer_accept(user=asker, answer=answer)
    assert rep(asker) == START
    assert not ReputationChange.objects.exists()


# Undoing ----------------------------------------------------------------------------------


def test_it_undoes_an_upvote_when_it_is_retracted():
    answerer = UserFactory(reputation=START)
    answer = AnswerFactory(author=answerer)
    up = voter(Privilege.UPVOTE)
    services.vote_cast(user=up, post=answer, value=1)
    services.vote_retract(user=up, post=answer)
    assert rep(answerer) == START
    assert not ReputationChange.objects.exists()


def test_it_undoes_both_sides_of_an_answer_downvote_when_it_is_retracted():
    answerer = UserFactory(reputation=START)
    answer = AnswerFactory(author=answerer)
    down = voter()
    services.vote_cast(user=down, post=answer, value=-1)
    services.vote_retract(user=down, post=answer)
    assert rep(answerer) == START
    assert rep(down) == Privilege.DOWNVOTE.reputation
    assert not ReputationChange.objects.exists()


def test_it_moves_reputation_exactly_when_a_vote_changes():
    answerer = established()
    answer = AnswerFactory(author=answerer)
    user = voter()
    services.vote_cast(user=user, post=answer, value=1)
    services.vote_cast(user=user, post=answer, value=-1)
    assert rep(answerer) == ESTABLISHED + amount("POST_DOWNVOTED")
    assert rep(user) == Privilege.DOWNVOTE.reputation + amount("DOWNVOTER_ON_ANSWER")
    services.vote_cast(user=user, post=answer, value=1)
    assert rep(answerer) == ESTABLISHED + amount("ANSWER_UPVOTED")
    assert rep(user) == Privilege.DOWNVOTE.reputation
    assert causes(answerer) == [ReputationCause.UPVOTED]
    assert causes(user) == []


def test_it_moves_the_accept_reputation_on_unaccept_and_on_accepting_another():
    asker = UserFactory(reputation=START)
    first = UserFactory(reputation=START)
    second = UserFactory(reputation=START)
    question = QuestionFactory(author=asker)
    answer1 = AnswerFactory(question=question, author=first)
    answer2 = AnswerFactory(question=question, author=second)

    services.answer_accept(user=asker, answer=answer1)
    services.answer_unaccept(user=asker, answer=answer1)
    assert (rep(asker), rep(first)) == (START, START)
    assert not ReputationChange.objects.exists()

    services.answer_accept(user=asker, answer=answer1)
    services.answer_accept(user=asker, answer=answer2)
    assert rep(first) == START
    assert rep(second) == START + amount("ANSWER_ACCEPTED")
    assert rep(asker) == START + amount("ACCEPTER")
    assert causes(asker) == [ReputationCause.ACCEPTER]
    assert fresh(question).accepted_answer_id == answer2.pk


# Daily cap --------------------------------------------------------------------------------


def _upvotes_past_the_cap() -> int:
    per_vote = amount("QUESTION_UPVOTED")
    return -(-amount("DAILY_VOTE_CAP") // per_vote) + 1


def test_it_caps_reputation_from_votes_per_utc_day_and_earns_again_the_next_day():
    cap = amount("DAILY_VOTE_CAP")
    with time_machine.travel(DAY_ONE.replace(hour=23, minute=0), tick=False) as traveller:
        asker = UserFactory(reputation=START)
        question = QuestionFactory(author=asker)
        for _ in range(_upvotes_past_the_cap()):
            services.vote_cast(user=voter(Privilege.UPVOTE), post=question, value=1)
        assert Vote.objects.filter(post=question).count() > cap // amount("QUESTION_UPVOTED")
        assert rep(asker) == START + cap
        assert_ledger_matches(asker)

        traveller.move_to(DAY_ONE.replace(hour=23, minute=59))
        services.vote_cast(user=voter(Privilege.UPVOTE), post=question, value=1)
        assert rep(asker) == START + cap

        traveller.move_to(DAY_ONE + timedelta(days=1, hours=-9, minutes=1))  # 00:01 next day
        services.vote_cast(user=voter(Privilege.UPVOTE), post=question, value=1)
        assert rep(asker) == START + cap + amount("QUESTION_UPVOTED")
        assert_ledger_matches(asker)


def test_it_exempts_accepts_from_the_daily_cap():
    cap = amount("DAILY_VOTE_CAP")
    with time_machine.travel(DAY_ONE, tick=False):
        asker = UserFactory(reputation=START)
        answerer = UserFactory(reputation=START)
        answer = AnswerFactory(question=QuestionFactory(author=asker), author=answerer)
        for _ in range(_upvotes_past_the_cap()):
            services.vote_cast(user=voter(Privilege.UPVOTE), post=answer, value=1)
        assert rep(answerer) == START + cap
        services.answer_accept(user=asker, answer=answer)
        assert rep(answerer) == START + cap + amount("ANSWER_ACCEPTED")
        assert_ledger_matches(answerer)


def test_it_undoes_only_what_a_capped_vote_applied_when_it_is_retracted():
    cap = amount("DAILY_VOTE_CAP")
    with time_machine.travel(DAY_ONE, tick=False) as traveller:
        asker = UserFactory(reputation=START)
        question = QuestionFactory(author=asker)
        voters = []
        for _ in range(_upvotes_past_the_cap()):
            traveller.shift(timedelta(seconds=1))
            voters.append(voter(Privilege.UPVOTE))
            services.vote_cast(user=voters[-1], post=question, value=1)
        assert rep(asker) == START + cap

        services.vote_retract(user=voters[-1], post=question)  # it applied nothing
        assert rep(asker) == START + cap
        services.vote_retract(user=voters[0], post=question)  # it applied a full upvote
        assert rep(asker) == START + cap - amount("QUESTION_UPVOTED")
        assert_ledger_matches(asker)


# Deleting and undeleting ------------------------------------------------------------------


def test_it_removes_an_answers_vote_and_accept_reputation_when_it_is_deleted():
    asker = UserFactory(reputation=START)
    answerer = UserFactory(reputation=START)
    question = QuestionFactory(author=asker)
    answer = AnswerFactory(question=question, author=answerer)
    up1, up2, down = voter(), voter(), voter()
    services.vote_cast(user=up1, post=answer, value=1)
    services.vote_cast(user=up2, post=answer, value=1)
    services.vote_cast(user=down, post=answer, value=-1)
    services.answer_accept(user=asker, answer=answer)
    votes_total = 2 * amount("ANSWER_UPVOTED") + amount("POST_DOWNVOTED")
    assert rep(answerer) == START + votes_total + amount("ANSWER_ACCEPTED")

    assert services.post_delete(actor=answerer, post=answer)
    assert rep(answerer) == START
    assert rep(asker) == START
    assert rep(down) == Privilege.DOWNVOTE.reputation
    assert fresh(question).accepted_answer_id is None

    assert services.post_undelete(actor=moderator(), post=answer)
    # The votes come back; the accept was cleared by the deletion, so it does not.
    assert rep(answerer) == START + votes_total
    assert rep(asker) == START
    assert rep(down) == Privilege.DOWNVOTE.reputation + amount("DOWNVOTER_ON_ANSWER")
    for user in (asker, answerer, down):
        assert_ledger_matches(user)
    assert reputation_recount() == []


def test_it_removes_a_questions_vote_reputation_when_it_is_deleted_and_restores_it():
    asker = UserFactory(reputation=START)
    question = QuestionFactory(author=asker)
    services.vote_cast(user=voter(), post=question, value=1)
    services.vote_cast(user=voter(), post=question, value=1)
    services.vote_cast(user=voter(), post=question, value=-1)
    earned = 2 * amount("QUESTION_UPVOTED") + amount("POST_DOWNVOTED")
    assert rep(asker) == START + earned

    services.post_delete(actor=asker, post=question)
    assert rep(asker) == START
    assert not ReputationChange.objects.filter(user=asker).exists()
    assert reputation_recount() == []

    services.post_undelete(actor=moderator(), post=question)
    assert rep(asker) == START + earned
    assert_ledger_matches(asker)
    assert reputation_recount() == []


def test_it_removes_the_accept_reputation_of_a_deleted_question_and_restores_it():
    asker = UserFactory(reputation=START)
    answerer = UserFactory(reputation=START)
    question = QuestionFactory(author=asker)
    answer = AnswerFactory(question=question, author=answerer)
    services.answer_accept(user=asker, answer=answer)

    services.post_delete(actor=asker, post=question)
    live_after_delete = (rep(asker), rep(answerer))
    replay_corrections = reputation_recount()
    services.post_undelete(actor=moderator(), post=question)
    live_after_undelete = (rep(asker), rep(answerer))

    assert replay_corrections == []
    assert live_after_delete == (START, START)
    assert live_after_undelete == (
        START + amount("ACCEPTER"),
        START + amount("ANSWER_ACCEPTED"),
    )


# The ledger -------------------------------------------------------------------------------


def test_it_keeps_reputation_equal_to_one_plus_imported_plus_the_ledger():
    imported = 500
    asker = UserFactory(reputation=START + imported, imported_reputation=imported)
    answerer = established()
    other = established()
    voters = [voter() for _ in range(4)]
    question = QuestionFactory(author=asker)
    answer = AnswerFactory(question=question, author=answerer)
    other_answer = AnswerFactory(question=question, author=other)

    services.vote_cast(user=voters[0], post=question, value=1)
    services.vote_cast(user=voters[1], post=question, value=-1)
    services.vote_cast(user=voters[1], post=question, value=1)
    services.vote_cast(user=voters[2], post=answer, value=-1)
    services.vote_cast(user=voters[3], post=answer, value=1)
    services.vote_cast(user=voters[0], post=other_answer, value=-1)
    services.vote_retract(user=voters[3], post=answer)
    services.answer_accept(user=asker, answer=answer)
    services.answer_accept(user=asker, answer=other_answer)
    services.vote_cast(user=voters[3], post=other_answer, value=1)
    services.post_delete(actor=answerer, post=answer)
    services.vote_cast(user=voters[2], post=question, value=-1)
    services.post_undelete(actor=moderator(), post=answer)
    services.answer_unaccept(user=asker, answer=other_answer)
    services.answer_accept(user=asker, answer=answer)

    for user in (asker, answerer, other, *voters):
        assert_ledger_matches(user)
    assert rep(asker) == START + imported + (
        2 * amount("QUESTION_UPVOTED") + amount("POST_DOWNVOTED") + amount("ACCEPTER")
    )
    assert rep(answerer) == ESTABLISHED + amount("POST_DOWNVOTED") + amount("ANSWER_ACCEPTED")
    assert rep(other) == ESTABLISHED + amount("POST_DOWNVOTED") + amount("ANSWER_UPVOTED")
    assert rep(voters[2]) == Privilege.DOWNVOTE.reputation + amount("DOWNVOTER_ON_ANSWER")
    # Replaying the ledger from votes and accepts finds nothing to correct.
    assert reputation_recount() == []
