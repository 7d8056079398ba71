"""``threads.bulk.create_first_revisions``: revision 1 of many posts in one insert, as the
importer and the data generator write them."""

from datetime import UTC, datetime

import pytest

from tests.factories import UserFactory
from threads.bulk import create_first_revisions
from threads.models import Post, PostKind, Revision, RevisionKind

pytestmark = pytest.mark.django_db

WHEN = datetime(2015, 3, 2, 10, tzinfo=UTC)


def test_it_writes_revision_one_of_each_post_as_the_post_stands(django_assert_num_queries):
    author = UserFactory()
    question = Post.objects.create(
        kind=PostKind.QUESTION, title="Why?", body="Because.", author=author, created_at=WHEN
    )
    answer = Post.objects.create(
        kind=PostKind.ANSWER, parent=question, body="So.", author_name="Ghost", created_at=WHEN
    )

    with django_assert_num_queries(1):
        create_first_revisions(
            [question, answer], {question.pk: ["french", "grammar"]}, kind=RevisionKind.IMPORT
        )

    first, second = Revision.objects.order_by("post_id")
    assert (first.post_id, first.number, first.kind) == (question.pk, 1, RevisionKind.IMPORT)
    assert (first.title, first.body, first.tags) == ("Why?", "Because.", "french grammar")
    assert (first.editor_id, first.created_at) == (author.pk, WHEN)
    assert (second.post_id, second.title, second.tags) == (answer.pk, "", "")
    assert (second.editor_id, second.editor_name) == (None, "Ghost")


def test_it_cuts_the_tags_to_the_field_and_defaults_to_initial_revisions():
    question = Post.objects.create(kind=PostKind.QUESTION, title="T", body="B", created_at=WHEN)

    (revision,) = create_first_revisions([question], {question.pk: ["x" * 30] * 10})

    assert revision.kind == RevisionKind.INITIAL
    assert len(Revision.objects.get().tags) == 250
