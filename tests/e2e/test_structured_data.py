"""The question page's JSON-LD is a data block: the strict Content-Security-Policy (no
inline script) lets the browser keep it without a violation (the ``page`` fixture fails the
test on any, tests/e2e/conftest.py), and the browser never runs it."""

import json

import pytest
from playwright.sync_api import expect

from tests.factories import AnswerFactory, QuestionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_json_ld_block_causes_no_csp_violation(live_server, page):
    question = QuestionFactory(title="Does </script><script>window.ran=1</script> run?")
    AnswerFactory(question=question)
    page.goto(live_server.url + question.get_absolute_url())
    block = page.locator('script[type="application/ld+json"]')
    expect(block).to_have_count(1)
    data = json.loads(block.text_content())
    assert data["mainEntity"]["name"] == question.title
    assert data["mainEntity"]["answerCount"] == 1
    assert page.evaluate("window.ran") is None
    expect(page.locator('link[rel="canonical"]')).to_have_count(1)
    expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).to_have_count(1)
