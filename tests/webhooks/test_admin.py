"""The delivery log in the admin: lists take a constant number of queries."""

import pytest

from tests.admin_helpers import admin_url, constant_page_queries
from tests.factories import UserFactory
from webhooks.models import Attempt, Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db


def add_rows():
    endpoint = Endpoint.objects.create(url="https://hooks.example.com/in", events=["flag.raised"])
    delivery = Delivery.objects.create(
        endpoint=endpoint, event=Event.FLAG_RAISED, body="{}", last_status=500
    )
    Attempt.objects.create(
        delivery=delivery, started_at=delivery.created_at, status_code=500, error="HTTP 500"
    )


@pytest.mark.parametrize("model", [Endpoint, Delivery, Attempt])
def test_the_admin_lists_take_constant_queries(client, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    constant_page_queries(client, admin_url(model, "changelist"), add_rows)


def test_a_delivery_page_shows_its_log(client):
    add_rows()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    delivery = Delivery.objects.get()
    page = client.get(admin_url(Delivery, "change", delivery.pk)).content.decode()
    assert "HTTP 500" in page
    assert str(delivery.uuid) in page


def test_members_cannot_reach_the_webhooks_admin(client):
    client.force_login(UserFactory())
    response = client.get(admin_url(Endpoint, "changelist"))
    assert response.status_code == 302
