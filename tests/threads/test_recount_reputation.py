"""manage.py recount_reputation: replays the ledger, reports and fixes what drifted."""

from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.privileges import Privilege
from core.conf import qasite_setting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.threads import user_with
from threads import services
from threads.models import ReputationChange

pytestmark = pytest.mark.django_db


User = get_user_model()


def recount() -> str:
    out = StringIO()
    call_command("recount_reputation", stdout=out)
    return out.getvalue()


def reputation(user) -> int:
    return User.objects.get(pk=user.pk).reputation


@pytest.fixture
def thread():
    asker = UserFactory()
    answerer = UserFactory()
    voters = [user_with(Privilege.UPVOTE), user_with(Privilege.UPVOTE)]
    voters.append(user_with(Privilege.DOWNVOTE))
    question = QuestionFactory(author=asker)
    answer = AnswerFactory(author=answerer, question=question)
    services.vote_cast(user=voters[0], post=question, value=1)
    services.vote_cast(user=voters[0], post=answer, value=1)
    services.vote_cast(user=voters[1], post=answer, value=1)
    services.vote_cast(user=voters[2], post=answer, value=-1)
    services.answer_accept(user=asker, answer=answer)
    return asker, answerer, voters


def test_it_restores_a_corrupted_reputation(thread):
    asker, answerer, voters = thread
    amounts = qasite_setting("REPUTATION")
    expected = (
        1 + 2 * amounts["ANSWER_UPVOTED"] + amounts["POST_DOWNVOTED"] + amounts["ANSWER_ACCEPTED"]
    )
    assert reputation(answerer) == expected
    User.objects.filter(pk=answerer.pk).update(reputation=999)

    output = recount()

    assert f"{answerer.username}: 999 -> {expected}" in output
    assert "1 user corrected." in output
    assert reputation(answerer) == expected
    assert reputation(asker) == 1 + amounts["QUESTION_UPVOTED"] + amounts["ACCEPTER"]
    downvoter = Privilege.DOWNVOTE.reputation
    assert reputation(voters[2]) == downvoter + amounts["DOWNVOTER_ON_ANSWER"]


def test_it_says_when_every_reputation_was_correct(thread):
    before = dict(User.objects.values_list("pk", "reputation"))

    assert recount().strip() == "All reputations were correct."
    assert dict(User.objects.values_list("pk", "reputation")) == before


def test_it_reports_every_corrected_user(thread):
    asker, answerer, _ = thread
    User.objects.filter(pk__in=[asker.pk, answerer.pk]).update(reputation=5)

    output = recount()

    assert f"{asker.username}: 5 -> {reputation(asker)}" in output
    assert f"{answerer.username}: 5 -> {reputation(answerer)}" in output
    assert "2 users corrected." in output


def test_it_keeps_imported_reputation():
    user = UserFactory(imported_reputation=499, reputation=1)

    assert f"{user.username}: 1 -> 500" in recount()
    assert reputation(user) == 500


def test_it_respects_the_daily_cap_on_replay():
    cap = qasite_setting("REPUTATION.DAILY_VOTE_CAP")
    upvote = qasite_setting("REPUTATION.ANSWER_UPVOTED")
    author = UserFactory()
    question = QuestionFactory()
    answer = AnswerFactory(author=author, question=question)
    # 25 upvotes: 250 uncapped
    voters = [user_with(Privilege.UPVOTE) for _ in range(cap // upvote + 5)]
    with time_machine.travel(datetime(2025, 3, 10, 8, 0, tzinfo=UTC), tick=False):
        for voter in voters[:-3]:
            services.vote_cast(user=voter, post=answer, value=1)
    with time_machine.travel(datetime(2025, 3, 10, 23, 30, tzinfo=UTC), tick=False):
        services.vote_cast(user=voters[-3], post=answer, value=1)  # same UTC day: capped
    with time_machine.travel(datetime(2025, 3, 11, 0, 30, tzinfo=UTC), tick=False):
        for voter in voters[-2:]:
            services.vote_cast(user=voter, post=answer, value=1)  # next UTC day
    expected = 1 + cap + 2 * upvote
    assert reputation(author) == expected

    # Lose the ledger and the total: the replay rebuilds both, cap included.
    ReputationChange.objects.all().delete()
    User.objects.filter(pk=author.pk).update(reputation=5000)
    output = recount()

    assert f"{author.username}: 5000 -> {expected}" in output
    assert reputation(author) == expected
    ledger = ReputationChange.objects.filter(user=author)
    assert sum(ledger.filter(day="2025-03-10").values_list("amount", flat=True)) == cap
    assert sum(ledger.filter(day="2025-03-11").values_list("amount", flat=True)) == 2 * upvote
