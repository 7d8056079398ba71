"""The help centre's moderation pages read the close reasons from the database and every
number from the settings in force (docs/architecture.md, "The help centre")."""

import pytest

from moderation.models import CloseReason
from tests.moderation import career, duplicate, off_topic_group
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def with_setting(settings, path: str, value):
    conf = {**settings.QASITE}
    *outer, name = path.split(".")
    table = conf
    for part in outer:
        table[part] = {**table[part]}
        table = table[part]
    table[name] = value
    settings.QASITE = conf


def test_closing_shows_each_reason_with_its_current_text_and_sub_reasons(client):
    seen = text_of(client.get("/help/closing/").content)
    for reason in CloseReason.objects.filter(is_active=True):
        assert reason.name in seen, reason.name
        assert reason.brief_description in seen, reason.name
    assert duplicate().post_notice in seen

    CloseReason.objects.filter(pk=career().pk).update(
        name="Hiring and careers", brief_description="Job hunting is off-topic here."
    )
    CloseReason.objects.create(
        parent=off_topic_group(),
        kind="off_topic",
        name="Homework dumps",
        order=99,
        brief_description="Paste your attempt, not the assignment.",
    )
    seen = text_of(client.get("/help/closing/").content)
    assert "Hiring and careers. Job hunting is off-topic here." in seen
    assert "Homework dumps. Paste your attempt, not the assignment." in seen
    assert "Homework dumps" in text_of(client.get("/help/on-topic/").content)

    CloseReason.objects.filter(name="Homework dumps").update(is_active=False)
    assert "Homework dumps" not in text_of(client.get("/help/closing/").content)


@pytest.mark.parametrize(
    ("url", "setting", "phrase"),
    [
        ("/help/closing/", "CLOSE_VOTES_TO_CLOSE", "closes at 7 votes"),
        ("/help/closing/", "RATE_LIMITS.CLOSE_VOTES_PER_DAY", "at most 7 close votes a day"),
        ("/help/closing/", "ANSWER_GRACE_AFTER_CLOSE_HOURS", "posted for 7 hours"),
        ("/help/reopening/", "REOPEN_VOTES_TO_REOPEN", "reopens at 7 votes"),
        ("/help/reopening/", "REOPEN_REVIEW_EDIT_DAYS", "within 7 days of its closure"),
        ("/help/reopening/", "CLOSE_VOTE_AGING_DAYS", "stop counting 7 days after"),
        ("/help/reopening/", "REVIEW.REOPEN_LEAVE_CLOSED_TO_COMPLETE", '7 "Leave closed"'),
        ("/help/reviews/", "REVIEW.REVIEWS_PER_QUEUE_PER_DAY", "may review 7 tasks per queue"),
        ("/help/reviews/", "REVIEW.LOW_QUALITY_AGREEING", "Decided by 7 agreeing reviews"),
        ("/help/reviews/", "PRIVILEGES.REVIEW_FIRST_POSTS", "First questions 7"),
    ],
)
def test_the_pages_follow_the_settings_in_force(client, settings, url, setting, phrase):
    assert phrase not in text_of(client.get(url).content)
    with_setting(settings, setting, 7)
    assert phrase in text_of(client.get(url).content)


def test_the_help_pages_cost_the_same_whatever_the_number_of_reasons(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        client.get("/help/closing/")
    for index in range(10):
        CloseReason.objects.create(
            parent=off_topic_group(), kind="off_topic", name=f"Extra {index}", order=50
        )
    with django_assert_max_num_queries(1):
        assert "Extra 9" in text_of(client.get("/help/closing/").content)
    for url in ("/help/", "/help/privileges/", "/help/reopening/", "/help/reviews/"):
        with django_assert_max_num_queries(0):
            client.get(url)
