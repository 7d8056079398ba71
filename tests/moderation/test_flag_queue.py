"""The flag queue decided in place (docs/rules.md, "Flags"): one item per flagged post or
comment with its text, its context and every pending flag's text; Helpful, Decline and
Delete posted from the queue, back on the same page with a message; constant queries."""

import pytest

from accounts.privileges import Privilege
from moderation import flags
from moderation.models import Flag, FlagKind, FlagState
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import moderator
from tests.pages import text_of
from tests.queries import measure

pytestmark = pytest.mark.django_db

QUEUE = "/moderation/flags/"


def flagger():
    return UserFactory(reputation=Privilege.FLAG.reputation)


def flag(post=None, comment=None, kind=FlagKind.NEEDS_IMPROVEMENT, text=""):
    return flags.flag_raise(flagger=flagger(), post=post, comment=comment, kind=kind, text=text)


def test_an_answer_shows_its_excerpt_its_question_and_all_its_flags(client):
    question = QuestionFactory(title="The question the answer belongs to")
    answer = AnswerFactory(question=question, body="Answer text that *explains* nothing at all.")
    first = flag(answer, kind=FlagKind.MODERATOR_ATTENTION, text="Copied from a blog.")
    second = flag(answer, kind=FlagKind.NOT_AN_ANSWER)
    client.force_login(moderator())

    content = client.get(QUEUE).content.decode()
    page = text_of(content)

    assert content.count('class="flag-item"') == 1
    assert f'id="flagged-post-{answer.pk}"' in content
    assert "An answer to The question the answer belongs to" in page
    assert question.get_absolute_url() in content
    assert "Answer text that explains nothing at all." in page
    assert "“Copied from a blog.”" in page or "Copied from a blog." in page
    assert "Not an answer" in page
    assert f'id="flag-{first.pk}"' in content and f'id="flag-{second.pk}"' in content
    assert f'action="/moderation/flags/{first.pk}/"' in content
    assert f'action="/moderation/flags/{first.pk}/delete/"' in content


def test_a_comment_shows_its_text_and_its_post(client):
    question = QuestionFactory(title="The question under the comment")
    comment = CommentFactory(post=question, body="A rude comment body for the queue.")
    flag(comment=comment, kind=FlagKind.NO_LONGER_NEEDED)
    client.force_login(moderator())

    page = text_of(client.get(QUEUE).content)

    assert "A comment on the question The question under the comment" in page
    assert "A rude comment body for the queue." in page
    assert "Delete the comment" in page


def test_helpful_handles_every_pending_flag_on_the_post_and_returns_to_the_page(client):
    question = QuestionFactory()
    first, second = flag(question), flag(question, kind=FlagKind.MODERATOR_ATTENTION, text="x")
    other = flag(QuestionFactory())
    client.force_login(moderator())

    response = client.post(f"{QUEUE}{first.pk}/", {"helpful": "yes", "page": "1"})

    assert response.status_code == 302 and response["Location"] == QUEUE
    states = dict(Flag.objects.values_list("pk", "state"))
    assert states[first.pk] == states[second.pk] == FlagState.HELPFUL
    assert states[other.pk] == FlagState.PENDING
    assert "The 2 flags are handled (helpful)" in text_of(client.get(QUEUE).content)


def test_decline_keeps_the_page_and_says_why(client):
    flags_ = [flag(QuestionFactory()) for _ in range(31)]
    client.force_login(moderator())

    response = client.post(
        f"{QUEUE}{flags_[-1].pk}/", {"helpful": "no", "decline_reason": "Fine.", "page": "2"}
    )

    assert response["Location"] == f"{QUEUE}?page=2"
    flags_[-1].refresh_from_db()
    assert (flags_[-1].state, flags_[-1].decline_reason) == (FlagState.DECLINED, "Fine.")


def test_delete_removes_the_post_and_marks_its_flags_helpful(client):
    answer = AnswerFactory()
    pending = flag(answer, kind=FlagKind.NOT_AN_ANSWER)
    mod = moderator()
    client.force_login(mod)

    response = client.post(f"{QUEUE}{pending.pk}/delete/", {"page": "1"}, follow=True)

    answer.refresh_from_db()
    pending.refresh_from_db()
    assert answer.deleted_at is not None
    assert (pending.state, pending.handled_by) == (FlagState.HELPFUL, mod)
    assert "The post is deleted and its flags marked helpful." in text_of(response.content)
    assert f'id="flag-{pending.pk}"' not in response.content.decode()


def test_delete_removes_a_flagged_comment(client):
    comment = CommentFactory()
    pending = flag(comment=comment, kind=FlagKind.NO_LONGER_NEEDED)
    client.force_login(moderator())

    client.post(f"{QUEUE}{pending.pk}/delete/")

    comment.refresh_from_db()
    assert comment.deleted_at is not None
    assert Flag.objects.get(pk=pending.pk).state == FlagState.HELPFUL


def test_a_second_delete_changes_nothing_and_says_so(client):
    answer = AnswerFactory()
    pending = flag(answer)
    client.force_login(moderator())
    client.post(f"{QUEUE}{pending.pk}/delete/")

    response = client.post(f"{QUEUE}{pending.pk}/delete/", follow=True)

    assert "was deleted already" in text_of(response.content)


@pytest.mark.parametrize("user", [None, "closer"])
def test_only_moderators_delete_from_the_queue(client, user):
    answer = AnswerFactory()
    pending = flag(answer)
    if user:
        client.force_login(UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation))

    response = client.post(f"{QUEUE}{pending.pk}/delete/")

    assert response.status_code in (302, 403)
    if user:
        assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.deleted_at is None
    assert client.get(f"{QUEUE}{pending.pk}/delete/").status_code in (302, 405)


def test_the_queue_costs_the_same_with_many_flagged_posts(client):
    def add():
        question = QuestionFactory()
        flag(question)
        flag(AnswerFactory(question=question), kind=FlagKind.NOT_AN_ANSWER)
        flag(comment=CommentFactory(post=question), kind=FlagKind.NO_LONGER_NEEDED)

    client.force_login(moderator())
    add()
    measure(client, QUEUE)
    few, _ = measure(client, QUEUE)
    for _ in range(4):
        add()
    many, sql = measure(client, QUEUE)
    assert few == many, "\n".join(sql)
    assert many <= 7
