"""The question page of a closed question and of one with pending close votes: the notice,
the title's state, the refused answer form, the asker's guidance, duplicates, and who sees
the pending count."""

import html
import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation import services
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.moderation import (
    answered_question,
    career,
    closer,
    duplicate,
    fresh,
    moderator,
    off_topic_group,
    opinion,
    something_else,
    to_close,
    vote_to_close,
)
from tests.pages import text_of
from threads.models import Post

pytestmark = pytest.mark.django_db

H1_RE = re.compile(r'<h1 id="question-title">(.*?)</h1>', re.S)
ROW_TITLE_RE = re.compile(r"<h3>(.*?)</h3>", re.S)
ANSWER_BODY = "Use a rolling window of seven days and take the mean of each window."


def page(client, question) -> str:
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def title_of(content: str) -> str:
    return text_of(H1_RE.search(content).group(1))


def named_closers(*names):
    return [closer(display_name=name) for name in names]


@pytest.fixture
def asker():
    return UserFactory(display_name="Ada Asker", reputation=Privilege.CLOSE_OWN_QUESTION.reputation)


@pytest.fixture
def closed(asker):
    """Closed as career advice by three named voters."""
    question = QuestionFactory(author=asker, title="Which data science job pays the most")
    AnswerFactory(question=question)
    voters = named_closers("Carol Closer", "Dan Closer", "Erin Closer")
    vote_to_close(question, voters, career())
    return fresh(question), voters


# The notice -----------------------------------------------------------------------------------


def test_it_shows_the_close_notice_with_the_reason_texts_and_voters(client, closed):
    question, voters = closed

    content = page(client, question)
    seen = text_of(content)

    assert 'class="close-notice"' in content
    assert f"Closed. {off_topic_group().post_notice}" in seen
    assert career().post_notice in seen
    assert "Closed" in seen and "by Carol Closer, Dan Closer, Erin Closer" in seen
    for voter in voters:
        assert f'<a href="/users/{voter.pk}/">{voter.name}</a>' in content
    assert f'href="/questions/{question.pk}/timeline/"' in content
    assert 'href="/help/on-topic/"' in content


def test_it_marks_the_title_closed(client, closed):
    question, _ = closed
    assert title_of(page(client, question)).endswith("[closed]")


@pytest.mark.parametrize("level", ["anonymous", "rep1", "rep3000", "moderator"])
def test_it_offers_no_answer_form_on_a_closed_question(client, closed, level):
    question, _ = closed
    if level != "anonymous":
        reputation = 1 if level == "rep1" else Privilege.CAST_CLOSE_VOTES.reputation
        client.force_login(
            moderator() if level == "moderator" else UserFactory(reputation=reputation)
        )

    content = page(client, question)

    assert 'class="answer-form"' not in content
    if level != "anonymous":
        assert "This question is closed: it accepts no new answers." in text_of(content)


def test_it_refuses_an_answer_to_a_closed_question_and_keeps_the_draft(client, closed):
    question, _ = closed
    client.force_login(UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation))
    answers_before = fresh(question).answer_count

    response = client.post(
        f"/questions/{question.pk}/answer/", {"body": ANSWER_BODY, "token": str(uuid.uuid4())}
    )

    assert response.status_code == 403
    content = response.content.decode()
    assert "This question is closed: it accepts no new answers." in text_of(content)
    assert ANSWER_BODY in html.unescape(content)
    assert 'class="answer-form"' in content
    assert fresh(question).answer_count == answers_before


def test_it_shows_the_asker_their_guidance(client, closed, asker):
    question, _ = closed
    client.force_login(asker)

    seen = text_of(page(client, question))

    assert f"Want to improve this question? {career().asker_guidance}" in seen


