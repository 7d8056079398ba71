"""The flagger whose spam (or rude) flag deletes the post lands on a confirmation, not on
the deleted post's 404 (issue 16's new-user walk)."""

import pytest
from django.urls import reverse

from moderation.models import FlagKind
from tests.factories import AnswerFactory, QuestionFactory
from tests.moderation.test_flags import flagger, flaggers, spam_flags, to_delete
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_the_deciding_spam_flag_lands_on_a_confirmation(client):
    question = QuestionFactory(title="Buy cheap watches now from this site")
    spam_flags(question, flaggers(to_delete() - 1))
    last = flagger()
    client.force_login(last)

    response = client.post(reverse("post-flag", args=[question.pk]), {"kind": FlagKind.SPAM})

    assert response.status_code == 200
    page = text_of(response.content)
    assert "Thanks: your flag is recorded" in page
    assert "deleted" in page
    assert reverse("flag-history", args=[last.pk]) in response.content.decode()
    assert client.get(question.get_absolute_url()).status_code == 404  # still hidden


def test_a_spam_deleted_answer_returns_to_its_question(client):
    answer = AnswerFactory()
    spam_flags(answer, flaggers(to_delete() - 1))
    client.force_login(flagger())

    response = client.post(reverse("post-flag", args=[answer.pk]), {"kind": FlagKind.SPAM})

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_a_flag_below_the_threshold_returns_to_the_post(client):
    question = QuestionFactory()
    client.force_login(flagger())

    response = client.post(reverse("post-flag", args=[question.pk]), {"kind": FlagKind.SPAM})

    assert response.status_code == 302
    assert response["Location"].startswith(question.get_absolute_url())
