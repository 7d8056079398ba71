"""The Hot formula, the ranking job and the tabs it feeds (docs/rules.md, "Question lists")."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from threads.models import Post, PostLink
from threads.ranking import hot_score, rank_questions

ROW_ID_RE = re.compile(r'id="question-summary-(\d+)"')
BASE = {"views": 100, "answers": 3, "score": 5, "answer_score": 4, "age_hours": 10, "idle_hours": 2}


def listed(response) -> list[int]:
    return [int(pk) for pk in ROW_ID_RE.findall(response.content.decode())]


@pytest.mark.parametrize("name", ["views", "answers", "score", "answer_score"])
def test_hot_never_falls_as_an_input_grows(name):
    values = [hot_score(**{**BASE, name: BASE[name] + step * 7}) for step in range(10)]
    assert values == sorted(values)
    assert values[-1] > values[0]


@pytest.mark.parametrize("name", ["age_hours", "idle_hours"])
def test_hot_decays_with_age_and_idleness(name):
    start = {**BASE, "age_hours": 50, "idle_hours": 1}
    values = [hot_score(**{**start, name: start[name] + step * 5}) for step in range(9)]
    assert values == sorted(values, reverse=True)
    assert values[-1] < values[0]


def test_hot_is_never_negative_and_counts_no_negative_votes():
    cold = hot_score(views=0, answers=5, score=-10, answer_score=-3, age_hours=0, idle_hours=0)
    assert cold == 0
    assert hot_score(**{**BASE, "score": -4}) == hot_score(**{**BASE, "score": 0})


def test_hot_reads_its_constants_from_the_settings(settings):
    before = hot_score(**BASE)
    settings.QASITE = {**settings.QASITE, "LISTS": {**settings.QASITE["LISTS"], "HOT_GRAVITY": 2}}
    assert hot_score(**BASE) < before


@pytest.mark.django_db
def test_the_job_ranks_hot_week_month_and_frequent(client):
    now = timezone.now()
    author = UserFactory()
    fresh = QuestionFactory(author=author, score=2, view_count=50, created_at=now)
    AnswerFactory(question=fresh, score=3)
    Post.objects.filter(pk=fresh.pk).update(answer_count=1, last_activity_at=now)
    quiet = QuestionFactory(author=author, score=9, view_count=5)
    Post.objects.filter(pk=quiet.pk).update(
        created_at=now - timedelta(days=20), last_activity_at=now - timedelta(days=20)
    )
    old = QuestionFactory(author=author, score=1)
    Post.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(days=90), last_activity_at=now - timedelta(days=90)
    )
    PostLink.objects.create(post=fresh, target=old, kind="linked")
    PostLink.objects.create(post=quiet, target=old, kind="duplicate")
    PostLink.objects.create(post=old, target=quiet, kind="linked")

    assert listed(client.get("/questions/?sort=hot")) == []  # nothing ranked before the job
    call_command("rank_questions", stdout=StringIO())

    assert listed(client.get("/questions/?sort=hot")) == [fresh.pk]
    assert listed(client.get("/questions/?sort=week")) == [fresh.pk]
    assert listed(client.get("/questions/?sort=month")) == [quiet.pk, fresh.pk]
    assert listed(client.get("/questions/?sort=frequent")) == [old.pk, quiet.pk]
    assert (
        'Frequent <span class="tab-count">(2)</span>'
        in client.get("/questions/?sort=frequent").content.decode()
    )

    # Twelve days later the fresh question has left Week, the quiet one Month; Hot empties
    # once the fresh one is idle past its window.
    rank_questions(now=now + timedelta(days=12))
    assert listed(client.get("/questions/?sort=week")) == []
    assert listed(client.get("/questions/?sort=month")) == [fresh.pk]
    rank_questions(now=now + timedelta(days=60))
    assert listed(client.get("/questions/?sort=hot")) == []
    assert listed(client.get("/questions/?sort=month")) == []


@pytest.mark.django_db
def test_ranks_change_only_when_the_job_runs(client):
    first = QuestionFactory(view_count=10)
    second = QuestionFactory(view_count=1000, score=5)
    rank_questions()
    order = listed(client.get("/questions/?sort=hot"))
    assert order == [second.pk, first.pk]
    Post.objects.filter(pk=first.pk).update(view_count=10**6, score=50)
    assert listed(client.get("/questions/?sort=hot")) == order  # stable between runs
    rank_questions()
    assert listed(client.get("/questions/?sort=hot")) == [first.pk, second.pk]


@pytest.mark.django_db
def test_a_very_hot_question_fits_its_column(client):
    question = QuestionFactory(view_count=10**8, score=10**6)
    Post.objects.filter(pk=question.pk).update(answer_count=10**4)
    rank_questions()
    assert Post.objects.get(pk=question.pk).hot_rank > 2**31
    assert listed(client.get("/questions/?sort=hot")) == [question.pk]