@pytest.mark.parametrize("level", ["anonymous", "rep1", "rep3000", "voter", "moderator"])
def test_it_hides_the_asker_guidance_from_others(client, closed, level):
    question, voters = closed
    if level == "voter":
        client.force_login(voters[0])
    elif level == "moderator":
        client.force_login(moderator())
    elif level != "anonymous":
        reputation = 1 if level == "rep1" else Privilege.CAST_CLOSE_VOTES.reputation
        client.force_login(UserFactory(reputation=reputation))

    content = page(client, question)

    assert "asker-guidance" not in content
    assert career().asker_guidance not in text_of(content)


def test_it_names_a_standard_reason_without_a_group(client):
    question = QuestionFactory()
    vote_to_close(question, named_closers("A One", "B Two", "C Three"), opinion())

    seen = text_of(page(client, question))

    assert f"Closed. {opinion().post_notice}" in seen
    assert off_topic_group().post_notice not in seen


def test_it_quotes_the_comment_of_something_else(client):
    question = QuestionFactory()
    voters = named_closers("A One", "B Two", "C Three")
    vote_to_close(question, voters, something_else(), comment="This is a question about tax law.")

    seen = text_of(page(client, question))

    assert something_else().post_notice in seen
    assert "This is a question about tax law. – A One" in seen


def test_it_marks_a_moderators_binding_vote(client):
    question = QuestionFactory()
    mod = moderator(display_name="Mona Moderator")
    vote_to_close(question, [mod], opinion())

    content = page(client, question)

    assert f'<a href="/users/{mod.pk}/">Mona Moderator</a><span class="binding"' in content
    assert "[closed]" in title_of(content)


# Duplicates -----------------------------------------------------------------------------------


@pytest.fixture
def dupe():
    target = QuestionFactory(title="How do I compute a rolling mean with pandas")
    AnswerFactory(question=target)
    question = QuestionFactory(title="Rolling average of a DataFrame column")
    vote_to_close(
        question,
        named_closers("A One", "B Two", "C Three"),
        duplicate(),
        duplicate_of=Post.objects.get(pk=target.pk),
    )
    return fresh(question), target


def test_it_links_a_duplicate_to_its_target(client, dupe):
    question, target = dupe

    content = page(client, question)

    assert "This question already has an answer here:" in text_of(content)
    assert f'<a href="/q/{target.pk}">{target.title}</a>' in content
    assert title_of(content).endswith("[duplicate]")
    assert "[closed]" not in title_of(content)
    assert client.get(f"/q/{target.pk}").url == target.get_absolute_url()


def test_it_marks_duplicates_and_closed_questions_in_the_list(client, dupe, closed):
    question, target = dupe
    closed_question, _ = closed

    content = client.get("/questions/").content.decode()
    rows = {text_of(row) for row in ROW_TITLE_RE.findall(content)}

    assert f"{question.title} [duplicate]" in rows
    assert f"{closed_question.title} [closed]" in rows
    assert target.title in rows


# The pending count ----------------------------------------------------------------------------


def pending_question(asker):
    """Two close votes pending (of three)."""
    question = QuestionFactory(author=asker)
    voters = [closer(), closer()]
    vote_to_close(question, voters, career())
    return fresh(question), voters


def viewer(level: str, asker):
    return {
        "anonymous": None,
        "rep1": lambda: UserFactory(reputation=1),
        "asker1": lambda: asker,
        "asker250": lambda: asker,
        "rep250": lambda: UserFactory(reputation=Privilege.CLOSE_OWN_QUESTION.reputation),
        "rep2999": lambda: UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation - 1),
        "rep3000": lambda: UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation),
        "rep10k": lambda: UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation),
        "rep15k": lambda: UserFactory(reputation=Privilege.PROTECT_QUESTIONS.reputation),
        "moderator": moderator,
    }[level]


# "button": the count on the Close button; "count": the count alone (an asker who cannot vote
# to close sees the votes on their own question whatever their reputation, docs/rules.md).
SEES_COUNT = {
    "anonymous": False,
    "rep1": False,
    "asker1": "count",
    "asker250": "button",
    "rep250": False,
    "rep2999": False,
    "rep3000": "button",
    "rep10k": "button",
    "rep15k": "button",
    "moderator": "button",
}


