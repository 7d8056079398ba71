"""What close and reopen reviewers see to decide (docs/rules.md, "Review queues"): the pending
votes with their reasons and voters, the question's comments, the closure under review and
the edits since it, in a constant number of queries."""

import re

import pytest

from moderation import services
from moderation.models import ReviewQueue
from tests.factories import CommentFactory, QuestionFactory
from tests.moderation import (
    answered_question,
    close,
    closer,
    closers,
    duplicate,
    opinion,
    something_else,
)
from tests.pages import text_of
from tests.queries import measure
from threads import services as threads_services

pytestmark = pytest.mark.django_db


def queue_url(queue) -> str:
    return f"/review/{queue}/"


def test_a_close_reviewer_sees_the_pending_votes_their_reasons_and_the_comments(client):
    question = QuestionFactory(title="A question with pending close votes")
    target = QuestionFactory(title="The question it duplicates here")
    first, second, third = closers(3)
    services.close_vote_cast(voter=first, question=question, reason=opinion())
    services.close_vote_cast(
        voter=second, question=question, reason=something_else(), comment="Belongs on Meta."
    )
    CommentFactory(post=question, body="Could you show the code you ran, please?")
    client.force_login(third)

    content = client.get(queue_url(ReviewQueue.CLOSE)).content.decode()
    page = text_of(content)

    assert "Pending close votes (2)" in page
    assert f"Opinion-based – {first.name}" in page
    assert f"{second.name}" in page and "“Belongs on Meta.”" in page
    assert "Comments (1)" in page
    assert "Could you show the code you ran, please?" in page
    assert target.title not in page


def test_a_close_reviewer_sees_a_duplicate_votes_target(client):
    question = QuestionFactory(title="A question with a duplicate vote")
    target = answered_question(title="The question it duplicates here")
    services.close_vote_cast(
        voter=closer(), question=question, reason=duplicate(), duplicate_of=target
    )
    client.force_login(closer())

    content = client.get(queue_url(ReviewQueue.CLOSE)).content.decode()

    assert re.search(rf'href="[^"]*/{target.pk}[/"]', content)
    assert "The question it duplicates here" in text_of(content)


def test_a_reopen_reviewer_sees_the_closure_the_reopen_votes_and_the_edits(client):
    question = close(QuestionFactory(title="The title before closing it"))
    threads_services.post_edit(
        editor=question.author,
        post=question,
        title="The title after an edit by the asker",
        body=question.body + " Zanzibar details added.",
        tags=["python"],
    )
    voter = closer()
    services.reopen_vote_cast(voter=voter, question=question)
    client.force_login(closer())

    content = client.get(queue_url(ReviewQueue.REOPEN)).content.decode()
    page = text_of(content)

    assert "Closed as “Opinion-based”" in page
    assert "Pending reopen votes (1)" in page
    assert f"Reopen – {voter.name}" in page
    assert "Changes since the question was closed" in page
    assert "Title:" in page
    assert "Zanzibar" in " ".join(re.findall(r"<ins>(.*?)</ins>", content))


def test_the_close_review_costs_the_same_with_more_votes_and_comments(client):
    question = QuestionFactory()
    services.close_vote_cast(voter=closer(), question=question, reason=opinion())
    CommentFactory(post=question)
    client.force_login(closer())
    measure(client, queue_url(ReviewQueue.CLOSE))
    few, _ = measure(client, queue_url(ReviewQueue.CLOSE))
    services.close_vote_cast(
        voter=closer(), question=question, reason=duplicate(), duplicate_of=answered_question()
    )
    for _ in range(4):
        CommentFactory(post=question)
    many, sql = measure(client, queue_url(ReviewQueue.CLOSE))
    assert few == many, "\n".join(sql)


def test_the_reopen_review_costs_the_same_with_more_votes(client):
    question = close(QuestionFactory())
    services.reopen_vote_cast(voter=closer(), question=question)
    client.force_login(closer())
    measure(client, queue_url(ReviewQueue.REOPEN))
    few, _ = measure(client, queue_url(ReviewQueue.REOPEN))
    services.reopen_vote_cast(voter=closer(), question=question)
    CommentFactory(post=question)
    many, sql = measure(client, queue_url(ReviewQueue.REOPEN))
    assert few == many, "\n".join(sql)
