"""A member makes an API token on their profile, reads the API with it, then revokes it
(docs/rules.md, "API tokens"); the page works under the site's Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_qa_flow import log_in
from tests.factories import QuestionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_member_makes_uses_and_revokes_a_token(live_server, page):
    member = UserFactory(username="botmaker", display_name="botmaker")
    question = QuestionFactory(author=member, title="A question the dashboard will read")
    base = live_server.url
    log_in(page, base, "botmaker")
    page.goto(f"{base}{member.get_absolute_url()}")
    page.get_by_role("link", name="API tokens").click()

    page.get_by_label("Name").fill("dashboard")
    page.get_by_label("Days before it expires").fill("30")
    page.get_by_role("button", name="Make the token").click()
    plain = page.get_by_role("textbox", name="The token", exact=True).input_value()
    assert plain.startswith("qst_")

    answer = page.request.get(
        f"{base}/api/v1/questions/{question.pk}/", headers={"Authorization": f"Bearer {plain}"}
    )
    assert answer.status == 200 and answer.json()["title"] == question.title

    page.goto(f"{base}/users/{member.pk}/tokens/")
    expect(page.get_by_role("textbox", name="The token", exact=True)).to_have_count(
        0
    )  # shown once only
    page.get_by_role("button", name="Revoke “dashboard”").click()
    expect(page.locator(".messages")).to_contain_text("revoked")
    refused = page.request.get(
        f"{base}/api/v1/questions/{question.pk}/", headers={"Authorization": f"Bearer {plain}"}
    )
    assert refused.status in (401, 403)
