"""The close dialog through HTTP: who may open it and vote, what it lists, the duplicate
search, the messages after a vote, bad input that changes nothing, and retraction."""

import html
import re

import pytest

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation.models import CloseReason, CloseVote, ModerationEvent, VoteState
from tests.factories import AnswerFactory, QuestionFactory
from tests.moderation import (
    CAN_VOTE,
    VOTE_LEVELS,
    assert_answered,
    career,
    closer,
    closers,
    duplicate,
    fresh,
    moderator,
    off_topic_group,
    opinion,
    something_else,
    user_at,
    vote_to_close,
)
from tests.pages import is_login_redirect, text_of
from threads import services as threads_services
from threads.models import PERMANENT_LOCK_UNTIL

pytestmark = pytest.mark.django_db


def setup(client, level: str, **question_fields):
    """Log in at ``level`` and make a question (asked by that user for the asker levels)."""
    user = user_at(level)
    if level.startswith("asker"):
        question_fields["author"] = user
    question = QuestionFactory(**question_fields)
    if user is not None:
        client.force_login(user)
    return user, question


def close_url(question) -> str:
    return f"/questions/{question.pk}/close/"


def votes_of(question):
    return CloseVote.objects.filter(question=question)


def snapshot(question) -> tuple:
    """What a refused request must leave unchanged."""
    question = fresh(question)
    return (
        votes_of(question).count(),
        ModerationEvent.objects.filter(question_id=question.pk).count(),
        question.close_votes_pending,
        question.closed_at,
    )


# Permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("level", VOTE_LEVELS)
def test_it_opens_the_close_dialog_for_each_level(client, level):
    _, question = setup(client, level)

    response = client.get(close_url(question))

    expected = CAN_VOTE[level]
    assert_answered(
        response,
        expected,
        f"You need {Privilege.CAST_CLOSE_VOTES.reputation} reputation to vote to close "
        f"questions ({Privilege.CLOSE_OWN_QUESTION.reputation} for your own).",
    )
    if expected == 200:
        assert "Why should this question be closed?" in text_of(response.content)


@pytest.mark.parametrize("level", VOTE_LEVELS)
def test_it_takes_a_close_vote_from_each_level_allowed(client, level):
    _, question = setup(client, level)

    response = client.post(close_url(question), {"reason": career().pk})

    expected = CAN_VOTE[level]
    question = fresh(question)
    if expected == "login":
        assert is_login_redirect(response)
        assert not votes_of(question).exists()
    elif expected == 403:
        assert response.status_code == 403
        assert not votes_of(question).exists()
    else:
        assert response.status_code == 302
        assert response.url == f"{question.get_absolute_url()}#question"
        assert votes_of(question).count() == 1
        if level == "moderator":
            assert question.closed_at is not None
        else:
            assert question.closed_at is None
            assert question.close_votes_pending == 1


@pytest.mark.parametrize("level", ["rep1", "rep3000", "rep10k", "moderator"])
def test_it_has_no_close_dialog_for_an_answer(client, level):
    _, question = setup(client, level)
    answer = AnswerFactory(question=question)

    assert client.get(close_url(answer)).status_code == 404
    assert client.post(close_url(answer), {"reason": career().pk}).status_code == 404


def test_it_returns_404_for_an_unknown_question(client):
    client.force_login(closer())
    assert client.get("/questions/999999/close/").status_code == 404


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("rep1", 404),
        ("rep3000", 404),
        ("asker250", 403),  # the author still sees their deleted question
        ("rep10k", 403),  # 10k users see deleted posts, but can't vote on them
        ("moderator", 403),
    ],
)
def test_it_refuses_close_votes_on_a_deleted_question(client, level, expected):
    _, question = setup(client, level)
    threads_services.post_delete(actor=moderator(), post=question)

    assert client.get(close_url(question)).status_code == expected
    response = client.post(close_url(question), {"reason": career().pk})
    assert response.status_code == expected
    if expected == 403:
        assert "This post has been deleted." in text_of(response.content)
    assert not votes_of(question).exists()


@pytest.mark.parametrize("level", ["asker250", "rep3000", "rep10k", "rep15k", "moderator"])
def test_it_refuses_close_votes_on_a_closed_question(client, level):
    _, question = setup(client, level)
    vote_to_close(question, closers(qasite_setting("CLOSE_VOTES_TO_CLOSE")), opinion())
    before = snapshot(question)

    assert client.get(close_url(question)).status_code == 403
    response = client.post(close_url(question), {"reason": career().pk})

    assert response.status_code == 403
    assert "This question is already closed." in text_of(response.content)
    assert snapshot(question) == before


