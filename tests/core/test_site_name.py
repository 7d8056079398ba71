"""The site's name on every page comes from ``QASITE["SITE"]["NAME"]`` (the ``site_name``
tag of ``core_tags``)."""

import pytest

from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_pages_carry_the_sites_name(client, settings):
    site = {**settings.QASITE["SITE"], "NAME": "Ask Français"}
    settings.QASITE = {**settings.QASITE, "SITE": site}

    content = client.get("/help/on-topic/").content.decode()

    assert "– Ask Français</title>" in content
    assert "Ask Français — questions and answers" in text_of(content)
