"""Closed questions take no new answers, except one begun before the closure and posted
within ``ANSWER_GRACE_AFTER_CLOSE_HOURS``; comments, votes and edits stay allowed."""

import html
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation import services as moderation_services
from moderation.models import CloseReason
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from threads import rules
from threads.models import Post

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 5, 5, 14, 0, tzinfo=UTC)
DRAFT = "Use pandas.read_csv with sep=';' so the semicolons split the columns properly."


def grace() -> timedelta:
    return timedelta(hours=qasite_setting("ANSWER_GRACE_AFTER_CLOSE_HOURS"))


def fresh(post: Post) -> Post:
    return Post.objects.select_related("parent").get(pk=post.pk)


def close_now(question: Post) -> Post:
    moderation_services.close_vote_cast(
        voter=UserFactory(is_moderator=True),
        question=question,
        reason=CloseReason.objects.get(name="Opinion-based"),
    )
    closed = fresh(question)
    assert closed.closed_at is not None
    return closed


@pytest.fixture
def traveller():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


# The rule ----------------------------------------------------------------------------------


def test_it_refuses_answers_on_a_closed_question():
    question = close_now(QuestionFactory())

    with pytest.raises(PermissionDenied, match="closed"):
        rules.check_answer_permission(UserFactory(), question)
    with pytest.raises(PermissionDenied, match="closed"):
        rules.check_answer_permission(UserFactory(is_moderator=True), question)


def test_it_allows_an_answer_begun_before_the_closure_within_the_grace(traveller):
    question = QuestionFactory()
    started = T0
    traveller.shift(timedelta(minutes=10))
    question = close_now(question)
    user = UserFactory()

    rules.check_answer_permission(user, question, started)
    traveller.shift(grace() - timedelta(seconds=1))
    rules.check_answer_permission(user, question, started)


def test_it_refuses_an_answer_begun_before_the_closure_after_the_grace(traveller):
    question = QuestionFactory()
    started = T0
    traveller.shift(timedelta(minutes=10))
    question = close_now(question)

    traveller.shift(grace())

    with pytest.raises(PermissionDenied, match="closed"):
        rules.check_answer_permission(UserFactory(), question, started)


def test_it_refuses_an_answer_begun_after_the_closure(traveller):
    question = close_now(QuestionFactory())
    traveller.shift(timedelta(minutes=1))

    with pytest.raises(PermissionDenied, match="closed"):
        rules.check_answer_permission(UserFactory(), question, T0 + timedelta(seconds=30))
    with pytest.raises(PermissionDenied, match="closed"):
        rules.check_answer_permission(UserFactory(), question, question.closed_at)


def test_it_honours_a_changed_grace(traveller, settings):
    settings.QASITE = {**settings.QASITE, "ANSWER_GRACE_AFTER_CLOSE_HOURS": 1}
    question = QuestionFactory()
    traveller.shift(timedelta(minutes=1))
    question = close_now(question)

    traveller.shift(timedelta(hours=1))

    with pytest.raises(PermissionDenied, match="closed"):
        rules.check_answer_permission(UserFactory(), question, T0)


def test_it_keeps_the_grace_below_locks(traveller):
    """A lock refuses even an answer begun before the closure."""
    question = QuestionFactory()
    traveller.shift(timedelta(minutes=1))
    question = close_now(question)
    moderation_services.post_lock(
        actor=UserFactory(is_moderator=True), post=question, kind="historical", duration="1d"
    )

    with pytest.raises(PermissionDenied, match="locked"):
        rules.check_answer_permission(UserFactory(), fresh(question), T0)


def test_it_keeps_comments_votes_edits_and_accepts_on_a_closed_question():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    comment = CommentFactory(post=answer, author=answer.author)
    question = close_now(question)
    answer = fresh(answer)
    user = UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation)

    for post in (question, answer):
        rules.check_comment_permission(user, post)
        rules.check_vote_permission(user, post, 1)
        rules.check_vote_permission(user, post, -1)
        rules.check_edit_post_permission(user, post)
        rules.check_edit_post_permission(post.author, post)
    rules.check_vote_comment_permission(user, comment)
    rules.check_accept_answer_permission(question.author, answer)


# Through the pages ---------------------------------------------------------------------------


@pytest.fixture
def answerer(client):
    user = UserFactory()
    client.force_login(user)
    return user


def started_value(response) -> str:
    content = response.content.decode()
    match = re.search(r'<input type="hidden" name="started" value="([^"]*)"', content)
    assert match, "the answer form carries no started field"
    return html.unescape(match.group(1))


def textarea(response) -> str:
    content = response.content.decode()
    match = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', content, re.S)
    assert match, "no draft textarea"
    return html.unescape(match.group(1)).strip()


def post_answer(client, question, started: str):
    return client.post(
        f"/questions/{question.pk}/answer/",
        {"body": DRAFT, "token": str(uuid.uuid4()), "started": started},
    )


def answers_of(question):
    return Post.objects.answers().filter(parent=question)


def test_it_posts_an_answer_begun_before_the_closure(client, answerer, traveller):
    question = QuestionFactory()
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200
    started = started_value(page)
    traveller.shift(timedelta(minutes=20))
    close_now(question)
    traveller.shift(timedelta(minutes=20))

    response = post_answer(client, question, started)

    answer = answers_of(question).get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#answer-{answer.pk}")
    assert answer.author == answerer
    assert fresh(question).answer_count == 1


def test_it_refuses_the_same_answer_after_the_grace(client, answerer, traveller):
    question = QuestionFactory()
    started = started_value(client.get(question.get_absolute_url()))
    traveller.shift(timedelta(minutes=1))
    close_now(question)
    traveller.shift(grace())

    response = post_answer(client, question, started)

    assert response.status_code == 403
    assert textarea(response) == DRAFT
    assert not answers_of(question).exists()


def test_it_offers_no_answer_form_once_closed(client, answerer):
    question = close_now(QuestionFactory())

    content = client.get(question.get_absolute_url()).content.decode()

    assert 'name="started"' not in content
    assert "closed" in content


@pytest.mark.parametrize(
    "forged",
    [
        pytest.param("", id="missing"),
        pytest.param("garbage", id="garbage"),
        pytest.param(str(T0.timestamp()), id="unsigned timestamp"),
        pytest.param(
            signing.dumps(T0.timestamp(), salt="another-form"), id="signed for another purpose"
        ),
        pytest.param("tampered", id="tampered signature"),
    ],
)
def test_it_refuses_a_forged_start_and_keeps_the_draft(client, answerer, traveller, forged):
    question = QuestionFactory()
    genuine = started_value(client.get(question.get_absolute_url()))
    if forged == "tampered":
        value, signature = genuine.rsplit(":", 1)
        forged = f"{value}:{signature[::-1]}"
    traveller.shift(timedelta(minutes=10))
    close_now(question)
    traveller.shift(timedelta(minutes=10))

    response = post_answer(client, question, forged)

    assert response.status_code == 403
    assert textarea(response) == DRAFT
    assert "closed" in html.unescape(response.content.decode())
    assert not answers_of(question).exists()
