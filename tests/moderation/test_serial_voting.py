"""Serial voting (docs/rules.md, "Serial voting"): the daily job finds one voter's many votes
of one direction on one receiver's posts in the window, reverses them with their reputation,
records an event about the voter, and the dashboard lists it."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Sum

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation.models import EventKind, ModerationEvent
from moderation.serial_voting import serial_votes_find, serial_voting_reverse
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.pages import text_of
from tests.queries import measure
from tests.threads import user_with
from threads import services
from threads.models import Post, ReputationChange, Vote
from threads.reputation import reputation_recount

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 6, 3, 30, tzinfo=UTC)


def minimum() -> int:
    return qasite_setting("SERIAL_VOTING.SERIAL_VOTES_MIN")


def window() -> int:
    return qasite_setting("SERIAL_VOTING.SERIAL_WINDOW_HOURS")


def up() -> int:
    return qasite_setting("REPUTATION.ANSWER_UPVOTED")


def rep(user) -> int:
    user.refresh_from_db()
    return user.reputation


def vote_on(voter, posts, value: int = 1, *, at=NOW - timedelta(hours=2)) -> None:
    with time_machine.travel(at, tick=False):
        for post in posts:
            services.vote_cast(user=voter, post=post, value=value)


def answers_by(author, count: int) -> list[Post]:
    return [AnswerFactory(author=author) for _ in range(count)]


def run(**kwargs) -> list[ModerationEvent]:
    with time_machine.travel(NOW, tick=False):
        return serial_voting_reverse(**kwargs)


@pytest.fixture
def receiver():
    return UserFactory(display_name="Rita Receiver")


@pytest.fixture
def voter():
    return user_with(Privilege.DOWNVOTE, display_name="Victor Voter")


# Detection ---------------------------------------------------------------------------------------


def test_just_below_the_threshold_nothing_is_reversed(receiver, voter):
    vote_on(voter, answers_by(receiver, minimum() - 1))

    assert run() == []
    assert Vote.objects.filter(user=voter).count() == minimum() - 1
    assert rep(receiver) == 1 + (minimum() - 1) * up()


def test_at_the_threshold_the_votes_are_reversed(receiver, voter):
    posts = answers_by(receiver, minimum())
    vote_on(voter, posts)

    events = run()

    assert len(events) == 1
    assert not Vote.objects.filter(user=voter).exists()
    assert rep(receiver) == 1
    reversed_posts = Post.objects.filter(pk__in=[post.pk for post in posts])
    assert set(reversed_posts.values_list("score", "up_votes")) == {(0, 0)}


def test_up_and_down_votes_are_counted_apart(receiver, voter):
    """Four up and four down on one receiver's posts is not serial at a threshold of 5."""
    half = minimum() - 1
    vote_on(voter, answers_by(receiver, half), 1)
    vote_on(voter, answers_by(receiver, half), -1)

    assert serial_votes_find(since=NOW - timedelta(hours=window()), until=NOW) == []
    assert run() == []
    assert Vote.objects.filter(user=voter).count() == 2 * half


def test_serial_downvotes_are_given_back_and_the_voter_refunded(receiver, voter):
    receiver.imported_reputation, receiver.reputation = 200, 201
    receiver.save(update_fields=["imported_reputation", "reputation"])
    voter_before = rep(voter)
    vote_on(voter, answers_by(receiver, minimum()), -1)
    assert rep(receiver) < 201
    assert rep(voter) < voter_before

    [event] = run()

    assert rep(receiver) == 201
    assert rep(voter) == voter_before
    assert event.details["direction"] == "down"
    assert event.details["reputation_reversed"] == -minimum() * qasite_setting(
        "REPUTATION.POST_DOWNVOTED"
    )
    assert event.details["voter_refund"] == -minimum() * qasite_setting(
        "REPUTATION.DOWNVOTER_ON_ANSWER"
    )


def test_only_the_window_counts(receiver, voter):
    """Votes older than the window are neither counted nor reversed; ``hours`` widens it."""
    old = NOW - timedelta(hours=window() + 1)
    vote_on(voter, answers_by(receiver, 2), at=old)
    vote_on(voter, answers_by(receiver, minimum() - 2))

    assert run() == []
    [event] = run(hours=window() + 2)
    assert event.details["count"] == minimum()


def test_other_pairs_are_left_alone(receiver, voter):
    bystander = user_with(Privilege.UPVOTE)
    vote_on(voter, answers_by(receiver, minimum()))
    vote_on(bystander, answers_by(receiver, 2))
    vote_on(voter, answers_by(UserFactory(), 2))

    run()

    assert Vote.objects.filter(user=bystander).count() == 2
    assert Vote.objects.filter(user=voter).count() == 2