@pytest.mark.parametrize("level", list(SEES_COUNT))
def test_it_shows_the_pending_close_count_only_to_those_allowed(client, level):
    reputation = 1 if level == "asker1" else Privilege.CLOSE_OWN_QUESTION.reputation
    asker = UserFactory(reputation=reputation)
    question, _ = pending_question(asker)
    make = viewer(level, asker)
    if make is not None:
        client.force_login(make())
    needed = qasite_setting("CLOSE_VOTES_TO_CLOSE")

    content = page(client, question)
    seen = text_of(content)

    if SEES_COUNT[level] == "button":
        assert f"Close (2/{needed})" in seen
        assert f'href="/questions/{question.pk}/close/"' in content
    elif SEES_COUNT[level] == "count":
        assert "2 close votes" in seen
        assert f'href="/questions/{question.pk}/close/"' not in content
    else:
        assert "2/" not in seen
        assert "close vote" not in seen.lower()
        assert f'href="/questions/{question.pk}/close/"' not in content
    assert 'class="close-notice"' not in content
    assert "[closed]" not in title_of(content)


def test_it_shows_a_voter_the_retract_button_with_the_count(client):
    question, voters = pending_question(UserFactory())
    client.force_login(voters[0])
    needed = qasite_setting("CLOSE_VOTES_TO_CLOSE")

    content = page(client, question)

    assert f"Retract close vote (2/{needed})" in text_of(content)
    assert f'action="/questions/{question.pk}/close/retract/"' in content
    assert f"You voted to close: {career()}" in html.unescape(content)


def test_it_stops_showing_votes_that_aged_away(client):
    question, voters = pending_question(UserFactory())
    later = timezone.now() + timedelta(days=qasite_setting("CLOSE_VOTE_AGING_DAYS"), hours=1)

    with time_machine.travel(later):
        client.force_login(voters[0])  # a session from before would have expired
        seen = text_of(page(client, question))
        again = client.post(f"/questions/{question.pk}/close/", {"reason": opinion().pk})

    assert "Retract close vote" not in seen
    assert "(2/" not in seen
    assert "Close" in seen
    # An aged vote doesn't count, and its voter may vote again only after a wait.
    assert "aged away" in text_of(again.content)
    wait = timedelta(days=qasite_setting("REVOTE_AFTER_AGING_DAYS"))
    with time_machine.travel(later + wait):
        client.force_login(voters[0])
        again = client.post(f"/questions/{question.pk}/close/", {"reason": opinion().pk})
    assert again.status_code == 302
    assert fresh(question).close_votes_pending == 1


def test_close_tools_are_each_readers_own_on_a_shared_page():
    """The question page's main column is shared by readers with the same privileges; the
    close/reopen tools in it are filled in per reader."""
    question = answered_question()
    voter, other = closer(), closer()
    services.close_vote_cast(voter=voter, question=question, reason=career())
    pages = {}
    for reader in (other, voter, other):
        client = Client()
        client.force_login(reader)
        pages[reader] = text_of(client.get(question.get_absolute_url()))
    assert f"Retract close vote (1/{to_close()})" in pages[voter]
    assert "Retract close vote" not in pages[other]
    assert f"Close (1/{to_close()})" in pages[other]


def test_close_tools_follow_a_change_of_reputation_at_once():
    question = answered_question()
    reader = UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation - 1)
    client = Client()
    client.force_login(reader)
    assert f'href="/questions/{question.pk}/close/"' not in page(client, question)
    type(reader).objects.filter(pk=reader.pk).update(
        reputation=Privilege.CAST_CLOSE_VOTES.reputation
    )
    assert f'href="/questions/{question.pk}/close/"' in page(client, question)
