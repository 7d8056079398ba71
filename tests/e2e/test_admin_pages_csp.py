"""The Django admin and django-rq's dashboard work under the Content-Security-Policy: the
`page` fixture fails these tests on any violation (tests/e2e/conftest.py)."""

import pytest
from playwright.sync_api import expect

from tests.factories import DEMO_PASSWORD, CommentFactory, QuestionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def admin_log_in(page, base: str) -> None:
    UserFactory(username="root", is_staff=True, is_superuser=True)
    page.goto(f"{base}/admin/login/")  # the admin's login is the site's (allauth)
    page.get_by_label("Username or email").fill("root")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{base}/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_the_admin_pages_and_their_scripts_run_without_violations(live_server, page):
    question = QuestionFactory(tags=["python"])
    CommentFactory(post=question)
    base = live_server.url
    admin_log_in(page, base)
    page.goto(f"{base}/admin/threads/question/")
    page.locator("#action-toggle").check()  # actions.js
    expect(page.locator(".action-counter")).to_contain_text("1 of 1 selected")
    page.goto(f"{base}/admin/threads/question/{question.pk}/change/")
    expect(page.locator("#content h1")).to_be_visible()
    page.goto(f"{base}/admin/threads/comment/add/")
    page.locator(".select2-selection").first.click()  # autocomplete.js, select2
    expect(page.locator(".select2-search__field")).to_be_visible()
    page.goto(f"{base}/admin/accounts/user/")
    expect(page.locator("#changelist")).to_be_visible()
    page.goto(f"{base}/admin/moderation/moderationevent/")
    expect(page.locator("#content")).to_be_visible()


def test_the_rq_dashboard_works(live_server, page):
    base = live_server.url
    admin_log_in(page, base)
    page.goto(f"{base}/django-rq/")
    expect(page.locator("#content")).to_be_visible()
