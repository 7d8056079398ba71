"""What moderation adds to the pages below it, through their extension points
(``moderation.extensions``), and the close notice as moderation's own type."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import resolve

from core import extensions
from moderation import views, views_flags
from moderation.notices import CloseNotice, DuplicateTarget, NoticeVoter, ReasonSnapshot
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.moderation import (
    answered_question,
    career,
    close,
    closer,
    duplicate,
    fresh,
    moderator,
    vote_to_close,
)
from tests.pages import text_of
from threads import extensions as threads_extensions

pytestmark = pytest.mark.django_db


def keys(point) -> set[str]:
    return {item.key for item in point.contributions()}


def test_it_fills_the_points_of_the_pages_below_it():
    assert "moderation.links" in keys(extensions.topbar_nav)
    assert "moderation.close-notice" in keys(threads_extensions.question_panels)
    assert "moderation.question-tools" in keys(threads_extensions.question_controls)
    assert "moderation.post-tools" in keys(threads_extensions.post_controls)
    assert "moderation.comment-flag" in keys(threads_extensions.comment_controls)
    assert "moderation.closure" in keys(threads_extensions.question_closed_label)
    assert "moderation.user-summary" in keys(threads_extensions.profile_summary)


def test_its_pages_under_a_question_and_a_member_are_registered_sub_pages():
    assert {
        "close",
        "reopen",
        "protect",
        "timeline",
    } <= threads_extensions.question_pages.reserved()
    assert resolve("/questions/7/close/").func is views.question_close
    assert resolve("/questions/7/close/retract/").func is views.question_close_retract
    assert resolve("/questions/7/reopen/retract/").func is views.question_reopen_retract
    assert resolve("/questions/7/timeline/").func is views.question_timeline
    assert resolve("/users/7/flags/").func is views_flags.flag_history
    assert resolve("/questions/7/closed/").url_name == "question-detail"  # a slug


def test_the_question_page_shows_moderation_only_through_its_points():
    """Without moderation's contributions, threads draws a closed question on its own."""
    question = close(answered_question(title="Which data science job pays the most"), career())
    client = Client()
    client.force_login(moderator())
    url = question.get_absolute_url()

    with_moderation = client.get(url).content.decode()
    assert 'class="close-notice"' in with_moderation
    assert "Reopen" in text_of(with_moderation)
    assert f'action="/posts/{question.pk}/undelete/"' not in with_moderation
    assert f'href="/posts/{question.pk}/lock/"' in with_moderation

    with (
        threads_extensions.question_panels.emptied(),
        threads_extensions.question_controls.emptied(),
        threads_extensions.post_controls.emptied(),
        extensions.topbar_nav.emptied(),
    ):
        cache.clear()  # the page is cached as shared fragments
        alone = client.get(url).content.decode()
    assert 'class="close-notice"' not in alone
    assert "Reopen" not in text_of(alone)
    assert f'href="/posts/{question.pk}/lock/"' not in alone
    assert 'href="/moderation/"' not in alone
    assert "[closed]" in text_of(alone)


def test_the_profile_shows_moderation_s_summary_through_its_point():
    member = UserFactory(display_name="Ada Lovelace")
    client = Client()
    client.force_login(member)
    assert "Flag history" in text_of(client.get(member.get_absolute_url()))
    with threads_extensions.profile_summary.emptied():
        assert "Flag history" not in text_of(client.get(member.get_absolute_url()))


# The close notice ----------------------------------------------------------------------------


def test_a_closure_stores_a_typed_notice():
    question = answered_question(title="Is this the same as the other one")
    target = answered_question(title="The other one, already answered")
    voters = [closer(display_name=f"Voter {number}") for number in range(3)]
    vote_to_close(question, voters, duplicate(), duplicate_of=target)

    question = fresh(question)
    notice = CloseNotice.of(question)
    assert notice.is_duplicate
    assert notice.label == "duplicate" == question.closed_label
    assert notice.reason == ReasonSnapshot.from_json(duplicate().snapshot())
    assert notice.group is None
    assert notice.voters == tuple(NoticeVoter(voter.pk, voter.name, False) for voter in voters)
    assert notice.duplicates == (DuplicateTarget(target.pk, target.title),)
    assert notice.closed_at
    assert notice.as_json() == question.close_notice  # the stored shape, read back whole


def test_an_off_topic_closure_keeps_its_group_and_is_labelled_closed():
    question = close(answered_question(), career())
    notice = CloseNotice.of(question)
    assert notice.reason.name.endswith(career().name)
    assert notice.group.kind == "off_topic"
    assert not notice.is_duplicate
    assert question.closed_label == "closed"


def test_an_open_question_has_no_notice():
    question = QuestionFactory()
    assert CloseNotice.of(question) is None


@pytest.mark.parametrize(
    "stored",
    [None, [], "text", {}, {"reason": "x", "voters": "y", "duplicates": [1, {"id": 2}]}],
)
def test_a_stored_notice_of_another_shape_reads_as_empty_rather_than_failing(stored):
    question = QuestionFactory()
    AnswerFactory(question=question)
    question.closed_at = question.created_at
    question.close_notice = stored
    notice = CloseNotice.of(question)
    assert notice.reason is None
    assert notice.voters == ()
    assert question.closed_label == "closed"


def test_an_imported_notice_keeps_the_source_site_s_label():
    stored = {
        "reason": {"name": "Needs more focus", "kind": "standard"},
        "group": None,
        "voters": [{"id": None, "name": "Someone", "binding": True}],
        "duplicates": [],
        "comments": [],
        "closed_at": None,
        "source_reason": "Too localized",
        "source_reason_id": "7",
    }
    notice = CloseNotice.from_json(stored)
    assert notice.source_reason == "Too localized"
    assert notice.voters == (NoticeVoter(None, "Someone", True),)
    assert notice.as_json()["source_reason_id"] == "7"
