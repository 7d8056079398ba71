"""``moderation.rules`` at every level: anonymous, 1, 250 (asker or not), 3000, 10k, 15k and
moderators, with each privilege's threshold read from ``accounts.privileges``."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from accounts.privileges import Privilege
from moderation import rules
from moderation import services as moderation_services
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.moderation import close, fresh, moderator
from threads import rules as threads_rules

pytestmark = pytest.mark.django_db

# Each level: how to make the user, and whether they asked the question.
LEVELS = {
    "anonymous": (lambda: AnonymousUser(), False),
    "1": (lambda: UserFactory(), False),
    "1 asker": (lambda: UserFactory(), True),
    "below 250 asker": (lambda: at(Privilege.CLOSE_OWN_QUESTION, -1), True),
    "250": (lambda: at(Privilege.CLOSE_OWN_QUESTION), False),
    "250 asker": (lambda: at(Privilege.CLOSE_OWN_QUESTION), True),
    "below 3000": (lambda: at(Privilege.CAST_CLOSE_VOTES, -1), False),
    "3000": (lambda: at(Privilege.CAST_CLOSE_VOTES), False),
    "below 10k": (lambda: at(Privilege.MODERATOR_TOOLS, -1), False),
    "10k": (lambda: at(Privilege.MODERATOR_TOOLS), False),
    "below 15k": (lambda: at(Privilege.PROTECT_QUESTIONS, -1), False),
    "15k": (lambda: at(Privilege.PROTECT_QUESTIONS), False),
    "15k asker": (lambda: at(Privilege.PROTECT_QUESTIONS), True),
    "moderator": (lambda: moderator(), False),
    "suspended 15k": (lambda: at(Privilege.PROTECT_QUESTIONS, is_active=False), False),
    "suspended moderator": (lambda: moderator(is_active=False), False),
}

CLOSERS = {"250 asker", "3000", "below 10k", "10k", "below 15k", "15k", "15k asker", "moderator"}
LOG_READERS = {"10k", "below 15k", "15k", "15k asker", "moderator"}
PROTECTORS = {"15k", "15k asker", "moderator"}
MODERATORS = {"moderator"}

EXPECTED = {
    "close": CLOSERS,
    "reopen": CLOSERS,
    # The asker sees them whatever their reputation (docs/rules.md, "Close votes").
    "see close votes": CLOSERS | {"1 asker", "below 250 asker"},
    "lock": MODERATORS,
    "protect": PROTECTORS,
    "undelete": MODERATORS,
    "moderation log": LOG_READERS,
}


def at(privilege: Privilege, delta: int = 0, **extra):
    return UserFactory(reputation=privilege.reputation + delta, **extra)


def check(action: str, user, question) -> bool:
    """Whether ``user`` may take ``action`` on ``question`` (in the state the action needs)."""
    if action == "close":
        return allowed(rules.check_cast_close_vote_permission, user, question)
    if action == "reopen":
        question = close(question)
        return allowed(rules.check_cast_reopen_vote_permission, user, question)
    if action == "see close votes":
        return rules.can_see_close_votes(user, question)
    if action == "lock":
        return allowed(rules.check_lock_post_permission, user, question)
    if action == "protect":
        return allowed(rules.check_protect_question_permission, user, question)
    if action == "undelete":
        moderation_services.post_delete(actor=moderator(), post=question)
        return allowed(threads_rules.check_undelete_post_permission, user, fresh(question))
    if action == "moderation log":
        return allowed(rules.check_view_moderation_log_permission, user)
    raise AssertionError(action)


def allowed(rule, *args) -> bool:
    try:
        rule(*args)
    except PermissionDenied as denied:
        assert str(denied), "a refusal needs a message a person can act on"
        return False
    return True


@pytest.mark.parametrize("level", list(LEVELS))
@pytest.mark.parametrize("action", list(EXPECTED))
def test_it_allows_each_action_from_its_level(action, level):
    make_user, asks = LEVELS[level]
    user = make_user()
    question = QuestionFactory(author=user) if asks else QuestionFactory()

    assert check(action, user, fresh(question)) is (level in EXPECTED[action])


def test_it_names_the_reputation_needed_to_vote():
    question = QuestionFactory()
    with pytest.raises(PermissionDenied) as refused:
        rules.check_cast_close_vote_permission(at(Privilege.CAST_CLOSE_VOTES, -1), question)

    assert str(Privilege.CAST_CLOSE_VOTES.reputation) in str(refused.value)
    assert str(Privilege.CLOSE_OWN_QUESTION.reputation) in str(refused.value)


def test_it_names_the_reputation_needed_for_the_log():
    with pytest.raises(PermissionDenied, match=str(Privilege.MODERATOR_TOOLS.reputation)):
        rules.check_view_moderation_log_permission(at(Privilege.MODERATOR_TOOLS, -1))


def test_it_asks_anonymous_users_to_log_in():
    with pytest.raises(PermissionDenied, match="log in"):
        rules.check_cast_close_vote_permission(AnonymousUser(), QuestionFactory())


# The question's state ------------------------------------------------------------------------


def test_it_refuses_close_votes_on_a_closed_question():
    question = close(QuestionFactory())

    with pytest.raises(PermissionDenied, match="already closed"):
        rules.check_cast_close_vote_permission(moderator(), question)


def test_it_refuses_reopen_votes_on_an_open_question():
    with pytest.raises(PermissionDenied, match="open"):
        rules.check_cast_reopen_vote_permission(moderator(), QuestionFactory())


def test_it_refuses_close_and_reopen_votes_on_answers():
    answer = AnswerFactory()

    with pytest.raises(PermissionDenied, match="Only questions"):
        rules.check_cast_close_vote_permission(moderator(), answer)
    with pytest.raises(PermissionDenied, match="Only questions"):
        rules.check_cast_reopen_vote_permission(moderator(), answer)


def test_it_refuses_close_and_reopen_votes_on_deleted_questions():
    open_question, closed_question = QuestionFactory(), close(QuestionFactory())
    for question in (open_question, closed_question):
        moderation_services.post_delete(actor=moderator(), post=question)

    with pytest.raises(PermissionDenied, match="deleted"):
        rules.check_cast_close_vote_permission(moderator(), fresh(open_question))
    with pytest.raises(PermissionDenied, match="deleted"):
        rules.check_cast_reopen_vote_permission(moderator(), fresh(closed_question))


def test_it_refuses_reopen_votes_on_a_locked_question():
    question = close(QuestionFactory())
    moderation_services.post_lock(
        actor=moderator(), post=question, kind="historical", duration="permanent"
    )

    with pytest.raises(PermissionDenied, match="locked"):
        rules.check_cast_reopen_vote_permission(moderator(), fresh(question))


def test_it_refuses_to_undelete_a_post_that_is_not_deleted():
    with pytest.raises(PermissionDenied, match="not deleted"):
        threads_rules.check_undelete_post_permission(moderator(), QuestionFactory())


def test_it_lets_the_asker_see_close_votes_on_their_own_question_whatever_their_reputation():
    asker = UserFactory(reputation=1)
    own, other = QuestionFactory(author=asker), QuestionFactory()

    assert rules.can_see_close_votes(asker, own)
    assert not rules.can_see_close_votes(asker, other)
    assert rules.can_see_close_votes(at(Privilege.CAST_CLOSE_VOTES), other)
