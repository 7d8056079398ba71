"""Relative times in a real browser: the server writes absolute dates, which stay true in
cached pages; static/js/relative-time.js turns them into "… ago" phrases; without
JavaScript the dates are what readers see (docs/architecture.md, "Clock and cache")."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.templatetags.core_tags import se_datetime
from tests.factories import QuestionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def question():
    return QuestionFactory(
        title="Why is my cached page showing the wrong age?",
        created_at=timezone.now() - timedelta(hours=3),
        last_activity_at=timezone.now() - timedelta(minutes=5),
    )


def test_the_browser_shows_how_long_ago_with_the_date_as_title(live_server, page, question):
    page.goto(f"{live_server.url}{question.get_absolute_url()}")
    asked, modified = page.locator(".question-meta time[data-relative]").all()
    expect(asked).to_have_text("3 hours ago")
    expect(asked).to_have_attribute("title", f"{se_datetime(question.created_at)} UTC")
    expect(modified).to_have_text("5 minutes ago")

    page.goto(f"{live_server.url}/questions/")
    expect(page.locator(".question-list time[data-relative]").first).to_have_text("3 hours ago")


def test_without_javascript_the_dates_are_shown(live_server, browser, question):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{question.get_absolute_url()}")
    asked = page.locator(".question-meta time[data-relative]").first
    expect(asked).to_have_text(se_datetime(question.created_at))
    context.close()
