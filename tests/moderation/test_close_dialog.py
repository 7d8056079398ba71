"""The close dialog that informs (docs/rules.md, "Close votes: the close dialog"): pending
votes counted per reason, the duplicate search that keeps the chosen reason and comment
(a Search button without the script, HTML fragments for it), the chosen target's preview,
and a constant number of queries however many votes are pending."""

import re

import pytest
import time_machine
from django.utils import timezone

from moderation import aging
from moderation.models import CloseVote
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.moderation import (
    career,
    closer,
    closers,
    duplicate,
    opinion,
    something_else,
    vote_to_close,
)
from tests.pages import is_login_redirect, text_of
from tests.queries import measure

pytestmark = pytest.mark.django_db


def close_url(question) -> str:
    return f"/questions/{question.pk}/close/"


def dup_url(question) -> str:
    return f"/questions/{question.pk}/close/duplicates/"


def target_with_two_answers(body: str):
    """The duplicate target whose preview the tests read."""
    target = QuestionFactory(title="The target question here", body=body)
    AnswerFactory(question=target)
    AnswerFactory(question=target)
    return target


def reason_line(content: str, reason) -> str:
    """The text of the dialog's line for ``reason`` (from its radio to its help text)."""
    match = re.search(rf'id="reason-{reason.pk}"(.*?)<p class="help"', content, re.S)
    assert match, reason
    return text_of(match.group(1))


# Per-reason counts ---------------------------------------------------------------------------


def test_it_counts_pending_votes_per_reason(client):
    question = QuestionFactory()
    vote_to_close(question, closers(1), opinion())
    vote_to_close(question, closers(1), career())
    client.force_login(closer())

    content = client.get(close_url(question)).content.decode()

    assert "(1 pending vote)" in reason_line(content, opinion())
    assert "(1 pending vote)" in reason_line(content, career())
    assert "pending vote" not in reason_line(content, something_else())
    assert "2 of 3 close votes are pending" in text_of(content)


def test_it_counts_two_votes_for_one_reason(client):
    question = QuestionFactory()
    vote_to_close(question, closers(2), opinion())
    client.force_login(closer())

    content = client.get(close_url(question)).content.decode()

    assert "(2 pending votes)" in reason_line(content, opinion())


def test_it_shows_the_asker_the_counts_too(client):
    asker = UserFactory(reputation=250)
    question = QuestionFactory(author=asker)
    vote_to_close(question, closers(1), opinion())
    client.force_login(asker)

    content = client.get(close_url(question)).content.decode()

    assert "(1 pending vote)" in reason_line(content, opinion())


def test_it_leaves_out_retracted_and_aged_votes(client):
    from moderation import services

    question = QuestionFactory()
    retracting = closer()
    vote_to_close(question, [retracting], career())
    services.close_vote_retract(voter=retracting, question=question)
    vote_to_close(question, closers(1), opinion())
    client.force_login(closer())

    content = client.get(close_url(question)).content.decode()
    assert "pending vote" not in reason_line(content, career())
    assert "(1 pending vote)" in reason_line(content, opinion())

    with time_machine.travel(timezone.now() + aging.aging_window() + aging.revote_wait()):
        client.force_login(closer())
        late = client.get(close_url(question)).content.decode()
    assert "pending vote" not in reason_line(late, opinion())


# The duplicate search without the script --------------------------------------------------


