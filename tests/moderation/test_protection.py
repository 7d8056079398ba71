"""Protection: who may protect, and whose answers a protected question takes."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from accounts.privileges import Privilege
from core.conf import qasite_setting
from moderation import rules as moderation_rules
from moderation import services
from moderation.models import EventKind
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.moderation import events, fresh, moderator
from threads import rules

pytestmark = pytest.mark.django_db


def protector(delta: int = 0, **extra):
    return UserFactory(reputation=Privilege.PROTECT_QUESTIONS.reputation + delta, **extra)


def answerer(delta: int = 0):
    """A user with ``PROTECTED_ANSWER_EARNED_REPUTATION`` earned (plus ``delta``)."""
    return UserFactory(reputation=1 + qasite_setting("PROTECTED_ANSWER_EARNED_REPUTATION") + delta)


def protected_question():
    question = QuestionFactory()
    assert services.question_protect(actor=protector(), question=question) is True
    return fresh(question)


# Who may protect ----------------------------------------------------------------------------


def test_it_needs_the_protect_privilege():
    question = QuestionFactory()

    with pytest.raises(PermissionDenied, match=str(Privilege.PROTECT_QUESTIONS.reputation)):
        moderation_rules.check_protect_question_permission(protector(-1), question)
    moderation_rules.check_protect_question_permission(protector(), question)
    moderation_rules.check_protect_question_permission(moderator(), question)


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: AnonymousUser(), id="anonymous"),
        pytest.param(lambda: UserFactory(), id="new user"),
        pytest.param(
            lambda: UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation), id="10k"
        ),
        pytest.param(lambda: protector(is_active=False), id="suspended"),
    ],
)
def test_it_refuses_protection_below_the_privilege(make_user):
    with pytest.raises(PermissionDenied):
        moderation_rules.check_protect_question_permission(make_user(), QuestionFactory())


def test_it_protects_questions_only_and_not_deleted_ones():
    answer = AnswerFactory()
    with pytest.raises(PermissionDenied, match="Only questions"):
        moderation_rules.check_protect_question_permission(protector(), answer)

    question = QuestionFactory()
    services.post_delete(actor=moderator(), post=question)
    with pytest.raises(PermissionDenied, match="deleted"):
        moderation_rules.check_protect_question_permission(protector(), fresh(question))


# What protection does -------------------------------------------------------------------------


def test_it_refuses_answers_below_the_earned_reputation():
    question = protected_question()

    with pytest.raises(PermissionDenied, match="protected"):
        rules.check_answer_permission(answerer(-1), question)
    with pytest.raises(PermissionDenied, match="protected"):
        rules.check_answer_permission(UserFactory(), question)


def test_it_allows_answers_from_the_earned_reputation():
    question = protected_question()

    rules.check_answer_permission(answerer(), question)
    rules.check_answer_permission(answerer(+1), question)
    rules.check_answer_permission(moderator(), question)


def test_it_leaves_comments_votes_and_edits_alone():
    question = protected_question()
    user = UserFactory(reputation=Privilege.EDIT_ANY_POST.reputation)

    rules.check_comment_permission(user, question)
    rules.check_vote_permission(user, question, 1)
    rules.check_edit_post_permission(user, question)
    rules.check_edit_post_permission(question.author, question)


def test_it_records_protection_and_unprotection():
    question = QuestionFactory()
    first, second = protector(), moderator()

    assert services.question_protect(actor=first, question=question) is True
    assert fresh(question).is_protected
    assert services.question_protect(actor=first, question=question) is False
    assert services.question_protect(actor=second, question=question, protect=False) is True
    assert services.question_protect(actor=second, question=question, protect=False) is False

    question = fresh(question)
    assert not question.is_protected
    assert question.protected_at is None
    assert events(question, EventKind.PROTECTED).get().actor == first
    assert events(question, EventKind.UNPROTECTED).get().actor == second


def test_it_takes_answers_again_once_unprotected():
    question = protected_question()
    newcomer = UserFactory()

    services.question_protect(actor=moderator(), question=question, protect=False)

    rules.check_answer_permission(newcomer, fresh(question))
