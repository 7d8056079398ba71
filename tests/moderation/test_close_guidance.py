"""The asker's close-vote guidance on the question page (docs/rules.md, "Close votes"): the
reasons chosen as counts without names, and what to fix, whatever the asker's reputation."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import QuestionFactory, UserFactory
from tests.moderation import closer, closers, needs_details, opinion, to_close, vote_to_close
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    return QuestionFactory(author=UserFactory(reputation=1))


def guidance_on_page(client, question) -> str:
    page = client.get(question.get_absolute_url()).content.decode()
    start = page.find('class="notice close-guidance"')
    return "" if start < 0 else text_of(page[start : page.find("</aside>", start)])


def test_the_asker_sees_the_reasons_as_counts_and_their_guidance(client, question):
    voters = closers(2)
    vote_to_close(question, voters[:1], opinion())
    vote_to_close(question, voters[1:], needs_details())
    client.force_login(question.author)

    notice = guidance_on_page(client, question)

    assert f"2 of {to_close()} votes to close your question" in notice
    assert "Opinion-based (1 vote)" in notice
    assert "Needs details or clarity (1 vote)" in notice
    assert opinion().asker_guidance[:40] in notice
    for voter in voters:
        assert voter.name not in notice


def test_nobody_else_sees_the_guidance(client, question):
    vote_to_close(question, [closer()])

    assert guidance_on_page(client, question) == ""
    client.force_login(closer())
    assert guidance_on_page(client, question) == ""


def test_no_guidance_without_votes_once_closed_or_once_the_votes_aged(client, question):
    client.force_login(question.author)
    assert guidance_on_page(client, question) == ""

    vote_to_close(question, [closer()])
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert guidance_on_page(client, question) == ""

    vote_to_close(question, closers(to_close() - 1))
    assert guidance_on_page(client, question) == ""  # closed: the close notice says it now
