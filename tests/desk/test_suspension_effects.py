"""While suspended, a member reads but every action is refused with the same message, by
the services themselves (so every entry point), and everything works again once the
suspension ends by itself (docs/rules.md, "Suspensions and moderator messages")."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from moderation import services as moderation
from moderation.flags import flag_raise
from moderation.models import FlagKind, ReviewQueue, ReviewTask
from moderation.queues import QUEUES
from moderation.reviews import review_decide
from tests.desk import acknowledge, suspend
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import close, opinion
from tests.pages import text_of
from threads import services

pytestmark = pytest.mark.django_db

BODY = "A body long enough for the validation rules of the site, surely."


@pytest.fixture
def member():
    """A member with every privilege but the moderator's, who asked and answered before."""
    return UserFactory(reputation=20000)


@pytest.fixture
def world(member):
    own_question = QuestionFactory(author=member, tags=["python"])
    own_answer = AnswerFactory(author=member)
    others = QuestionFactory(tags=["python"])
    answer = AnswerFactory(question=own_question)
    closed = close(QuestionFactory(tags=["python"]))
    return {
        "own_question": own_question,
        "own_answer": own_answer,
        "others": others,
        "answer": answer,
        "closed": closed,
        "comment": CommentFactory(post=others),
        "task": ReviewTask.objects.get(queue=ReviewQueue.FIRST_QUESTIONS, post=others),
    }


def actions(member, world):
    low_rep = UserFactory()
    low_rep.suspended_until = member.suspended_until
    first_posts = QUEUES[ReviewQueue.FIRST_QUESTIONS]
    return {
        "ask": lambda: services.question_create(
            author=member, title="A question title that is long", body=BODY, tags=["python"]
        ),
        "answer": lambda: services.answer_create(
            author=member, question=world["others"], body=BODY
        ),
        "edit": lambda: services.post_edit(
            editor=member,
            post=world["own_question"],
            title=world["own_question"].title,
            body=BODY + " Edited.",
        ),
        "suggest edit": lambda: services.suggested_edit_create(
            author=low_rep,
            post=world["others"],
            title=world["others"].title,
            body=BODY + " Suggested.",
            tags=["python"],
        ),
        "comment": lambda: services.comment_create(
            author=member, post=world["own_question"], body="A comment long enough."
        ),
        "vote": lambda: services.vote_cast(user=member, post=world["others"], value=1),
        "comment vote": lambda: services.comment_vote_cast(user=member, comment=world["comment"]),
        "accept": lambda: services.answer_accept(user=member, answer=world["answer"]),
        "flag": lambda: flag_raise(flagger=member, post=world["others"], kind=FlagKind.SPAM),
        "close vote": lambda: moderation.close_vote_cast(
            voter=member, question=world["others"], reason=opinion()
        ),
        "reopen vote": lambda: moderation.reopen_vote_cast(voter=member, question=world["closed"]),
        "review": lambda: review_decide(
            reviewer=member, task=world["task"], decision="looks_ok", spec=first_posts
        ),
        "delete own answer": lambda: services.post_delete(actor=member, post=world["own_answer"]),
    }


ACTIONS = [
    "ask",
    "answer",
    "edit",
    "suggest edit",
    "comment",
    "vote",
    "comment vote",
    "accept",
    "flag",
    "close vote",
    "reopen vote",
    "review",
    "delete own answer",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_is_refused_while_suspended_and_allowed_after(member, world, action):
    suspend(member, 7)
    with pytest.raises(PermissionDenied, match=r"Your account is suspended until .* \(UTC\)\."):
        actions(member, world)[action]()
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        member.refresh_from_db()
        actions(member, world)[action]()  # no job and no moderator ran


def test_a_suspended_member_still_reads(client, member, world):
    suspend(member, 7)
    acknowledge(member)
    client.force_login(member)
    page = client.get(world["others"].get_absolute_url())
    assert page.status_code == 200
    assert "Your account is suspended until" in text_of(page)
    assert client.get(reverse("flag-history", args=[member.pk])).status_code == 200
    assert client.get(member.get_absolute_url()).status_code == 200
    response = client.post(reverse("post-vote", args=[world["others"].pk]), {"vote": "up"})
    assert response.status_code == 403
    assert "Your account is suspended until" in text_of(response)
