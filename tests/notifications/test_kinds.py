"""Each kind of notification: delivered once per action, never to the person who acted,
never about content the recipient may no longer see."""

import pytest

from accounts.privileges import Privilege
from moderation import flags, services
from moderation.models import FlagKind
from notifications.models import Kind, Notification
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.moderation import closer, moderator, opinion, vote_to_close
from threads import services as threads_services

pytestmark = pytest.mark.django_db


def inbox(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def kinds(user) -> list[str]:
    return [item.kind for item in inbox(user)]


def test_an_answer_notifies_the_asker_once_and_not_the_answerer():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)

    assert kinds(question.author) == [Kind.ANSWER]
    assert inbox(question.author)[0].post_id == answer.pk
    assert kinds(answer.author) == []


def test_answering_your_own_question_notifies_nobody():
    question = QuestionFactory()
    AnswerFactory(question=question, author=question.author)

    assert kinds(question.author) == []


def test_answerers_follow_the_question_and_hear_of_later_answers():
    question = QuestionFactory()
    first = AnswerFactory(question=question)
    AnswerFactory(question=question)

    assert kinds(first.author) == [Kind.ANSWER]
    assert kinds(question.author) == [Kind.ANSWER, Kind.ANSWER]


def test_a_comment_notifies_the_post_owner():
    answer = AnswerFactory()
    comment = CommentFactory(post=answer)

    assert kinds(answer.author) == [Kind.COMMENT]
    item = inbox(answer.author)[0]
    assert item.comment_id == comment.pk
    assert item.question_id == answer.parent_id
    assert kinds(comment.author) == []


def test_an_edit_by_someone_else_notifies_the_author_but_not_their_own():
    question = QuestionFactory()
    threads_services.post_edit(
        editor=question.author,
        post=question,
        title=question.title,
        body=question.body + " more.",
        tags=["python"],
    )
    assert kinds(question.author) == []
    editor = UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation)
    threads_services.post_edit(
        editor=editor,
        post=question,
        title=question.title,
        body=question.body + " edited.",
        tags=["python"],
    )
    assert kinds(question.author) == [Kind.EDIT]


def test_accepting_notifies_the_answerer():
    answer = AnswerFactory()
    threads_services.answer_accept(user=answer.parent.author, answer=answer)
    threads_services.answer_accept(user=answer.parent.author, answer=answer)  # replayed

    assert kinds(answer.author) == [Kind.ACCEPTED]


def test_the_first_close_vote_guides_the_asker_and_the_closure_tells_what_to_do():
    question = QuestionFactory()
    vote_to_close(question, [closer()])
    assert kinds(question.author) == [Kind.CLOSE_GUIDANCE]
    guidance = inbox(question.author)[0]
    assert guidance.details["reasons"][0]["reason"] == str(opinion())
    assert guidance.details["reasons"][0]["count"] == 1
    assert guidance.actor_id is None  # counts, not names

    vote_to_close(question, [closer()])
    assert kinds(question.author) == [Kind.CLOSE_GUIDANCE]  # only the first vote

    vote_to_close(question, [closer()])
    assert kinds(question.author) == [Kind.CLOSE_GUIDANCE, Kind.CLOSED]
    notice = inbox(question.author)[1]
    assert notice.details["reason"] == opinion().name
    assert notice.details["edit_days"] == 5


def test_a_moderator_closing_alone_sends_no_guidance_only_the_closure():
    question = QuestionFactory()
    services.close_vote_cast(voter=moderator(), question=question, reason=opinion())

    assert kinds(question.author) == [Kind.CLOSED]


def test_a_declined_flag_tells_the_flagger_with_the_note():
    flagger = UserFactory(reputation=Privilege.FLAG.reputation)
    answer = AnswerFactory()
    flag = flags.flag_raise(
        flagger=flagger, post=answer, kind=FlagKind.MODERATOR_ATTENTION, text="x" * 20
    )
    mod = moderator()
    flags.flag_handle(moderator=mod, flag=flag, helpful=False, decline_reason="Not a problem.")
    flags.flag_handle(moderator=mod, flag=flag, helpful=False, decline_reason="Again.")

    assert kinds(flagger) == [Kind.FLAG_DECLINED]
    assert inbox(flagger)[0].text == "Not a problem."
