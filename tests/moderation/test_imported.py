"""The first-posts queues take only posts written on this site (docs/rules.md, "Review
queues"): posts the dumps importer wrote (each has its source row) and the demo's seed
thread are never offered nor counted there; posts written here, even on an imported
question, are."""

import pytest

from moderation import tasks
from moderation.models import ReviewQueue, ReviewTask, TaskState
from moderation.queues import QUEUES
from moderation.reviews import next_task, queue_counts
from tests.dumps import post, run_import, write_dump
from tests.factories import AnswerFactory, UserFactory

pytestmark = pytest.mark.django_db


def reviewer():
    return UserFactory(reputation=QUEUES[ReviewQueue.FIRST_ANSWERS].privilege.reputation)


@pytest.fixture
def imported(tmp_path):
    run_import(write_dump(tmp_path / "mini"))
    return post("mini", 10), post("mini", 11)


def test_importing_puts_nothing_in_the_first_posts_queues(imported):
    assert not ReviewTask.objects.filter(queue__in=["first-questions", "first-answers"]).exists()


def test_an_imported_post_in_a_first_posts_queue_is_neither_offered_nor_counted(imported):
    question, answer = imported
    tasks.task_enqueue(queue=ReviewQueue.FIRST_QUESTIONS, post=question)
    tasks.task_enqueue(queue=ReviewQueue.FIRST_ANSWERS, post=answer)
    tasks.task_enqueue(queue=ReviewQueue.LATE_ANSWERS, post=answer)

    for queue in (ReviewQueue.FIRST_QUESTIONS, ReviewQueue.FIRST_ANSWERS, ReviewQueue.LATE_ANSWERS):
        assert next_task(spec=QUEUES[queue], reviewer=reviewer()) is None
        assert queue_counts().get(queue, 0) == 0


def test_a_local_answer_to_an_imported_question_is_reviewed(imported):
    question, _ = imported
    local = AnswerFactory(question=question, author=UserFactory())

    task = next_task(spec=QUEUES[ReviewQueue.FIRST_ANSWERS], reviewer=reviewer())

    assert task is not None and task.post_id == local.pk
    assert queue_counts()[ReviewQueue.FIRST_ANSWERS] == 1


def test_other_queues_still_take_imported_posts(imported):
    question, _ = imported
    tasks.task_enqueue(queue=ReviewQueue.CLOSE, post=question)

    assert queue_counts()[ReviewQueue.CLOSE] == 1


def test_the_seed_thread_is_not_a_first_post():
    from demo.seed_load import seed_thread_load

    question = seed_thread_load()
    seeded = ReviewTask.objects.filter(
        queue__in=[ReviewQueue.FIRST_QUESTIONS, ReviewQueue.FIRST_ANSWERS],
        state=TaskState.PENDING,
    )
    assert seeded.exists()  # written through the services, as the loader does

    assert next_task(spec=QUEUES[ReviewQueue.FIRST_QUESTIONS], reviewer=reviewer()) is None
    assert next_task(spec=QUEUES[ReviewQueue.FIRST_ANSWERS], reviewer=reviewer()) is None
    local = AnswerFactory(question=question, author=UserFactory())
    task = next_task(spec=QUEUES[ReviewQueue.FIRST_ANSWERS], reviewer=reviewer())
    assert task is not None and task.post_id == local.pk


def test_the_review_page_says_nothing_is_waiting_for_an_imported_post(client, imported):
    _, answer = imported
    tasks.task_enqueue(queue=ReviewQueue.FIRST_ANSWERS, post=answer)
    client.force_login(reviewer())

    response = client.get("/review/first-answers/")

    assert "nothing for you to review" in response.content.decode()
