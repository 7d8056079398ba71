"""The help centre's privilege table: the thresholds in force, never a copy."""

import re

import pytest

from accounts.privileges import Privilege
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def rows(client) -> list[tuple[int, str]]:
    content = client.get("/help/privileges/").content.decode()
    body = content.split("<tbody>")[1].split("</tbody>")[0]
    return [
        (int(rep), label)
        for rep, label in re.findall(r"<tr><td>(\d+)</td><th scope=\"row\">([^<]+)</th>", body)
    ]


def test_it_lists_every_privilege_with_its_reputation_lowest_first(client):
    table = rows(client)
    assert len(table) == len(Privilege)
    assert [rep for rep, _ in table] == sorted(rep for rep, _ in table)
    assert (Privilege.CAST_CLOSE_VOTES.reputation, "Cast close votes") in table


def test_it_follows_a_changed_threshold(client, settings):
    settings.QASITE = {
        **settings.QASITE,
        "PRIVILEGES": {**settings.QASITE["PRIVILEGES"], "CAST_CLOSE_VOTES": 777},
    }
    assert (777, "Cast close votes") in rows(client)
    assert "777" in text_of(client.get("/help/closing/").content)
