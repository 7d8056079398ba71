"""The uploads' admin: a read-only list, in constant queries."""

import pytest

from editor.models import Upload
from tests.admin_helpers import admin_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_lists_uploads_read_only(admin_client, django_assert_max_num_queries):
    for n in range(5):
        Upload.objects.create(
            user=UserFactory(), path=f"uploads/{n:032x}.png", size=10, width=1, height=1
        )
    with django_assert_max_num_queries(12):
        response = admin_client.get(admin_url(Upload, "changelist"))
    assert response.status_code == 200
    assert "uploads/00000000000000000000000000000004.png" in response.content.decode()
    assert admin_client.get(admin_url(Upload, "add")).status_code == 403
