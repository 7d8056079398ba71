"""The OpenAPI schema is valid OpenAPI 3 and drf-spectacular raises no warning while making
it (a warning means a part of the schema is guessed, e.g. two components with one name)."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/questions/" in target.read_text()