def test_it_refuses_close_votes_on_a_locked_question(client):
    question = QuestionFactory()
    threads_services.post_lock(post=question, kind="historical", until=PERMANENT_LOCK_UNTIL)
    client.force_login(closer())

    response = client.post(close_url(question), {"reason": career().pk})

    assert response.status_code == 403
    assert "locked" in text_of(response.content)
    assert not votes_of(question).exists()


# The dialog -----------------------------------------------------------------------------------


def test_it_lists_every_active_reason_with_its_brief_description(client):
    question = QuestionFactory()
    client.force_login(closer())

    content = client.get(close_url(question)).content.decode()
    seen = text_of(content)

    group = off_topic_group()
    for reason in CloseReason.objects.filter(is_active=True):
        assert reason.name in seen, reason.name
        assert reason.brief_description in seen, reason.name
        radio = f'name="reason" value="{reason.pk}"'
        if reason.pk == group.pk:
            assert radio not in content, "the off-topic group itself is not a choice"
        else:
            assert radio in content, reason.name


def test_it_lists_the_off_topic_sub_reasons_under_their_group(client):
    question = QuestionFactory()
    client.force_login(closer())

    content = client.get(close_url(question)).content.decode()

    group = off_topic_group()
    block = re.search(
        r'<p class="reason-group"><strong>(.*?)</strong>.*?<ul class="subreasons">(.*?)</ul>',
        content,
        re.S,
    )
    assert block is not None
    assert html.unescape(block.group(1)) == group.name
    listed = [int(pk) for pk in re.findall(r'name="reason" value="(\d+)"', block.group(2))]
    assert listed == list(group.children.filter(is_active=True).values_list("pk", flat=True))
    assert something_else().pk in listed
    assert career().pk in listed
    others = re.sub(r'<ul class="subreasons">.*?</ul>', "", content, flags=re.S)
    for pk in listed:
        assert f'name="reason" value="{pk}"' not in others


def test_it_drops_an_inactive_reason_from_the_dialog(client):
    question = QuestionFactory()
    CloseReason.objects.filter(pk=opinion().pk).update(is_active=False)
    client.force_login(closer())

    content = client.get(close_url(question)).content.decode()

    assert f'name="reason" value="{opinion().pk}"' not in content
    assert opinion().brief_description not in text_of(content)
    assert f'name="reason" value="{career().pk}"' in content


def test_it_refuses_an_inactive_reason_posted_anyway(client):
    question = QuestionFactory()
    CloseReason.objects.filter(pk=opinion().pk).update(is_active=False)
    client.force_login(closer())
    before = snapshot(question)

    response = client.post(close_url(question), {"reason": opinion().pk})

    assert response.status_code == 400
    assert snapshot(question) == before


def test_it_searches_answered_questions_for_a_duplicate_target(client):
    question = QuestionFactory(title="Pandas rolling mean over a time window")
    AnswerFactory(question=question)  # answered itself, still never its own candidate
    answered = QuestionFactory(title="How do I compute a pandas rolling mean by date")
    AnswerFactory(question=answered)
    unanswered = QuestionFactory(title="Why is my pandas rolling mean shifted by a day")
    unrelated = QuestionFactory(title="How do I read a parquet file with polars")
    AnswerFactory(question=unrelated)
    deleted = QuestionFactory(title="Another pandas rolling mean question that was deleted")
    AnswerFactory(question=deleted)
    threads_services.post_delete(actor=moderator(), post=deleted)
    client.force_login(closer())

    response = client.get(close_url(question), {"q": "pandas ROLLING mean"})

    assert response.status_code == 200
    content = response.content.decode()
    candidates = {int(pk) for pk in re.findall(r'name="duplicate" value="(\d+)"', content)}
    assert candidates == {answered.pk}
    assert "Questions matching “pandas ROLLING mean”" in text_of(content)
    assert answered.title in text_of(content)
    for absent in (question, unanswered, unrelated, deleted):
        assert f'id="candidate-{absent.pk}"' not in content


def test_it_says_when_no_answered_question_matches(client):
    question = QuestionFactory(title="Pandas rolling mean over a time window")
    QuestionFactory(title="Unanswered pandas rolling mean question here")
    client.force_login(closer())

    response = client.get(close_url(question), {"q": "rolling"})

    assert response.status_code == 200
    assert "No answered question matches “rolling”." in text_of(response.content)
    assert 'name="duplicate" value="' not in response.content.decode()


