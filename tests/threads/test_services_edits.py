"""Editing and rolling back posts: ``services.post_edit`` and ``services.post_rollback``."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.privileges import Privilege
from core.conf import qasite_setting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from threads import services
from threads.models import Post, Revision, RevisionKind, Tag

pytestmark = pytest.mark.django_db

T0 = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)
TITLE = "How do I parse a date in Python?"
BODY = "I have a string like 2024-07-01 and need a date object from it. How?"
NEW_BODY = "I have a string like `2024-07-01` and need a **date** object from it."


@pytest.fixture
def traveller():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def fold_window() -> timedelta:
    return timedelta(minutes=qasite_setting("EDIT_FOLD_MINUTES"))


def editor():
    return UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation)


def fresh(post: Post) -> Post:
    return Post.objects.get(pk=post.pk)


def usage(name: str) -> int:
    return Tag.objects.get(name=name).usage_count


def revisions(post: Post) -> list[Revision]:
    return list(Revision.objects.filter(post=post).order_by("number"))


def edit(post: Post, by, **changes) -> Revision | None:
    post = fresh(post)
    kwargs = {
        "title": post.title,
        "body": post.body,
        "tags": sorted(post.tags.names()) if post.is_question else None,
    }
    kwargs.update(changes)
    return services.post_edit(editor=by, post=post, **kwargs)


def test_it_saves_an_edit_as_revision_two_with_its_summary(traveller):
    question = QuestionFactory(title=TITLE, body=BODY, tags=["python", "datetime"])
    traveller.shift(timedelta(hours=1))
    someone = editor()
    version = fresh(question).version
    revision = edit(
        question, someone, title=TITLE + " (ISO)", body=NEW_BODY, summary="format the code"
    )

    assert revision.number == 2
    assert revision.kind == RevisionKind.EDIT
    assert revision.summary == "format the code"
    assert revision.editor == someone
    assert (revision.title, revision.body) == (TITLE + " (ISO)", NEW_BODY)
    assert sorted(revision.tag_list) == ["datetime", "python"]

    question = fresh(question)
    assert question.title == TITLE + " (ISO)"
    assert question.body == NEW_BODY
    assert "<strong>date</strong>" in question.body_html
    assert "<code>2024-07-01</code>" in question.body_html
    assert question.last_editor == someone
    assert question.last_edited_at == T0 + timedelta(hours=1)
    assert question.last_activity_at == T0 + timedelta(hours=1)
    assert question.version > version


def test_it_sanitizes_the_body_of_an_edit(traveller):
    question = QuestionFactory(body=BODY)
    edit(question, editor(), body=BODY + "\n\n<script>alert(1)</script>")
    assert "<script" not in fresh(question).body_html.lower()


def test_it_updates_tags_and_their_usage_counts(traveller):
    question = QuestionFactory(tags=["python", "datetime"])
    QuestionFactory(tags=["datetime"])
    assert usage("datetime") == 2
    revision = edit(question, editor(), tags=["python", "parsing"])

    assert sorted(fresh(question).tags.names()) == ["parsing", "python"]
    assert sorted(revision.tag_list) == ["parsing", "python"]
    assert usage("python") == 1
    assert usage("parsing") == 1
    assert usage("datetime") == 1


def test_it_edits_an_answer(traveller):
    answer = AnswerFactory(body=BODY)
    traveller.shift(timedelta(hours=2))
    revision = edit(answer, editor(), body=NEW_BODY)
    assert revision.number == 2
    assert revision.tags == ""
    assert fresh(answer).body == NEW_BODY
    # An edit moves the thread's last activity (docs/architecture.md, Decisions: "Last activity").
    assert fresh(fresh(answer).parent).last_activity_at == T0 + timedelta(hours=2)


def test_it_returns_none_for_an_edit_that_changes_nothing(traveller):
    question = QuestionFactory(title=TITLE, body=BODY, tags=["python", "datetime"])
    assert edit(question, editor(), tags=["datetime", "python"]) is None
    assert edit(question, editor(), title=f"  {TITLE} ") is None
    assert len(revisions(question)) == 1
    assert fresh(question).last_edited_at is None


def test_it_folds_edits_by_the_same_editor_within_the_window(traveller):
    question = QuestionFactory(body=BODY)
    someone = editor()
    traveller.shift(fold_window() * 3)
    first = edit(question, someone, body=BODY + " First edit.", summary="first")
    traveller.shift(fold_window() - timedelta(seconds=30))
    second = edit(question, someone, body=BODY + " Second edit.")

    assert second.pk == first.pk
    assert [r.number for r in revisions(question)] == [1, 2]
    assert second.body == BODY + " Second edit."
    assert second.summary == "first"
    assert fresh(question).body == BODY + " Second edit."


def test_it_starts_a_new_revision_after_the_fold_window(traveller):
    question = QuestionFactory(body=BODY)
    someone = editor()
    traveller.shift(fold_window() * 3)
    edit(question, someone, body=BODY + " First edit.")
    traveller.shift(fold_window() + timedelta(seconds=1))
    later = edit(question, someone, body=BODY + " Second edit.")

    assert later.number == 3
    history = revisions(question)
    assert [r.body for r in history] == [BODY, BODY + " First edit.", BODY + " Second edit."]


def test_it_starts_a_new_revision_for_a_different_editor_within_the_window(traveller):
    question = QuestionFactory(body=BODY)
    first_editor, second_editor = editor(), editor()
    edit(question, first_editor, body=BODY + " First edit.")
    traveller.shift(timedelta(seconds=30))
    second = edit(question, second_editor, body=BODY + " Second edit.")

    assert second.number == 3
    assert [r.editor for r in revisions(question)] == [
        question.author,
        first_editor,
        second_editor,
    ]


def test_it_refuses_an_edit_started_from_a_stale_revision(traveller):
    question = QuestionFactory(body=BODY)
    stamp = services.revision_stamp(revisions(question)[-1])
    traveller.shift(timedelta(minutes=1))
    theirs = edit(question, editor(), body=BODY + " Their edit.", base_stamp=stamp)
    traveller.shift(timedelta(minutes=1))

    with pytest.raises(services.StaleEdit) as refused:
        edit(question, editor(), body=BODY + " My edit.", base_stamp=stamp)
    assert refused.value.latest.pk == theirs.pk
    assert fresh(question).body == BODY + " Their edit."
    assert len(revisions(question)) == 2

    current = services.revision_stamp(revisions(question)[-1])
    mine = edit(question, editor(), body=BODY + " My edit.", base_stamp=current)
    assert mine.number == 3


def test_it_rolls_back_to_an_earlier_revision(traveller):
    question = QuestionFactory(title=TITLE, body=BODY, tags=["python", "datetime"])
    traveller.shift(timedelta(hours=1))
    edit(question, editor(), title=TITLE + " now", body=NEW_BODY, tags=["python", "parsing"])
    assert (usage("datetime"), usage("parsing")) == (0, 1)
    traveller.shift(timedelta(hours=1))
    moderator = UserFactory(is_moderator=True)
    original = revisions(question)[0]

    rollback = services.post_rollback(editor=moderator, post=question, revision=original)

    assert rollback.number == 3
    assert rollback.kind == RevisionKind.ROLLBACK
    assert rollback.editor == moderator
    assert "1" in rollback.summary
    assert (rollback.title, rollback.body) == (TITLE, BODY)
    question = fresh(question)
    assert (question.title, question.body) == (TITLE, BODY)
    assert sorted(question.tags.names()) == ["datetime", "python"]
    assert "<strong>" not in question.body_html
    assert (usage("python"), usage("datetime"), usage("parsing")) == (1, 1, 0)


def test_it_rolls_back_an_answer(traveller):
    answer = AnswerFactory(body=BODY)
    traveller.shift(timedelta(hours=1))
    edit(answer, editor(), body=NEW_BODY)
    rollback = services.post_rollback(
        editor=answer.author, post=answer, revision=revisions(answer)[0]
    )
    assert rollback.number == 3
    assert fresh(answer).body == BODY


def test_it_returns_none_when_rolling_back_to_the_current_revision(traveller):
    question = QuestionFactory(body=BODY)
    traveller.shift(timedelta(hours=1))
    current = edit(question, editor(), body=NEW_BODY)
    assert services.post_rollback(editor=editor(), post=question, revision=current) is None
    assert len(revisions(question)) == 2
    assert fresh(question).body == NEW_BODY


def test_it_refuses_to_roll_back_to_another_posts_revision(traveller):
    question, other = QuestionFactory(body=BODY), QuestionFactory()
    traveller.shift(timedelta(hours=1))
    edit(question, editor(), body=NEW_BODY)
    foreign = revisions(other)[0]
    assert services.post_rollback(editor=editor(), post=question, revision=foreign) is None
    assert fresh(question).body == NEW_BODY
