"""The help centre's index (`/help/`): drawn by core from the sections the apps register
(`core.extensions.help_sections`), linked from every page's footer."""

import re

import pytest

from core.extensions import help_section, help_sections
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_the_index_lists_every_registered_section(client):
    response = client.get("/help/")
    assert response.status_code == 200
    content = response.content.decode()
    for href in (
        "/help/on-topic/",
        "/help/closing/",
        "/help/reopening/",
        "/help/privileges/",
        "/help/reviews/",
    ):
        assert f'href="{href}"' in content, href
        assert client.get(href).status_code == 200, href


def test_a_section_an_app_registers_appears_and_one_removed_disappears(client):
    with help_sections.emptied():
        assert "Privileges" not in text_of(client.get("/help/").content)
        help_section("test.health", title="Is it up", url_name="health", summary="A check.")
        try:
            seen = text_of(client.get("/help/").content)
        finally:
            help_sections.unregister("test.health")
    assert "Is it up A check." in seen


def test_every_page_links_the_help_centre_from_its_footer(client):
    for url in ("/", "/tags/", "/help/reviews/"):
        footer = client.get(url).content.decode().split('class="site-footer"')[1]
        assert re.search(r'href="/help/"', footer), url


def test_a_help_page_marks_itself_in_the_contents(client):
    content = client.get("/help/privileges/").content.decode()
    assert 'href="/help/privileges/" aria-current="page"' in content
    assert 'href="/help/closing/" aria-current' not in content