def test_detection_is_one_query(receiver, voter, django_assert_num_queries):
    for _ in range(3):
        vote_on(user_with(Privilege.UPVOTE), answers_by(receiver, minimum()))
    with django_assert_num_queries(1):
        found = serial_votes_find(since=NOW - timedelta(hours=window()), until=NOW)
    assert len(found) == 3


# Reversal, reputation and idempotence -----------------------------------------------------------


def test_running_twice_reverses_nothing_more(receiver, voter):
    vote_on(voter, answers_by(receiver, minimum()))
    assert len(run()) == 1
    after = rep(receiver), ReputationChange.objects.count()

    assert run() == []
    assert (rep(receiver), ReputationChange.objects.count()) == after
    assert ModerationEvent.objects.filter(kind=EventKind.SERIAL_VOTING_REVERSED).count() == 1


def test_the_ledger_and_the_recount_agree(receiver, voter):
    vote_on(voter, answers_by(receiver, minimum()))
    services.vote_cast(
        user=user_with(Privilege.UPVOTE), post=QuestionFactory(author=receiver), value=1
    )
    run()

    receiver.refresh_from_db()
    total = ReputationChange.objects.filter(user=receiver).aggregate(t=Sum("amount"))["t"]
    assert receiver.reputation == 1 + receiver.imported_reputation + total
    assert receiver.reputation == 1 + qasite_setting("REPUTATION.QUESTION_UPVOTED")
    assert reputation_recount() == []


def test_the_receivers_feed_says_voting_corrected(client, receiver, voter):
    vote_on(voter, answers_by(receiver, minimum()))
    run()

    page = text_of(client.get(f"/users/{receiver.pk}/reputation/"))

    assert f"\u2212{up()} voting corrected" in page
    assert f"+{up()} upvote" in page


# The event -------------------------------------------------------------------------------------


def test_each_reversal_is_an_event_about_the_voter(receiver, voter):
    vote_on(voter, answers_by(receiver, minimum()))

    [event] = run()

    event.refresh_from_db()
    assert (event.kind, event.user_id, event.post_id, event.actor_id) == (
        EventKind.SERIAL_VOTING_REVERSED,
        voter.pk,
        None,
        None,
    )
    assert event.actor_name == "Community"
    assert event.details | {"first_vote_at": None, "last_vote_at": None} == {
        "voter_id": voter.pk,
        "voter_name": "Victor Voter",
        "receiver_id": receiver.pk,
        "receiver_name": "Rita Receiver",
        "direction": "up",
        "count": minimum(),
        "reputation_reversed": -minimum() * up(),
        "voter_refund": 0,
        "first_vote_at": None,
        "last_vote_at": None,
    }
    assert "Rita Receiver" in event.reason


# The command ----------------------------------------------------------------------------------


def command(*args) -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("detect_serial_voting", *args, stdout=out)
    return out.getvalue()


def test_the_command_reports_each_reversal(receiver, voter):
    vote_on(voter, answers_by(receiver, minimum()))

    output = command()

    assert f"Victor Voter -> Rita Receiver: {minimum()} upvotes reversed" in output
    assert "1 detection reversed." in output
    assert "0 detections reversed." in command()


def test_the_command_takes_hours(receiver, voter):
    vote_on(voter, answers_by(receiver, minimum()), at=NOW - timedelta(hours=window() + 5))

    assert "0 detections" in command()
    assert "1 detection reversed" in command("--hours", str(window() + 6))


@pytest.mark.parametrize("hours", ["0", "-3", "many", "2.5"])
def test_the_command_refuses_bad_hours(hours):
    with pytest.raises(CommandError, match="--hours"):
        command("--hours", hours)


# The dashboard --------------------------------------------------------------------------------


def test_moderators_see_the_detections_on_the_dashboard(client, receiver, voter):
    vote_on(voter, answers_by(receiver, minimum()))
    run()
    client.force_login(UserFactory(is_moderator=True))

    page = text_of(client.get("/moderation/"))

    section = page.split("Serial voting reversed", 1)[1]
    assert f"Victor Voter Rita Receiver {minimum()} upvotes {-minimum() * up():+d}" in section


def test_the_dashboard_says_when_there_is_none(client):
    client.force_login(UserFactory(is_moderator=True))

    page = text_of(client.get("/moderation/"))

    assert "No serial voting has been reversed." in page


def test_the_section_costs_one_query_however_many_rows(client, receiver):
    moderator = UserFactory(is_moderator=True)
    client.force_login(moderator)
    client.get("/moderation/")  # the session and the inbox's unread count are cached
    empty, _ = measure(client, "/moderation/")
    vote_on(user_with(Privilege.UPVOTE), answers_by(receiver, minimum()))
    run()
    one, _ = measure(client, "/moderation/")
    for _ in range(3):
        vote_on(user_with(Privilege.UPVOTE), answers_by(receiver, minimum()))
    run()
    many, _ = measure(client, "/moderation/")
    assert empty == one == many