# Voting ---------------------------------------------------------------------------------------


def test_it_counts_votes_in_the_message_and_closes_on_the_third(client):
    question = QuestionFactory()
    needed = qasite_setting("CLOSE_VOTES_TO_CLOSE")
    voters = closers(needed)

    for number, voter in enumerate(voters[:-1], start=1):
        client.force_login(voter)
        response = client.post(close_url(question), {"reason": career().pk}, follow=True)
        assert response.status_code == 200
        assert f"Your close vote ({career()}) is recorded: {number} of {needed}." in text_of(
            response.content
        )
        assert fresh(question).closed_at is None

    client.force_login(voters[-1])
    response = client.post(close_url(question), {"reason": career().pk}, follow=True)

    assert response.status_code == 200
    assert "The question is closed." in text_of(response.content)
    question = fresh(question)
    assert question.closed_at is not None
    assert set(votes_of(question).values_list("state", flat=True)) == {VoteState.COMPLETED}


def test_it_closes_as_a_duplicate_given_by_url_or_number(client):
    question = QuestionFactory()
    target = QuestionFactory()
    AnswerFactory(question=target)
    voters = closers(qasite_setting("CLOSE_VOTES_TO_CLOSE"))
    forms = [
        f"https://example.com{target.get_absolute_url()}",
        str(target.pk),
        f"#{target.pk}",
    ]

    for voter, given in zip(voters, forms, strict=False):
        client.force_login(voter)
        response = client.post(close_url(question), {"reason": duplicate().pk, "duplicate": given})
        assert response.status_code == 302, given

    question = fresh(question)
    assert question.closed_at is not None
    assert set(votes_of(question).values_list("duplicate_of", flat=True)) == {target.pk}
    assert question.close_notice["duplicates"] == [{"id": target.pk, "title": target.title}]


def test_it_keeps_the_comment_of_something_else(client):
    question = QuestionFactory()
    client.force_login(closer())

    response = client.post(
        close_url(question),
        {"reason": something_else().pk, "comment": "  This is about tax law, not data.  "},
    )

    assert response.status_code == 302
    assert votes_of(question).get().comment == "This is about tax law, not data."


def bad_inputs():
    """(name, data builder, message shown) for refused close votes."""
    return [
        ("no reason", lambda q, t, u: {}, "Choose why this question should be closed."),
        (
            "the off-topic group",
            lambda q, t, u: {"reason": off_topic_group().pk},
            "Select a valid choice.",
        ),
        (
            "something else without comment",
            lambda q, t, u: {"reason": something_else().pk, "comment": "   "},
            "Say why this question is off-topic here.",
        ),
        (
            "duplicate without target",
            lambda q, t, u: {"reason": duplicate().pk},
            "Give the question this one duplicates.",
        ),
        (
            "duplicate of itself by URL",
            lambda q, t, u: {
                "reason": duplicate().pk,
                "duplicate": f"http://testserver{q.get_absolute_url()}",
            },
            "A question can't be a duplicate of itself.",
        ),
        (
            "duplicate of itself by number",
            lambda q, t, u: {"reason": duplicate().pk, "duplicate": str(q.pk)},
            "A question can't be a duplicate of itself.",
        ),
        (
            "duplicate of an unanswered question",
            lambda q, t, u: {"reason": duplicate().pk, "duplicate": str(u.pk)},
            "The duplicate target has no answers yet",
        ),
        (
            "duplicate of an unknown number",
            lambda q, t, u: {"reason": duplicate().pk, "duplicate": "987654"},
            "There is no question number 987654.",
        ),
        (
            "duplicate given as garbage",
            lambda q, t, u: {"reason": duplicate().pk, "duplicate": "that other one"},
            "Give the question's URL or its number.",
        ),
        (
            "duplicate given in superscript digits",
            lambda q, t, u: {"reason": duplicate().pk, "duplicate": "²"},
            "Give the question's URL or its number.",
        ),
        (
            "duplicate given in circled digits after a hash",
            lambda q, t, u: {"reason": duplicate().pk, "duplicate": "#①"},
            "Give the question's URL or its number.",
        ),
        (
            "duplicate given as a URL with other digits",
            lambda q, t, u: {"reason": duplicate().pk, "duplicate": "/questions/٣/"},
            "Give the question's URL or its number.",
        ),
        (
            "duplicate given as a number no question can have",
            lambda q, t, u: {"reason": duplicate().pk, "duplicate": "9" * 40},
            "There is no question number " + "9" * 40 + ".",
        ),
        (
            "an unknown reason",
            lambda q, t, u: {"reason": "999999"},
            "Select a valid choice.",
        ),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [pytest.param(build, message, id=name) for name, build, message in bad_inputs()],
)
def test_it_rerenders_bad_input_with_a_message_and_changes_nothing(client, data, message):
    question = QuestionFactory()
    target = QuestionFactory()
    AnswerFactory(question=target)
    unanswered = QuestionFactory()
    vote_to_close(question, [closer()], opinion())
    client.force_login(closer())
    before = snapshot(question)
    # A browser always sends the text fields, empty or not.
    posted = {"duplicate": "", "comment": "", **data(question, target, unanswered)}

    response = client.post(close_url(question), posted)

    assert response.status_code == 400
    content = response.content.decode()
    assert 'role="alert"' in content
    assert message in text_of(content)
    assert "Why should this question be closed?" in text_of(content)
    assert snapshot(question) == before
    # What was typed is shown again.
    if posted.get("duplicate"):
        assert f'value="{html.escape(posted["duplicate"])}"' in content


