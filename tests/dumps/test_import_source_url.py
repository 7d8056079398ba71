"""``--source-url-base``: only an absolute http(s) URL becomes the imported questions'
source link; anything else is refused before a row is written, and a page never links
to a stored ``source_url`` of another scheme."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.core.management.base import CommandError
from django.test import Client

from dumps.importer import Importer, ImportSettingError
from dumps.source import DumpSource
from tests.dumps import post, run_import
from tests.factories import QuestionFactory
from tests.pages import text_of
from threads.models import Post

pytestmark = pytest.mark.django_db

REFUSED = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)//https://french.stackexchange.com",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://french.stackexchange.com",
    "//french.stackexchange.com",
    "french.stackexchange.com",
    "/relative/path",
    "https://",
    "https://french.stackexchange.com/?next=",
    "https://french.stackexchange.com/#q",
    "https://french.stackexchange.com/" + "a" * 200,
]


def page(url: str) -> str:
    cache.clear()
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("base", REFUSED)
def test_the_command_refuses_a_base_that_is_not_an_absolute_http_url(mini, base):
    with pytest.raises(CommandError) as failure:
        run_import(mini, source_url_base=base)

    message = str(failure.value)
    assert "--source-url-base" in message
    assert "http://" in message and "https://" in message
    assert not Post.objects.exists()


def test_the_importer_itself_refuses_a_javascript_base(mini):
    with DumpSource(mini) as source, pytest.raises(ImportSettingError, match="http"):
        Importer(source, site="mini", stdout=None, source_url_base="javascript:alert(1)")


@pytest.mark.parametrize(
    "base",
    [
        "https://french.stackexchange.com",
        "https://french.stackexchange.com/",
        "HTTP://french.stackexchange.com",
        "http://localhost:8000/se",
    ],
)
def test_it_takes_an_absolute_http_base_and_links_to_it(mini, base):
    run_import(mini, source_url_base=base)

    question = post("mini", 10)
    expected = base.rstrip("/") + "/q/10"
    assert question.source_url == expected
    assert f'href="{expected}"' in page(question.get_absolute_url())


def hrefs(html: str) -> list[str]:
    """The targets of a page's ``<a>`` links as a browser reads them: entities decoded,
    blanks, tabs and newlines dropped, lower-cased."""
    return [
        re.sub(r"[\x00-\x20]", "", unescape(value)).lower()
        for value in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', html)
    ]


@pytest.mark.parametrize(
    "stored",
    [
        "javascript:alert(document.cookie)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_a_page_does_not_link_to_a_stored_source_url_of_another_scheme(stored):
    question = QuestionFactory(source_url=stored, content_license="CC BY-SA 4.0")

    html = page(question.get_absolute_url())

    assert "reproduced from" in text_of(html)  # the attribution stays, as text
    links = hrefs(html)
    assert links  # the page has its other links
    assert not [link for link in links if link.startswith(("javascript:", "data:"))]
