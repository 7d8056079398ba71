"""The public timeline of a question, the moderation log (10k and moderators) and the
on-topic help page."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.privileges import Privilege
from moderation import services
from moderation.models import CloseReason, ModerationEvent
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.moderation import (
    assert_answered,
    career,
    closer,
    closers,
    moderator,
    off_topic_group,
    opinion,
    vote_to_close,
)
from tests.pages import text_of
from threads import services as threads_services

pytestmark = pytest.mark.django_db

ROW_RE = re.compile(r'<tr class="timeline-[^"]*">(.*?)</tr>', re.S)
BODY_ROW_RE = re.compile(r"<tbody>(.*?)</tbody>", re.S)
CELL_RE = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
LEVELS = ["anonymous", "rep1", "rep250", "rep3000", "rep10k", "rep15k", "moderator"]


def login_at(client, level: str):
    reputation = {
        "rep1": 1,
        "rep250": Privilege.CLOSE_OWN_QUESTION.reputation,
        "rep3000": Privilege.CAST_CLOSE_VOTES.reputation,
        "rep10k": Privilege.MODERATOR_TOOLS.reputation,
        "rep15k": Privilege.PROTECT_QUESTIONS.reputation,
    }
    if level == "anonymous":
        return None
    user = moderator() if level == "moderator" else UserFactory(reputation=reputation[level])
    client.force_login(user)
    return user


def timeline_rows(content: str) -> list[list[str]]:
    return [[text_of(cell) for cell in CELL_RE.findall(row)] for row in ROW_RE.findall(content)]


# Timeline -------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_it_shows_the_timeline_to_everyone(client, level):
    question = QuestionFactory()
    login_at(client, level)

    response = client.get(f"/questions/{question.pk}/timeline/")

    assert response.status_code == 200
    assert f"Timeline for {question.title}" in text_of(response.content)


def test_it_has_no_timeline_for_an_answer_or_an_unknown_question(client):
    answer = AnswerFactory()
    assert client.get(f"/questions/{answer.pk}/timeline/").status_code == 404
    assert client.get("/questions/999999/timeline/").status_code == 404


@pytest.fixture
def history():
    """A question asked, answered, edited, closed by three votes and reopened by a moderator,
    an hour between steps."""
    start = timezone.now() - timedelta(days=2)
    asker = UserFactory(display_name="Ada Asker")
    answerer = UserFactory(display_name="Ben Answerer")
    editor = UserFactory(display_name="Eve Editor", reputation=Privilege.EDIT_ANY_POST.reputation)
    voters = [closer(display_name=name) for name in ("Carol C", "Dan D", "Erin E")]
    opener = closer(display_name="Fay Opener")
    mod = moderator(display_name="Mona Moderator")

    def at(hours):
        return time_machine.travel(start + timedelta(hours=hours))

    with at(0):
        question = QuestionFactory(author=asker, title="How do I compute a rolling mean")
    with at(1):
        answer = AnswerFactory(question=question, author=answerer)
    with at(2):
        threads_services.post_edit(
            editor=editor,
            post=question,
            title=question.title,
            body=question.body + " With a seven day window.",
            summary="added the window",
        )
    for hours, voter in enumerate(voters, start=3):
        with at(hours):
            services.close_vote_cast(voter=voter, question=question, reason=career())
    with at(6):
        services.reopen_vote_cast(voter=opener, question=question)
    with at(7):
        services.reopen_vote_cast(voter=mod, question=question)
    return question, answer


def test_it_lists_the_history_in_time_order_with_actors(client, history):
    question, answer = history

    content = client.get(f"/questions/{question.pk}/timeline/").content.decode()
    rows = timeline_rows(content)

    assert [(row[1], row[3]) for row in rows] == [
        ("asked", "Ada Asker"),
        ("answered", "Ben Answerer"),
        ("edited", "Eve Editor"),
        ("close vote", "Carol C"),
        ("close vote", "Dan D"),
        ("close vote", "Erin E"),
        ("closed", "Community"),
        ("reopen vote", "Fay Opener"),
        ("reopen vote", "Mona Moderator"),
        ("reopened", "Mona Moderator"),
    ]
    times = re.findall(r'<time datetime="([^"]+)"', content.split("<tbody>")[1])
    assert times == sorted(times)
    assert rows[1][2] == "answer"
    assert f'href="/a/{answer.pk}"' in content
    assert rows[2][4].startswith("revision 2")
    assert rows[2][4].endswith("added the window")
    assert str(career()) in rows[3][4]
    assert rows[6][4] == f"{career()} — voters: Carol C, Dan D, Erin E"
    assert rows[9][4].endswith("voters: Mona Moderator")


def test_it_shows_the_timeline_of_a_closed_question_from_the_notice(client):
    question = QuestionFactory()
    vote_to_close(question, closers(3), opinion())

    page = client.get(question.get_absolute_url()).content.decode()

    assert f'href="/questions/{question.pk}/timeline/"' in page


def test_it_adds_locks_protection_and_deletion_to_the_timeline(client):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    mod = moderator(display_name="Mona Moderator")
    client.force_login(mod)
    client.post(f"/posts/{answer.pk}/lock/", {"kind": "content_dispute", "duration": "1h"})
    client.post(f"/posts/{answer.pk}/unlock/")
    client.post(f"/questions/{question.pk}/protect/")
    client.post(f"/posts/{answer.pk}/delete/")
    client.post(f"/posts/{answer.pk}/undelete/")

    rows = timeline_rows(client.get(f"/questions/{question.pk}/timeline/").content.decode())

    assert [(row[1], row[2], row[3]) for row in rows[2:]] == [
        ("locked", "answer", "Mona Moderator"),
        ("unlocked", "answer", "Mona Moderator"),
        ("protected", "question", "Mona Moderator"),
        ("deleted", "answer", "Mona Moderator"),
        ("undeleted", "answer", "Mona Moderator"),
    ]


def test_it_hides_deleted_answers_from_the_public_timeline(client):
    question = QuestionFactory()
    answer = AnswerFactory(question=question, author=UserFactory(display_name="Zed Spammer"))
    threads_services.post_delete(actor=moderator(), post=answer)

    content = client.get(f"/questions/{question.pk}/timeline/").content.decode()

    assert client.get(f"/a/{answer.pk}").status_code == 404
    assert "Zed Spammer" not in text_of(content)
    assert f'href="/a/{answer.pk}"' not in content


def test_it_shows_deleted_answers_on_the_timeline_to_10k_users(client):
    question = QuestionFactory()
    answer = AnswerFactory(question=question, author=UserFactory(display_name="Zed Spammer"))
    threads_services.post_delete(actor=moderator(), post=answer)
    login_at(client, "rep10k")

    content = client.get(f"/questions/{question.pk}/timeline/").content.decode()

    assert "Zed Spammer" in text_of(content)
    assert client.get(f"/a/{answer.pk}").status_code == 302


# Moderation log -------------------------------------------------------------------------------

CAN_SEE_LOG = {
    "anonymous": "login",
    "rep1": 403,
    "rep250": 403,
    "rep3000": 403,
    "rep10k": 200,
    "rep15k": 200,
    "moderator": 200,
}


@pytest.mark.parametrize("level", LEVELS)
def test_it_shows_the_moderation_log_from_10k(client, level):
    login_at(client, level)

    response = client.get("/moderation/log/")

    expected = CAN_SEE_LOG[level]
    assert_answered(
        response,
        expected,
        f"The moderation log needs {Privilege.MODERATOR_TOOLS.reputation} reputation.",
    )
    if expected == 200:
        assert "Nothing has been moderated yet." in text_of(response.content)


def test_it_lists_events_newest_first_with_actors_and_questions(client):
    first = QuestionFactory(title="The first question that was closed")
    second = QuestionFactory(title="The second question that was locked")
    voters = [closer(display_name=name) for name in ("Carol C", "Dan D", "Erin E")]
    mod = moderator(display_name="Mona Moderator")
    vote_to_close(first, voters, opinion())
    services.post_lock(actor=mod, post=second, kind="historical", duration="permanent")
    client.force_login(UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation))

    content = client.get("/moderation/log/").content.decode()
    body = BODY_ROW_RE.search(content).group(1)
    rows = [
        [text_of(cell) for cell in CELL_RE.findall(row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]

    assert [(row[1], row[2], row[3]) for row in rows] == [
        ("Locked", second.title, "Mona Moderator"),
        ("Closed", first.title, "Community"),
        ("Close vote", first.title, "Erin E"),
        ("Close vote", first.title, "Dan D"),
        ("Close vote", first.title, "Carol C"),
    ]
    assert rows[0][4] == "Historical significance"
    assert rows[1][4] == "Opinion-based"
    assert f'href="/questions/{first.pk}/timeline/"' in content


def test_it_pages_the_moderation_log(client):
    question = QuestionFactory()
    mod = moderator()
    for _ in range(30):
        services.question_protect(actor=mod, question=question, protect=True)
        services.question_protect(actor=mod, question=question, protect=False)
    assert ModerationEvent.objects.count() == 60
    client.force_login(mod)

    first = client.get("/moderation/log/").content.decode()
    second = client.get("/moderation/log/?page=2").content.decode()

    assert len(re.findall(r"<tr>", BODY_ROW_RE.search(first).group(1))) == 50
    assert len(re.findall(r"<tr>", BODY_ROW_RE.search(second).group(1))) == 10


# On-topic help --------------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_it_shows_the_on_topic_help_to_everyone(client, level):
    login_at(client, level)

    response = client.get("/help/on-topic/")

    assert response.status_code == 200
    seen = text_of(response.content)
    assert "What topics can I ask about here?" in seen
    for reason in CloseReason.objects.filter(is_active=True):
        assert reason.name in seen, reason.name
        assert reason.brief_description in seen, reason.name


def test_it_drops_inactive_reasons_from_the_help(client):
    CloseReason.objects.filter(pk__in=[opinion().pk, career().pk]).update(is_active=False)

    content = client.get("/help/on-topic/").content.decode()
    seen = text_of(content)

    assert opinion().name not in seen
    assert opinion().brief_description not in seen
    assert career().name not in seen
    assert f'id="reason-{career().pk}"' not in content
    assert off_topic_group().name in seen  # other sub-reasons remain


def test_it_drops_the_off_topic_group_without_active_sub_reasons(client):
    off_topic_group().children.update(is_active=False)

    seen = text_of(client.get("/help/on-topic/").content)

    assert off_topic_group().brief_description not in seen
    assert opinion().name in seen


def test_it_links_the_help_from_the_close_notice(client):
    question = QuestionFactory()
    vote_to_close(question, closers(3), career())

    assert 'href="/help/on-topic/"' in client.get(question.get_absolute_url()).content.decode()
