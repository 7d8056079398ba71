"""Creating, deleting and viewing questions and answers through ``threads.services``."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import caches

from accounts.privileges import Privilege
from core.conf import qasite_setting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.threads import moderator, user_with
from threads import services
from threads.models import Post, PostKind, Revision, RevisionKind, Tag

pytestmark = pytest.mark.django_db

T0 = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
BODY = "A question body that is long enough to be a real question, with **bold** text."


def fresh(post: Post) -> Post:
    return Post.objects.get(pk=post.pk)


def usage(name: str) -> int:
    return Tag.objects.get(name=name).usage_count


# question_create --------------------------------------------------------------------------


def test_it_creates_a_question_with_tags_and_an_initial_revision():
    author = user_with(Privilege.CREATE_TAGS)  # "python" and "dict" are new tags
    question = services.question_create(
        author=author,
        title="  How do I sort a dict by value?  ",
        body=BODY,
        tags=["python", "dict"],
    )
    question = fresh(question)
    assert question.kind == PostKind.QUESTION
    assert question.title == "How do I sort a dict by value?"
    assert question.author == author
    assert question.author_name == author.name
    assert sorted(question.tags.names()) == ["dict", "python"]
    assert usage("python") == 1
    assert usage("dict") == 1

    revision = Revision.objects.get(post=question)
    assert revision.number == 1
    assert revision.kind == RevisionKind.INITIAL
    assert revision.title == question.title
    assert revision.body == BODY
    assert sorted(revision.tag_list) == ["dict", "python"]
    assert revision.editor == author


def test_it_counts_tag_usage_across_questions():
    QuestionFactory(tags=["python"])
    QuestionFactory(tags=["python", "regex"])
    assert usage("python") == 2
    assert usage("regex") == 1


def test_it_normalizes_tag_names():
    question = QuestionFactory(tags=["Python", " python ", "REGEX", ""])
    assert sorted(question.tags.names()) == ["python", "regex"]
    assert usage("python") == 1


def test_it_renders_the_body_to_html_on_save():
    question = QuestionFactory(body=BODY)
    assert "<strong>bold</strong>" in question.body_html


def test_it_sanitizes_the_rendered_body():
    body = 'Before the script.\n\n<script>alert("xss")</script>\n\n<img src=x onerror="alert(1)">'
    question = fresh(QuestionFactory(body=body, author=UserFactory(reputation=10)))
    html = question.body_html.lower()
    assert "<script" not in html
    assert "onerror" not in html
    assert question.body == body  # the source is kept as typed


def test_it_resolves_tag_synonyms_to_their_master_tag():
    master = Tag.objects.create(name="javascript", slug="javascript")
    Tag.objects.create(name="js", slug="js", synonym_of=master)
    question = QuestionFactory(tags=["js", "node"])
    assert sorted(question.tags.names()) == ["javascript", "node"]
    assert usage("javascript") == 1
    assert usage("js") == 0
    assert sorted(Revision.objects.get(post=question).tag_list) == ["javascript", "node"]
    assert services.normalize_tag_names(["JS", "javascript"]) == ["javascript"]


def test_it_replays_a_question_create_with_the_same_token():
    token = uuid.uuid4()
    author = user_with(Privilege.CREATE_TAGS)
    kwargs = {"author": author, "title": "A title long enough", "body": BODY, "tags": ["python"]}
    first = services.question_create(token=token, **kwargs)
    second = services.question_create(token=token, **kwargs)
    assert second.pk == first.pk
    assert Post.objects.count() == 1
    assert Revision.objects.count() == 1
    assert usage("python") == 1


def test_it_creates_two_questions_with_two_tokens():
    Tag.objects.create(name="python", slug="python")
    author = UserFactory(reputation=qasite_setting("RATE_LIMITS")["NEW_USER_REPUTATION"])
    kwargs = {"author": author, "title": "A title long enough", "body": BODY, "tags": ["python"]}
    services.question_create(token=uuid.uuid4(), **kwargs)
    services.question_create(token=uuid.uuid4(), **kwargs)
    assert Post.objects.count() == 2


# answer_create ----------------------------------------------------------------------------


def test_it_creates_an_answer_and_updates_its_question():
    with time_machine.travel(T0, tick=False) as traveller:
        question = QuestionFactory()
        before = fresh(question)
        traveller.shift(timedelta(hours=3))
        answerer = UserFactory()
        answer = services.answer_create(author=answerer, question=question, body=BODY)

    answer = fresh(answer)
    assert answer.kind == PostKind.ANSWER
    assert answer.parent_id == question.pk
    assert answer.author == answerer
    assert "<strong>bold</strong>" in answer.body_html
    revision = Revision.objects.get(post=answer)
    assert (revision.number, revision.kind, revision.body) == (1, RevisionKind.INITIAL, BODY)

    after = fresh(question)
    assert after.answer_count == before.answer_count + 1
    assert after.last_activity_at == T0 + timedelta(hours=3)
    assert after.last_activity_at > before.last_activity_at
    assert after.version > before.version


def test_it_replays_an_answer_create_with_the_same_token():
    question = QuestionFactory()
    answerer = UserFactory()
    token = uuid.uuid4()
    first = services.answer_create(author=answerer, question=question, body=BODY, token=token)
    version = fresh(question).version
    second = services.answer_create(author=answerer, question=question, body=BODY, token=token)
    assert second.pk == first.pk
    assert Post.objects.filter(kind=PostKind.ANSWER).count() == 1
    assert Revision.objects.filter(post=first).count() == 1
    assert fresh(question).answer_count == 1
    assert fresh(question).version == version


# post_delete / post_undelete --------------------------------------------------------------


def test_it_decrements_answer_count_when_an_answer_is_deleted_and_back_on_undelete():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    AnswerFactory(question=question)
    assert fresh(question).answer_count == 2
    version = fresh(question).version

    assert services.post_delete(actor=answer.author, post=answer)
    assert fresh(answer).deleted_at is not None
    assert fresh(question).answer_count == 1
    assert fresh(question).version > version
    assert services.post_delete(actor=answer.author, post=answer) is False
    assert fresh(question).answer_count == 1

    restorer = moderator()
    assert services.post_undelete(actor=restorer, post=answer)
    assert fresh(answer).deleted_at is None
    assert fresh(question).answer_count == 2
    assert services.post_undelete(actor=restorer, post=answer) is False


def test_it_clears_the_accepted_answer_when_it_is_deleted():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    services.answer_accept(user=question.author, answer=answer)
    assert fresh(question).accepted_answer_id == answer.pk

    services.post_delete(actor=answer.author, post=answer)
    question = fresh(question)
    assert question.accepted_answer_id is None
    assert question.accepted_at is None


def test_it_keeps_the_accepted_answer_when_another_answer_is_deleted():
    question = QuestionFactory()
    accepted = AnswerFactory(question=question)
    other = AnswerFactory(question=question)
    services.answer_accept(user=question.author, answer=accepted)
    services.post_delete(actor=other.author, post=other)
    assert fresh(question).accepted_answer_id == accepted.pk


def test_it_takes_a_deleted_question_out_of_its_tag_counts_and_back():
    question = QuestionFactory(tags=["python", "regex"])
    QuestionFactory(tags=["python"])
    services.post_delete(actor=question.author, post=question)
    assert (usage("python"), usage("regex")) == (1, 0)
    services.post_undelete(actor=moderator(), post=question)
    assert (usage("python"), usage("regex")) == (2, 1)


# question_view_record ---------------------------------------------------------------------


def test_it_counts_a_view_once_per_visitor():
    question = QuestionFactory()
    assert services.question_view_record(question_id=question.pk, visitor="user:1")
    assert services.question_view_record(question_id=question.pk, visitor="user:1") is False
    assert fresh(question).view_count == 1
    assert services.question_view_record(question_id=question.pk, visitor="ip:203.0.113.9")
    assert fresh(question).view_count == 2


def test_a_process_remembers_a_counted_view_and_other_processes_still_count_it_once(
    local_cache, monkeypatch
):
    question = QuestionFactory()
    shared_adds = []
    backend = type(caches["default"])
    add = backend.add

    def counted_add(self, *args, **kwargs):
        shared_adds.append(args)
        return add(self, *args, **kwargs)

    monkeypatch.setattr(backend, "add", counted_add)
    assert services.question_view_record(question_id=question.pk, visitor="user:1")
    assert services.question_view_record(question_id=question.pk, visitor="user:1") is False
    assert len(shared_adds) == 1  # the second view was known in this process
    local_cache.clear()  # another process: it asks the shared cache
    assert services.question_view_record(question_id=question.pk, visitor="user:1") is False
    assert len(shared_adds) == 2
    assert fresh(question).view_count == 1


def test_it_counts_views_per_question():
    first, second = QuestionFactory(), QuestionFactory()
    services.question_view_record(question_id=first.pk, visitor="user:1")
    services.question_view_record(question_id=second.pk, visitor="user:1")
    assert fresh(first).view_count == 1
    assert fresh(second).view_count == 1