def test_the_search_button_keeps_the_reason_and_comment_and_casts_no_vote(client):
    question = QuestionFactory(title="How do pandas merge frames")
    target = QuestionFactory(
        title="Merge two frames with pandas", body="Use **merge** here, it does what you need."
    )
    AnswerFactory(question=target)
    client.force_login(closer())

    response = client.post(
        close_url(question),
        {
            "reason": something_else().pk,
            "comment": "Kept while searching",
            "q": "frames",
            "search": "1",
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert re.search(
        rf'value="{something_else().pk}" id="reason-{something_else().pk}"[^>]* checked', content
    )
    assert "Kept while searching</textarea>" in content
    assert f'id="candidate-{target.pk}"' in content
    assert 'value="frames"' in content
    assert "field-errors" not in content  # a search is not a refused vote
    assert not CloseVote.objects.filter(question=question).exists()


def test_a_get_with_the_same_fields_keeps_them_too(client):
    question = QuestionFactory()
    target = QuestionFactory(title="Merge frames in pandas")
    AnswerFactory(question=target)
    client.force_login(closer())

    response = client.get(
        close_url(question),
        {"reason": duplicate().pk, "duplicate": str(target.pk), "comment": "Why", "q": "merge"},
    )

    content = response.content.decode()
    assert re.search(rf'id="reason-{duplicate().pk}"[^>]* checked', content)
    assert f'value="{target.pk}" id="candidate-{target.pk}" checked' in content
    assert "Duplicate of: Merge frames in pandas" in text_of(content)


def test_it_previews_the_chosen_target_after_a_refused_vote(client):
    question = QuestionFactory()
    target = target_with_two_answers("Some text of the target question, long enough.")
    client.force_login(closer())

    response = client.post(close_url(question), {"reason": duplicate().pk, "duplicate": "nope"})
    assert response.status_code == 400
    assert 'class="duplicate-preview"' not in response.content.decode()

    response = client.post(
        close_url(question),
        {"reason": something_else().pk, "duplicate": f"/questions/{target.pk}/"},
    )
    assert response.status_code == 400  # "Something else" needs a comment
    page = text_of(response.content)
    assert "Duplicate of: The target question here" in page
    assert "Score 0 · 2 answers" in page


def test_the_preview_says_title_score_excerpt_and_answers(client):
    question = QuestionFactory()
    target = target_with_two_answers("Some *text* of the target question, long enough.")
    client.force_login(closer())

    page = text_of(client.get(dup_url(question), {"target": f"#{target.pk}"}).content)

    assert "Duplicate of: The target question here" in page
    assert "Score 0 · 2 answers" in page
    assert "Some text of the target question, long enough." in page


@pytest.mark.parametrize("value", ["", "nonsense", "999999999", "1" * 400])
def test_the_preview_is_empty_for_no_question(client, value):
    question = QuestionFactory()
    client.force_login(closer())

    response = client.get(dup_url(question), {"target": value})

    assert response.status_code == 200
    assert text_of(response.content) == ""


def test_the_preview_leaves_out_a_deleted_question(client):
    from threads import services as threads_services

    question = QuestionFactory()
    target = QuestionFactory(title="Gone question is gone")
    threads_services.post_delete(actor=None, post=target)
    client.force_login(closer())

    assert "Gone question" not in text_of(
        client.get(dup_url(question), {"target": target.pk}).content
    )


# The fragments for the script -------------------------------------------------------------


def test_the_search_fragment_lists_answered_questions_found(client):
    question = QuestionFactory(title="Pandas merge how to")
    found = QuestionFactory(title="Pandas merge on two keys")
    AnswerFactory(question=found)
    unanswered = QuestionFactory(title="Pandas merge unanswered")
    client.force_login(closer())

    response = client.get(dup_url(question), {"q": "pandas merge"})

    content = response.content.decode()
    assert response.status_code == 200
    assert f'id="candidate-{found.pk}"' in content
    assert f'id="candidate-{unanswered.pk}"' not in content
    assert f'id="candidate-{question.pk}"' not in content
    assert "<html" not in content  # a fragment


def test_the_search_fragment_says_when_nothing_matches(client):
    question = QuestionFactory()
    client.force_login(closer())

    response = client.get(dup_url(question), {"q": "zzzz nothing"})

    assert "No answered question matches “zzzz nothing”" in text_of(response.content)


def test_the_fragments_follow_the_close_vote_rule(client):
    question = QuestionFactory()
    assert is_login_redirect(client.get(dup_url(question), {"q": "x"}))
    client.force_login(UserFactory(reputation=1))
    assert client.get(dup_url(question), {"q": "x"}).status_code == 403
    assert client.post(dup_url(question), {"q": "x"}).status_code == 405


# Queries ---------------------------------------------------------------------------------


def test_the_close_page_costs_the_same_with_many_votes(client):
    question = QuestionFactory()
    vote_to_close(question, closers(1), opinion())
    viewer = closer()
    client.force_login(viewer)
    measure(client, close_url(question))  # the cached counts of every page are filled
    few, _ = measure(client, close_url(question), {"q": "a", "duplicate": "1"})
    vote_to_close(question, closers(1), career())
    for _ in range(6):
        AnswerFactory(question=QuestionFactory(title="a question like many"))
    many, sql = measure(client, close_url(question), {"q": "a", "duplicate": "1"})
    assert few == many, "\n".join(s[:150] for s in sql)
    assert many <= 9
