"""A moderator opens every page of the site that a GET can show, in a real browser: the
`page` fixture fails the test on any Content-Security-Policy violation (tests/e2e/conftest.py),
so no page may carry inline script or style, whichever browser test visits it or not."""

import pytest
from playwright.sync_api import expect

from moderation.models import ReviewQueue
from tests.e2e.test_qa_flow import log_in
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.routes import every_route
from threads import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BODY = (
    "A body with `code`, $x^2$ math, a [link](https://example.org) and a table:\n\n"
    "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n```python\nprint('hi')\n```\n"
)
SKIPPED = {"logout", "health", "email-unsubscribe", "notification-open", "notification-read"}


def test_every_page_a_moderator_can_open_has_no_violations(live_server, page):
    moderator = UserFactory(username="mod", display_name="mod", is_moderator=True)
    question = QuestionFactory(author=moderator, body=BODY, tags=["python"])
    answer = AnswerFactory(question=question)
    comment = CommentFactory(post=question)
    services.post_edit(editor=moderator, post=question, title=question.title, body=BODY + "!")
    ids = {"users": moderator.pk, "comments": comment.pk, "a": answer.pk}
    log_in(page, live_server.url, "mod")

    urls = []
    for route in every_route():
        if route.name in SKIPPED or route.route.startswith("admin/"):
            continue
        values = {
            "pk": ids.get(route.route.split("/", 1)[0], question.pk),
            "slug": ReviewQueue.values[0] if route.route.startswith("review/") else "x",
            "number": 1,
            "name": "python",
        }
        if set(route.parameters) <= set(values):
            urls.append(route.url(values))
    urls += [f"/review/{queue}/" for queue in ReviewQueue.values]
    assert len(urls) > 60

    shown = []
    for url in urls:
        answer = page.request.get(live_server.url + url, max_redirects=0)
        assert answer.status < 500, url
        if answer.status == 200 and answer.headers["content-type"].startswith("text/html"):
            shown.append(url)
    assert len(shown) > 30, shown  # the tour is not silently empty
    for url in shown:
        page.goto(live_server.url + url)
    page.goto(f"{live_server.url}/questions/{question.pk}/")
    expect(page.locator("#question math")).to_have_count(1)
