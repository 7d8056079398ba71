"""Voting through the vote form (plain POST and XHR): idempotent end states, privileges."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.conf import qasite_setting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from threads.models import Post, Vote

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
UPVOTE_REP = qasite_setting("PRIVILEGES.UPVOTE")
DOWNVOTE_REP = qasite_setting("PRIVILEGES.DOWNVOTE")


@pytest.fixture
def question():
    return QuestionFactory()


def vote(client, post, value, **extra):
    return client.post(f"/posts/{post.pk}/vote/", {"vote": value}, **extra)


def score(post) -> int:
    return Post.objects.values_list("score", flat=True).get(pk=post.pk)


def reputation(user) -> int:
    user.refresh_from_db(fields=["reputation"])
    return user.reputation


def test_it_counts_a_replayed_upvote_once(client, question):
    voter = UserFactory(reputation=UPVOTE_REP)
    client.force_login(voter)
    first = vote(client, question, "up")
    second = vote(client, question, "up")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == f"{question.get_absolute_url()}#question"
    assert score(question) == 1
    assert Vote.objects.filter(post=question).count() == 1
    assert reputation(question.author) == 1 + qasite_setting("REPUTATION.QUESTION_UPVOTED")


def test_it_retracts_a_vote(client, question):
    client.force_login(UserFactory(reputation=UPVOTE_REP))
    vote(client, question, "up")
    response = vote(client, question, "none")
    assert response.status_code == 302
    assert score(question) == 0
    assert not Vote.objects.exists()
    assert reputation(question.author) == 1
    # Retracting again is harmless.
    assert vote(client, question, "none").status_code == 302
    assert score(question) == 0


def test_it_answers_xhr_votes_as_json(client, question):
    client.force_login(UserFactory(reputation=UPVOTE_REP))
    response = vote(client, question, "up", **XHR)
    assert response.status_code == 200
    assert response.json() == {"score": 1, "vote": "up"}
    assert vote(client, question, "none", **XHR).json() == {"score": 0, "vote": "none"}


def test_it_changes_a_vote_from_up_to_down(client):
    answer = AnswerFactory()
    voter = UserFactory(reputation=DOWNVOTE_REP)
    client.force_login(voter)
    vote(client, answer, "up")
    response = vote(client, answer, "down", **XHR)
    assert response.json() == {"score": -1, "vote": "down"}
    assert Vote.objects.get().value == -1
    assert reputation(answer.author) == 1  # the downvote stops at the floor of 1
    assert reputation(voter) == DOWNVOTE_REP + qasite_setting("REPUTATION.DOWNVOTER_ON_ANSWER")


@pytest.mark.parametrize("value", ["sideways", "", "1", "UP"])
def test_it_rejects_an_unknown_vote(client, question, value):
    client.force_login(UserFactory(reputation=UPVOTE_REP))
    assert vote(client, question, value).status_code == 400
    assert score(question) == 0


def test_it_rejects_a_missing_vote(client, question):
    client.force_login(UserFactory(reputation=UPVOTE_REP))
    assert client.post(f"/posts/{question.pk}/vote/").status_code == 400


def test_it_refuses_get(client, question):
    client.force_login(UserFactory(reputation=UPVOTE_REP))
    assert client.get(f"/posts/{question.pk}/vote/").status_code == 405


@pytest.mark.parametrize("rep", [1, UPVOTE_REP - 1])
def test_it_refuses_upvotes_from_new_users(client, question, rep):
    client.force_login(UserFactory(reputation=rep))
    response = vote(client, question, "up")
    assert response.status_code == 403
    assert f"You need {UPVOTE_REP} reputation to vote up.".encode() in response.content
    xhr = vote(client, question, "up", **XHR)
    assert xhr.status_code == 403
    assert xhr.json() == {"error": f"You need {UPVOTE_REP} reputation to vote up."}
    assert score(question) == 0


def test_it_refuses_downvotes_below_the_downvote_privilege(client, question):
    client.force_login(UserFactory(reputation=UPVOTE_REP))
    assert vote(client, question, "down").status_code == 403
    assert vote(client, question, "down", **XHR).json() == {
        "error": f"You need {DOWNVOTE_REP} reputation to vote down."
    }
    assert score(question) == 0


def test_it_refuses_votes_on_ones_own_post(client, question):
    question.author.reputation = 5000
    question.author.save(update_fields=["reputation"])
    client.force_login(question.author)
    assert vote(client, question, "up").status_code == 403
    assert vote(client, question, "down", **XHR).json() == {
        "error": "You can't vote for your own post."
    }
    assert score(question) == 0


def test_it_locks_a_vote_after_the_window(client, question):
    client.force_login(UserFactory(reputation=DOWNVOTE_REP))
    vote(client, question, "up")
    later = timezone.now() + timedelta(minutes=qasite_setting("VOTE_LOCK_MINUTES") + 1)
    with time_machine.travel(later):
        response = vote(client, question, "none", **XHR)
        assert response.status_code == 403
        assert "locked" in response.json()["error"]
        # Re-stating the vote one already has is not a change.
        assert vote(client, question, "up", **XHR).json() == {"score": 1, "vote": "up"}
    assert score(question) == 1


def test_it_sends_visitors_to_log_in(client, question):
    response = vote(client, question, "up")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert score(question) == 0


def test_it_404s_votes_on_deleted_and_unknown_posts(client):
    answer = AnswerFactory()
    Post.objects.filter(pk=answer.pk).update(deleted_at=timezone.now())
    client.force_login(UserFactory(reputation=UPVOTE_REP))
    assert vote(client, answer, "up").status_code == 404
    assert client.post("/posts/999999/vote/", {"vote": "up"}).status_code == 404


def test_it_shows_the_users_vote_on_the_page(client, question):
    client.force_login(UserFactory(reputation=UPVOTE_REP))
    vote(client, question, "up")
    content = client.get(question.get_absolute_url()).content.decode()
    assert 'class="vote-up on" aria-pressed="true"' in content
    assert '<output class="score" aria-label="Score" data-score>1</output>' in content


def test_an_xhr_vote_costs_a_bounded_number_of_queries(
    client, question, django_assert_max_num_queries
):
    client.force_login(UserFactory(reputation=UPVOTE_REP))
    # Session and user, the post, the transaction: locks, the vote, the daily limit, the
    # score with the version, the reputation ledger. No read of the score afterwards.
    with django_assert_max_num_queries(15):
        response = vote(client, question, "up", **XHR)
    assert response.json() == {"score": 1, "vote": "up"}
