"""Routes with ids: a number no row can have (beyond 64 bits) is a 404, on every route."""

import pytest

from tests.factories import UserFactory
from tests.routes import every_route

pytestmark = pytest.mark.django_db

NUMERIC_ROUTES = [route for route in every_route() if any(map(route.is_numeric, route.parameters))]


def test_it_finds_the_routes_with_ids():
    names = {route.name for route in NUMERIC_ROUTES}
    assert {"question-detail", "post-rollback", "review-decide", "flag-history"} <= names


@pytest.mark.parametrize("route", NUMERIC_ROUTES, ids=lambda route: route.route)
def test_it_answers_404_for_ids_beyond_64_bits(client, route):
    client.force_login(UserFactory(username="moderator", is_staff=True, reputation=100_000))
    for huge in (2**63, 2**64 + 1, 10**30):
        for parameter in filter(route.is_numeric, route.parameters):
            values = {name: "1" if route.is_numeric(name) else "close" for name in route.parameters}
            values[parameter] = huge
            url = route.url(values)
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"body": "x"}).status_code == 404, url
