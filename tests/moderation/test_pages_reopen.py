"""Reopen votes through HTTP: who may vote, 3 votes or one moderator's, retraction, and
refusals on open questions."""

import pytest

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation.models import ReopenVote, VoteState
from tests.factories import QuestionFactory
from tests.moderation import (
    CAN_VOTE,
    VOTE_LEVELS,
    career,
    closer,
    closers,
    fresh,
    moderator,
    user_at,
    vote_to_close,
)
from tests.pages import is_login_redirect, text_of

pytestmark = pytest.mark.django_db


def closed_question(client, level: str):
    """Log in at ``level``; a question (the user's own for the asker levels) closed by votes."""
    user = user_at(level)
    question = QuestionFactory(author=user) if level.startswith("asker") else QuestionFactory()
    vote_to_close(question, closers(qasite_setting("CLOSE_VOTES_TO_CLOSE")), career())
    if user is not None:
        client.force_login(user)
    return user, fresh(question)


def reopen_url(question) -> str:
    return f"/questions/{question.pk}/reopen/"


def retract_url(question) -> str:
    return f"/questions/{question.pk}/reopen/retract/"


def reopen_votes(question):
    return ReopenVote.objects.filter(question=question)


@pytest.mark.parametrize("level", VOTE_LEVELS)
def test_it_opens_the_reopen_page_for_each_level(client, level):
    _, question = closed_question(client, level)

    response = client.get(reopen_url(question))

    expected = CAN_VOTE[level]
    if expected == "login":
        assert is_login_redirect(response)
        return
    assert response.status_code == expected
    seen = text_of(response.content)
    if expected == 200:
        assert "Vote to reopen this question?" in seen
        assert f"It was closed as: {career()}" in seen
    else:
        assert (
            f"You need {Privilege.CAST_CLOSE_VOTES.reputation} reputation to vote to reopen "
            "questions" in seen
        )


@pytest.mark.parametrize("level", VOTE_LEVELS)
def test_it_takes_a_reopen_vote_from_each_level_allowed(client, level):
    _, question = closed_question(client, level)

    response = client.post(reopen_url(question))

    expected = CAN_VOTE[level]
    question = fresh(question)
    if expected == "login":
        assert is_login_redirect(response)
        assert not reopen_votes(question).exists()
    elif expected == 403:
        assert response.status_code == 403
        assert not reopen_votes(question).exists()
        assert question.closed_at is not None
    else:
        assert response.status_code == 302
        assert reopen_votes(question).count() == 1
        if level == "moderator":
            assert question.closed_at is None
        else:
            assert question.closed_at is not None
            assert question.reopen_votes_pending == 1


def test_it_reopens_on_the_third_vote_with_messages(client):
    question = QuestionFactory()
    vote_to_close(question, closers(qasite_setting("CLOSE_VOTES_TO_CLOSE")), career())
    needed = qasite_setting("REOPEN_VOTES_TO_REOPEN")
    voters = closers(needed)

    for number, voter in enumerate(voters[:-1], start=1):
        client.force_login(voter)
        response = client.post(reopen_url(question), follow=True)
        assert response.status_code == 200
        assert f"Your reopen vote is recorded: {number} of {needed}." in text_of(response.content)
        assert fresh(question).closed_at is not None

    client.force_login(voters[-1])
    response = client.post(reopen_url(question), follow=True)

    assert "The question is reopened." in text_of(response.content)
    question = fresh(question)
    assert question.closed_at is None
    assert question.close_notice is None or question.close_notice == {}
    assert set(reopen_votes(question).values_list("state", flat=True)) == {VoteState.COMPLETED}
    seen = text_of(response.content)
    assert "[closed]" not in seen
    assert 'class="answer-form"' in response.content.decode()


def test_it_reopens_at_once_on_a_moderators_vote(client):
    _, question = closed_question(client, "anonymous")
    client.force_login(moderator())

    response = client.post(reopen_url(question), follow=True)

    assert "The question is reopened." in text_of(response.content)
    assert fresh(question).closed_at is None
    assert reopen_votes(question).get().binding is True


@pytest.mark.parametrize("level", ["asker250", "rep3000", "rep10k", "moderator"])
def test_it_refuses_to_reopen_an_open_question(client, level):
    user = user_at(level)
    question = QuestionFactory(author=user) if level.startswith("asker") else QuestionFactory()
    client.force_login(user)

    assert client.get(reopen_url(question)).status_code == 403
    response = client.post(reopen_url(question))

    assert response.status_code == 403
    assert "This question is open." in text_of(response.content)
    assert not reopen_votes(question).exists()


def test_it_refuses_a_second_reopen_vote(client):
    _, question = closed_question(client, "rep3000")
    assert client.post(reopen_url(question)).status_code == 302

    response = client.post(reopen_url(question))

    assert response.status_code == 400
    assert "You have already voted to reopen this question." in text_of(response.content)
    assert reopen_votes(question).count() == 1
    assert fresh(question).reopen_votes_pending == 1


def test_it_shows_the_pending_reopen_count_and_the_retract_button(client):
    _, question = closed_question(client, "anonymous")
    voter = closer()
    needed = qasite_setting("REOPEN_VOTES_TO_REOPEN")
    client.force_login(voter)
    client.post(reopen_url(question))

    mine = text_of(client.get(question.get_absolute_url()).content)
    client.force_login(closer())
    theirs = client.get(question.get_absolute_url()).content.decode()

    assert f"Retract reopen vote (1/{needed})" in mine
    assert f"Reopen (1/{needed})" in text_of(theirs)
    assert f'href="{reopen_url(question)}"' in theirs


@pytest.mark.parametrize("level", VOTE_LEVELS)
def test_it_answers_reopen_retract_for_each_level(client, level):
    _, question = closed_question(client, level)

    response = client.post(retract_url(question), follow=level != "anonymous")

    if level == "anonymous":
        assert is_login_redirect(response)
    else:
        assert response.status_code == 200
        assert "You have no pending reopen vote on this question." in text_of(response.content)


def test_it_retracts_a_reopen_vote_and_refuses_another(client):
    _, question = closed_question(client, "rep3000")
    client.post(reopen_url(question))

    response = client.post(retract_url(question), follow=True)

    assert "Your reopen vote was retracted." in text_of(response.content)
    assert reopen_votes(question).get().state == VoteState.RETRACTED
    assert fresh(question).reopen_votes_pending == 0

    again = client.post(reopen_url(question))

    assert again.status_code == 400
    assert "You retracted your reopen vote; you can't vote again here." in text_of(again.content)
    assert reopen_votes(question).count() == 1


def test_it_hides_the_reopen_link_after_a_retraction(client):
    _, question = closed_question(client, "rep3000")
    client.post(reopen_url(question))
    client.post(retract_url(question))

    content = client.get(question.get_absolute_url()).content.decode()

    assert f'href="{reopen_url(question)}"' not in content
