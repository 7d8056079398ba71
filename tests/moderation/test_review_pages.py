"""Review pages over HTTP: the list of queues with their counts and access levels, each
queue's page by reputation, one task with what is needed to judge it (its comments, the
changes since closing, a suggestion's diff), decisions posted back, and the daily limit."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation.flags import flag_raise
from moderation.models import Decision, FlagKind, Review, ReviewQueue, ReviewTask, TaskState
from moderation.queues import QUEUES
from moderation.reviews import queue_counts, review_decide
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import close, closer, duplicate, fresh, opinion, vote_to_close
from tests.pages import is_login_redirect, text_of
from threads import services as threads_services
from threads.models import Tag

pytestmark = pytest.mark.django_db

ROW_RE = re.compile(r"<tr>(.*?)</tr>", re.S)
T0 = datetime(2025, 2, 3, 10, 0, tzinfo=UTC)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def queue_url(slug: str) -> str:
    return reverse("review-queue", args=[slug])


def decide_url(task: ReviewTask) -> str:
    return reverse("review-decide", args=[task.queue, task.pk])


def reviewer_for(slug: str, **extra):
    return UserFactory(reputation=QUEUES[slug].privilege.reputation, **extra)


def logged_in(client, user):
    client.force_login(user)
    return user


def first_question_task(**extra) -> ReviewTask:
    question = QuestionFactory(**extra)
    return ReviewTask.objects.get(queue=ReviewQueue.FIRST_QUESTIONS, post=question)


@pytest.fixture
def daily_limit(settings):
    settings.QASITE = {
        **settings.QASITE,
        "REVIEW": {**settings.QASITE["REVIEW"], "REVIEWS_PER_QUEUE_PER_DAY": 1},
    }
    return qasite_setting("REVIEW")["REVIEWS_PER_QUEUE_PER_DAY"]


def one_task_in_each_queue() -> None:
    """Tasks in every queue (first questions and answers come along with the others)."""
    flagger = UserFactory(reputation=Privilege.FLAG.reputation)
    vote_to_close(QuestionFactory(), [closer()])
    reopen = close(QuestionFactory())
    threads_services.post_edit(
        editor=reopen.author, post=reopen, title=reopen.title, body="Edited. " * 6, tags=["python"]
    )
    flag_raise(flagger=flagger, post=AnswerFactory(), kind=FlagKind.VERY_LOW_QUALITY)
    answerer = UserFactory()
    AnswerFactory(author=answerer)
    days = qasite_setting("REVIEW")["LATE_ANSWER_DAYS"]
    old = QuestionFactory(created_at=T0 - timedelta(days=days + 1))
    AnswerFactory(author=answerer, question=old)
    target = QuestionFactory()
    threads_services.suggested_edit_create(
        author=UserFactory(), post=target, title=target.title, body="Better. " * 6, tags=["python"]
    )


# The list of queues --------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_of_the_queue_list_to_log_in(client):
    assert is_login_redirect(client.get(reverse("review-index")))


def test_it_lists_every_queue_with_its_count_and_access_level(client):
    one_task_in_each_queue()
    counts = queue_counts()
    assert all(counts.get(slug) for slug in QUEUES), counts
    user = logged_in(client, UserFactory(reputation=Privilege.REVIEW_FIRST_POSTS.reputation))

    response = client.get(reverse("review-index"))

    assert response.status_code == 200
    rows = [text_of(row) for row in ROW_RE.findall(response.content.decode())[1:]]
    assert len(rows) == len(QUEUES)
    for spec, row in zip(QUEUES.values(), rows, strict=True):
        assert row.startswith(spec.label), row
        assert f" {counts[spec.slug]} {spec.privilege.reputation}+ reputation" in row, row
        allowed = user.reputation >= spec.privilege.reputation
        assert ("(not you yet)" in row) is not allowed, row
        link = f'href="{queue_url(spec.slug)}"'
        assert (link in response.content.decode()) is allowed


def test_it_shows_the_reviewers_own_counts_on_the_queue_list(client):
    user = logged_in(client, reviewer_for(ReviewQueue.FIRST_QUESTIONS))
    task = first_question_task()
    review_decide(
        reviewer=user,
        task=task,
        decision=Decision.LOOKS_OK,
        spec=QUEUES[ReviewQueue.FIRST_QUESTIONS],
    )

    rows = ROW_RE.findall(client.get(reverse("review-index")).content.decode())[1:]

    first_questions = text_of(rows[list(QUEUES).index(ReviewQueue.FIRST_QUESTIONS)])
    assert first_questions.endswith("1 / 1")


def test_it_states_the_daily_limit_on_the_queue_list(client):
    logged_in(client, closer())
    limit = qasite_setting("REVIEW")["REVIEWS_PER_QUEUE_PER_DAY"]

    page = text_of(client.get(reverse("review-index")).content)

    assert f"You can review {limit} tasks per queue each day" in page


# Access to each queue ------------------------------------------------------------------------


@pytest.mark.parametrize("slug", list(QUEUES))
@pytest.mark.parametrize("level", ["anonymous", "below", "at"])
def test_it_opens_each_queue_from_its_privilege(client, slug, level):
    needed = QUEUES[slug].privilege.reputation
    if level != "anonymous":
        logged_in(client, UserFactory(reputation=needed - 1 if level == "below" else needed))

    response = client.get(queue_url(slug))

    if level == "anonymous":
        assert is_login_redirect(response)
    elif level == "below":
        assert response.status_code == 403
        assert f"needs {needed} reputation" in text_of(response.content)
    else:
        assert response.status_code == 200
        assert QUEUES[slug].label in text_of(response.content)


def test_it_answers_404_for_an_unknown_queue(client):
    logged_in(client, closer())

    assert client.get(queue_url("no-such-queue")).status_code == 404
    assert client.post(reverse("review-decide", args=["no-such-queue", 1])).status_code == 404


def test_it_says_when_there_is_nothing_to_review(client):
    logged_in(client, closer())

    page = text_of(client.get(queue_url(ReviewQueue.REOPEN)).content)

    assert "nothing for you to review" in page


# The task page -------------------------------------------------------------------------------


def test_it_shows_the_post_and_its_comments(client):
    task = first_question_task(
        title="How do I frobnicate a widget in Python?",
        body="I tried frobnicating the widget with a loop but it hangs forever.",
    )
    CommentFactory(post=task.post, body="Which version of Python are you using here?")
    logged_in(client, reviewer_for(ReviewQueue.FIRST_QUESTIONS))

    response = client.get(queue_url(ReviewQueue.FIRST_QUESTIONS))

    page = text_of(response.content)
    assert "How do I frobnicate a widget in Python?" in page
    assert "it hangs forever" in page
    assert "Which version of Python are you using here?" in page
    assert f'action="{decide_url(task)}"' in response.content.decode()
    for decision in QUEUES[ReviewQueue.FIRST_QUESTIONS].decisions:
        if decision != Decision.CLOSE:
            assert decision.label in page
    # Close is a close vote: offered only to reviewers who may cast one.
    assert "Close…" not in page
    logged_in(client, UserFactory(reputation=Privilege.CAST_CLOSE_VOTES.reputation))
    assert "Close…" in text_of(client.get(queue_url(ReviewQueue.FIRST_QUESTIONS)).content)


def test_it_shows_the_question_of_an_answer_under_review(client):
    question = QuestionFactory(title="Why does my generator stop after one value?")
    AnswerFactory(question=question, body="Because you return instead of yield, see the docs.")
    logged_in(client, reviewer_for(ReviewQueue.FIRST_ANSWERS))

    page = text_of(client.get(queue_url(ReviewQueue.FIRST_ANSWERS)).content)

    assert "Answer to: Why does my generator stop after one value?" in page
    assert "Because you return instead of yield" in page


def test_it_shows_a_reopen_reviewer_the_changes_since_closing(client):
    fold = timedelta(minutes=qasite_setting("EDIT_FOLD_MINUTES"))
    with time_machine.travel(T0, tick=False) as traveller:
        question = QuestionFactory(body="The original question text without any details at all.")
        question = close(question)
        traveller.move_to(T0 + fold + timedelta(minutes=1))
        threads_services.post_edit(
            editor=question.author,
            post=question,
            title=question.title,
            body=question.body + " Zanzibar details added by the asker.",
            tags=["python"],
        )
        logged_in(client, closer())

        response = client.get(queue_url(ReviewQueue.REOPEN))

    content = response.content.decode()
    assert "Changes since the question was closed" in text_of(content)
    assert "<ins>" in content
    inserted = " ".join(re.findall(r"<ins>(.*?)</ins>", content))
    assert "Zanzibar" in inserted


def test_it_shows_the_changes_since_closing_after_a_quick_edit(client):
    question = close(QuestionFactory(body="The original question text without any details."))
    threads_services.post_edit(
        editor=question.author,
        post=question,
        title=question.title,
        body=question.body + " Zanzibar details added by the asker.",
        tags=["python"],
    )
    logged_in(client, closer())

    content = client.get(queue_url(ReviewQueue.REOPEN)).content.decode()

    assert "Changes since the question was closed" in text_of(content)


def test_it_shows_a_suggestions_diff(client):
    question = QuestionFactory(body="Original body of the question, long enough to be valid.")
    suggester = UserFactory(display_name="Sally Suggester")
    threads_services.suggested_edit_create(
        author=suggester,
        post=question,
        title=question.title,
        body="Improved body of the question, long enough to be valid.",
        tags=["python"],
        summary="clearer wording",
    )
    logged_in(client, reviewer_for(ReviewQueue.SUGGESTED_EDITS))

    response = client.get(queue_url(ReviewQueue.SUGGESTED_EDITS))

    content = response.content.decode()
    page = text_of(content)
    assert "The suggested edit" in page
    assert "Suggested by Sally Suggester" in page
    assert "clearer wording" in page
    assert "<del>Original</del>" in content
    assert "<ins>Improved</ins>" in content


# Deciding ------------------------------------------------------------------------------------


def test_it_records_a_posted_decision_and_returns_to_the_queue(client):
    task = first_question_task()
    user = logged_in(client, reviewer_for(ReviewQueue.FIRST_QUESTIONS))

    response = client.post(decide_url(task), {"decision": Decision.LOOKS_OK})

    assert response.status_code == 302
    assert response.url == queue_url(ReviewQueue.FIRST_QUESTIONS)
    assert "Thanks for reviewing!" in messages_of(response)
    assert Review.objects.get(task=task).reviewer == user
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED


def test_it_posts_a_close_decision_with_its_reason(client):
    question = QuestionFactory()
    vote_to_close(question, [closer()])
    task = ReviewTask.objects.get(queue=ReviewQueue.CLOSE, post=question)
    logged_in(client, closer())

    response = client.post(decide_url(task), {"decision": Decision.CLOSE, "reason": opinion().pk})

    assert response.url == queue_url(ReviewQueue.CLOSE)
    assert "Thanks for reviewing!" in messages_of(response)
    assert fresh(question).close_votes_pending == 2


def test_it_sends_an_edit_decision_to_the_edit_page(client):
    task = first_question_task()
    logged_in(client, reviewer_for(ReviewQueue.FIRST_QUESTIONS))

    response = client.post(decide_url(task), {"decision": Decision.EDIT})

    assert response.url == reverse("post-edit", args=[task.post_id])
    assert Review.objects.get(task=task).decision == Decision.EDIT


def test_it_records_a_skip_without_thanks(client):
    task = first_question_task()
    logged_in(client, reviewer_for(ReviewQueue.FIRST_QUESTIONS))

    response = client.post(decide_url(task), {"decision": Decision.SKIP})

    assert response.url == queue_url(ReviewQueue.FIRST_QUESTIONS)
    assert messages_of(response) == []
    assert Review.objects.get(task=task).decision == Decision.SKIP


def test_it_refuses_a_decision_the_queue_does_not_offer(client):
    task = first_question_task()
    logged_in(client, reviewer_for(ReviewQueue.FIRST_QUESTIONS))

    response = client.post(decide_url(task), {"decision": Decision.APPROVE})

    assert response.url == queue_url(ReviewQueue.FIRST_QUESTIONS)
    assert "That decision isn't offered in this queue." in messages_of(response)
    assert not Review.objects.exists()
    task.refresh_from_db()
    assert task.state == TaskState.PENDING


def test_it_refuses_an_unreadable_decision(client):
    task = first_question_task()
    logged_in(client, reviewer_for(ReviewQueue.FIRST_QUESTIONS))

    response = client.post(decide_url(task), {"decision": "shrug"})

    assert response.url == queue_url(ReviewQueue.FIRST_QUESTIONS)
    assert any("could not be read" in message for message in messages_of(response))
    assert not Review.objects.exists()


@pytest.mark.parametrize("given", ["²", "#①", "/questions/٣/", "9" * 40])
def test_it_refuses_a_duplicate_target_that_is_not_a_question_number(client, given):
    question = QuestionFactory()
    vote_to_close(question, [closer()])
    task = ReviewTask.objects.get(queue=ReviewQueue.CLOSE, post=question)
    logged_in(client, closer())

    response = client.post(
        decide_url(task),
        {"decision": Decision.CLOSE, "reason": duplicate().pk, "duplicate": given},
    )

    assert response.status_code == 302
    assert response.url == queue_url(ReviewQueue.CLOSE)
    assert not Review.objects.filter(task=task).exists()
    assert fresh(question).close_votes_pending == 1


def test_it_refuses_a_rejection_without_a_reason(client):
    question = QuestionFactory()
    Tag.objects.create(name="x", slug="x")  # creating a tag is a privilege of its own
    threads_services.suggested_edit_create(
        author=UserFactory(), post=question, title=question.title, body="New. " * 8, tags=["x"]
    )
    task = ReviewTask.objects.get(queue=ReviewQueue.SUGGESTED_EDITS)
    logged_in(client, reviewer_for(ReviewQueue.SUGGESTED_EDITS))

    response = client.post(decide_url(task), {"decision": Decision.REJECT, "comment": ""})

    assert any("Say why" in message for message in messages_of(response))
    assert not Review.objects.exists()


def test_it_posts_an_improved_edit(client):
    question = QuestionFactory(body="Original body of the question, long enough to be valid.")
    suggestion = threads_services.suggested_edit_create(
        author=UserFactory(),
        post=question,
        title=question.title,
        body="Suggested body of the question, long enough to be valid.",
        tags=["python"],
    )
    task = ReviewTask.objects.get(queue=ReviewQueue.SUGGESTED_EDITS, suggested_edit=suggestion)
    logged_in(client, reviewer_for(ReviewQueue.SUGGESTED_EDITS))
    page = client.get(queue_url(ReviewQueue.SUGGESTED_EDITS)).content.decode()
    assert 'name="improved_body"' in page
    assert suggestion.body in page

    response = client.post(
        decide_url(task),
        {
            "decision": Decision.IMPROVE,
            "improved_title": question.title,
            "improved_tags": "python",
            "improved_body": "Improved body of the question, better than the suggestion.",
        },
    )

    assert "Thanks for reviewing!" in messages_of(response)
    assert fresh(question).body == "Improved body of the question, better than the suggestion."


def test_it_refuses_a_task_of_another_queue(client):
    task = first_question_task()
    logged_in(client, reviewer_for(ReviewQueue.SUGGESTED_EDITS))

    response = client.post(
        reverse("review-decide", args=[ReviewQueue.FIRST_ANSWERS, task.pk]),
        {"decision": Decision.LOOKS_OK},
    )

    assert response.status_code == 404


def test_it_refuses_a_posted_decision_below_the_privilege(client):
    task = first_question_task()
    logged_in(client, UserFactory(reputation=Privilege.REVIEW_FIRST_POSTS.reputation - 1))

    response = client.post(decide_url(task), {"decision": Decision.LOOKS_OK})

    assert response.status_code == 403
    assert not Review.objects.exists()


def test_it_names_the_expected_decision_after_a_failed_audit(client, settings):
    settings.QASITE = {
        **settings.QASITE,
        "REVIEW": {**settings.QASITE["REVIEW"], "AUDIT_EVERY": 1},
    }
    QuestionFactory(score=qasite_setting("REVIEW")["AUDIT_GOOD_SCORE"])
    logged_in(client, closer())
    client.get(queue_url(ReviewQueue.CLOSE))
    audit = ReviewTask.objects.get(is_audit=True)

    response = client.post(decide_url(audit), {"decision": Decision.CLOSE, "reason": opinion().pk})

    (message,) = messages_of(response)
    assert "audit" in message
    assert Decision.LEAVE_OPEN.label in message


# The daily limit -----------------------------------------------------------------------------


def test_it_shows_the_limit_page_after_the_days_reviews(client):
    limit = qasite_setting("REVIEW")["REVIEWS_PER_QUEUE_PER_DAY"]
    user = logged_in(client, reviewer_for(ReviewQueue.FIRST_QUESTIONS))
    spec = QUEUES[ReviewQueue.FIRST_QUESTIONS]
    tasks = [first_question_task() for _ in range(limit + 1)]
    for task in tasks[:limit]:
        review_decide(reviewer=user, task=task, decision=Decision.LOOKS_OK, spec=spec)

    page = text_of(client.get(queue_url(ReviewQueue.FIRST_QUESTIONS)).content)

    assert f"You have reached today's {limit} reviews in this queue" in page
    assert "Come back tomorrow (midnight UTC)" in page
    assert f"You have reviewed {limit} of {limit} today" in page


def test_it_refuses_a_posted_decision_past_the_limit(client, daily_limit):
    user = logged_in(client, reviewer_for(ReviewQueue.FIRST_QUESTIONS))
    spec = QUEUES[ReviewQueue.FIRST_QUESTIONS]
    done, extra = first_question_task(), first_question_task()
    review_decide(reviewer=user, task=done, decision=Decision.LOOKS_OK, spec=spec)

    response = client.post(decide_url(extra), {"decision": Decision.LOOKS_OK})

    assert any(f"today's {daily_limit} reviews" in message for message in messages_of(response))
    assert not Review.objects.filter(task=extra).exists()


def test_it_keeps_other_queues_open_at_one_queues_limit(client, daily_limit):
    user = logged_in(client, reviewer_for(ReviewQueue.FIRST_QUESTIONS))
    review_decide(
        reviewer=user,
        task=first_question_task(),
        decision=Decision.LOOKS_OK,
        spec=QUEUES[ReviewQueue.FIRST_QUESTIONS],
    )
    answer = AnswerFactory(body="An answer whose body is long enough to be shown to a reviewer.")

    page = text_of(client.get(queue_url(ReviewQueue.FIRST_ANSWERS)).content)

    assert "You have reached today's" not in page
    assert "An answer whose body is long enough" in page
    assert ReviewTask.objects.filter(post=answer, state=TaskState.PENDING).exists()
