"""``@name`` in comments (docs/rules.md, "Notifications"): a prefix of at least three
characters of a participant's name without spaces, any case; others are not notified."""

import pytest

from accounts.privileges import Privilege
from notifications.mentions import mentioned_names
from notifications.models import Kind, Notification
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from threads import services

pytestmark = pytest.mark.django_db


def commenter(**extra):
    return UserFactory(reputation=Privilege.COMMENT_EVERYWHERE.reputation, **extra)


def say(post, body, author=None):
    return CommentFactory(post=post, author=author or commenter(), body=body)


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("@alice thanks for the pointer", ["alice"]),
        ("thanks @Alice.", ["alice"]),
        ("@al is too short to mention", []),
        ("mail me at bob@example.com please", []),
        ("see `@decorator` in the docs", []),
        ("@alice and @bob-smith, both of you", ["alice", "bob-smith"]),
        ("@alice @ALICE twice", ["alice"]),
        ("@@alice is no mention", []),
    ],
)
def test_it_finds_the_mentions(text, names):
    assert mentioned_names(text) == names


def test_a_mention_notifies_a_commenter_on_the_post_by_prefix_of_the_spaceless_name():
    question = QuestionFactory()
    earlier = commenter(display_name="Mary Jane Watson")
    say(question, "Which version of pandas is this about?", author=earlier)

    say(question, "@MaryJ it is version two, see the question.")

    assert kinds(earlier) == [Kind.MENTION]


def test_a_mention_notifies_an_editor_of_the_post():
    question = QuestionFactory()
    editor = UserFactory(username="tidyeditor", reputation=Privilege.EDIT_ANY_POST.reputation)
    services.post_edit(
        editor=editor, post=question, title=question.title, body=question.body + " Tidied."
    )

    say(question, "@tidyed why did you remove the traceback?")

    assert Kind.MENTION in kinds(editor)


def test_a_mention_of_a_non_participant_or_unknown_name_notifies_no_one():
    question = QuestionFactory()
    bystander = UserFactory(username="bystander")

    say(question, "@bystander and @nobodyatall should look at this one.")

    assert kinds(bystander) == []
    assert not Notification.objects.filter(kind=Kind.MENTION).exists()


def test_the_post_owner_gets_one_notice_when_also_mentioned():
    answer = AnswerFactory(author=UserFactory(username="answerer"))

    say(answer, "@answerer could you add the imports to this answer?")

    assert kinds(answer.author) == [Kind.COMMENT]


def test_mentioning_yourself_notifies_no_one():
    question = QuestionFactory()
    me = commenter(username="selfmention")
    say(question, "A first remark from me about the question here.", author=me)

    say(question, "@selfmention replying to myself here, oops.", author=me)

    assert kinds(me) == []


def test_an_exact_name_wins_over_a_more_recent_prefix():
    question = QuestionFactory()
    exact = commenter(username="sam", display_name="")
    say(question, "First comment by the short-named user.", author=exact)
    longer = commenter(username="samantha", display_name="")
    say(question, "Second comment by the longer-named user.", author=longer)

    say(question, "@sam your comment was the right one here.")

    assert kinds(exact) == [Kind.MENTION]
    assert kinds(longer) == []
