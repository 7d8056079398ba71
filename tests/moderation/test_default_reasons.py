"""The default close reasons name the subject of ``QASITE["SITE"]`` rather than one
particular site's, and a reason that promises the voters' comment shows it on the notice."""

import pytest
from django.core.cache import cache

from moderation.defaults import BRIEF_MAX, default_reasons, install_close_reasons
from moderation.models import CloseReason
from moderation.notices import UNRECORDED_COMMENT
from tests.factories import QuestionFactory
from tests.moderation import fresh, moderator, off_topic_group, something_else
from tests.pages import text_of

pytestmark = pytest.mark.django_db

TEXT_FIELDS = ("name", "brief_description", "voter_guidance", "post_notice", "asker_guidance")


def texts(reasons) -> str:
    return " ".join(getattr(reason, field) for reason in reasons for field in TEXT_FIELDS)


def with_subject(settings, subject: str) -> None:
    settings.QASITE = {**settings.QASITE, "SITE": {**settings.QASITE["SITE"], "SUBJECT": subject}}


def reinstall() -> None:
    CloseReason.objects.filter(parent__isnull=False).delete()
    CloseReason.objects.all().delete()
    install_close_reasons(CloseReason)


def test_the_installed_defaults_name_no_particular_subject():
    installed = texts(CloseReason.objects.all()).lower()

    assert CloseReason.objects.count() > 5
    assert "data science" not in installed and "data-science" not in installed
    assert off_topic_group().post_notice == (
        "This question does not appear to be within the scope defined in the help center."
    )


def test_the_defaults_name_the_sites_subject_when_it_is_set(settings):
    with_subject(settings, "the French language")

    reinstall()

    group = off_topic_group()
    assert group.brief_description == (
        "This question does not appear to be about the French language, within the scope of "
        "this site."
    )
    assert "about the French language, within the scope defined" in group.post_notice


def test_a_long_subject_keeps_the_brief_description_within_its_field():
    reasons = default_reasons("the history, grammar and usage of every Romance language ever")
    off_topic = next(reason for reason in reasons if reason.get("kind") == "off_topic")

    assert len(off_topic["brief_description"]) <= BRIEF_MAX
    assert "every Romance language" in off_topic["post_notice"]


def test_the_on_topic_help_page_names_the_subject(client, settings):
    with_subject(settings, "constructed languages")

    text = text_of(client.get("/help/on-topic/").content)

    assert "answerable problem about constructed languages." in text


def test_the_voters_comment_is_shown_on_the_closed_questions_notice(client):
    question = QuestionFactory()
    client.force_login(moderator())
    comment = "This asks about cooking, which belongs on another site."

    response = client.post(
        f"/questions/{question.pk}/close/", {"reason": something_else().pk, "comment": comment}
    )

    assert response.status_code == 302
    cache.clear()
    text = text_of(client.get(fresh(question).get_absolute_url()).content)
    assert comment in text
    assert something_else().post_notice in text
    assert UNRECORDED_COMMENT not in text


def test_the_migration_rewords_only_texts_still_as_installed_with_a_subject(settings):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("moderation.migrations.0010_default_reasons_without_a_subject")
    group = off_topic_group()
    group.brief_description = migration.INSTALLED[("Off-topic", "brief_description")]
    group.post_notice = "Edited by an admin: about data science."
    group.save()
    with_subject(settings, "statistics")

    migration.reword(apps, None)

    group = off_topic_group()
    assert group.brief_description == (
        "This question does not appear to be about statistics, within the scope of this site."
    )
    assert group.post_notice == "Edited by an admin: about data science."
