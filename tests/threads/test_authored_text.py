"""What posts and comments written here show (docs/rules.md, "Text and math"): bare URLs
as links and the markup Stack Exchange's sanitiser allows, through the services and on the
question page."""

import pytest
from django.core.cache import cache

from accounts.privileges import Privilege
from tests.factories import QuestionFactory
from tests.threads import user_with
from threads import services
from threads.models import Tag

pytestmark = pytest.mark.django_db

REL = 'rel="nofollow ugc noopener"'
BODY = (
    "The docs at https://docs.example/csv say to press <kbd>Ctrl</kbd>+<kbd>C</kbd>; "
    "x<sup>2</sup>, H<sub>2</sub>O and <strike>not this</strike>.\n\n"
    "| name | size |\n|:-----|-----:|\n| a | 1 |\n\n"
    '<img src="https://i.example/a.png" width="64" height="32" alt="a"> '
    '<a href="ftp://ftp.example.org/data.csv">data</a>'
)


def ask(body: str):
    Tag.objects.get_or_create(name="python", slug="python")
    author = user_with(Privilege.REMOVE_NEW_USER_RESTRICTIONS, email_verified=True)
    return services.question_create(
        author=author,
        title="How do I read a CSV file with pandas",
        body=body,
        tags=["python"],
        rate_limited=False,
    )


def test_an_asked_question_keeps_the_markup_and_links_its_urls():
    html = ask(BODY).body_html

    for kept in (
        f'<a href="https://docs.example/csv" {REL}>https://docs.example/csv</a>',
        "<kbd>Ctrl</kbd>",
        "x<sup>2</sup>",
        "H<sub>2</sub>O",
        "<strike>not this</strike>",
        '<th align="left">name</th>',
        '<td align="right">1</td>',
        'width="64"',
        'height="32"',
        f'<a href="ftp://ftp.example.org/data.csv" {REL}>data</a>',
    ):
        assert kept in html, kept
    assert "style" not in html


def test_a_comment_links_its_bare_urls_on_the_question_page(client, django_assert_max_num_queries):
    question = QuestionFactory()
    author = user_with(Privilege.COMMENT_EVERYWHERE)
    services.comment_create(
        author=author, post=question, body="This is answered at https://example.com/answer today."
    )

    cache.clear()
    with django_assert_max_num_queries(12):
        response = client.get(question.get_absolute_url())

    link = f'<a href="https://example.com/answer" {REL}>https://example.com/answer</a>'
    assert link in response.content.decode()