def test_it_explains_an_empty_post(client):
    question = QuestionFactory()
    client.force_login(closer())

    response = client.post(close_url(question), {})

    assert response.status_code == 400
    assert "Choose why this question should be closed." in text_of(response.content)


def test_it_refuses_a_second_vote_by_the_same_user(client):
    question = QuestionFactory()
    client.force_login(closer())
    assert client.post(close_url(question), {"reason": career().pk}).status_code == 302
    before = snapshot(question)

    response = client.post(close_url(question), {"reason": opinion().pk})

    assert response.status_code == 400
    assert "You have already voted to close this question." in text_of(response.content)
    assert snapshot(question) == before


# Retraction -----------------------------------------------------------------------------------


def retract_url(question) -> str:
    return f"/questions/{question.pk}/close/retract/"


@pytest.mark.parametrize("level", VOTE_LEVELS)
def test_it_answers_retract_for_each_level(client, level):
    _, question = setup(client, level)

    response = client.post(retract_url(question), follow=level != "anonymous")

    if level == "anonymous":
        assert is_login_redirect(response)
    else:
        assert response.status_code == 200
        assert "You have no pending close vote on this question." in text_of(response.content)


def test_it_retracts_only_by_post(client):
    question = QuestionFactory()
    client.force_login(closer())
    assert client.get(retract_url(question)).status_code == 405


def test_it_retracts_a_pending_vote(client):
    question = QuestionFactory()
    voter = closer()
    other = closer()
    vote_to_close(question, [other, voter], career())
    client.force_login(voter)

    response = client.post(retract_url(question), follow=True)

    assert response.status_code == 200
    assert "Your close vote was retracted. You can't vote again here." in text_of(response.content)
    assert votes_of(question).get(voter=voter).state == VoteState.RETRACTED
    assert votes_of(question).get(voter=other).state == VoteState.PENDING
    assert fresh(question).close_votes_pending == 1


def test_it_refuses_a_new_vote_after_a_retraction(client):
    question = QuestionFactory()
    voter = closer()
    client.force_login(voter)
    client.post(close_url(question), {"reason": career().pk})
    client.post(retract_url(question))
    before = snapshot(question)

    response = client.post(close_url(question), {"reason": career().pk})

    assert response.status_code == 400
    assert "You retracted your close vote; you can't vote again here." in text_of(response.content)
    assert snapshot(question) == before


def test_it_hides_the_close_link_after_a_retraction(client):
    question = QuestionFactory()
    voter = closer()
    client.force_login(voter)
    client.post(close_url(question), {"reason": career().pk})
    client.post(retract_url(question))

    content = client.get(question.get_absolute_url()).content.decode()

    assert "Retract close vote" not in content
    assert f'href="{close_url(question)}"' not in content


def test_it_shows_the_retract_button_to_a_pending_voter(client):
    question = QuestionFactory()
    voter = closer()
    vote_to_close(question, [closer(), voter], career())
    client.force_login(voter)

    content = client.get(question.get_absolute_url()).content.decode()

    assert f'action="{retract_url(question)}"' in content
    assert f"Retract close vote (2/{qasite_setting('CLOSE_VOTES_TO_CLOSE')})" in text_of(content)
    assert f'href="{close_url(question)}"' not in content
