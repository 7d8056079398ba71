"""schemathesis against the OpenAPI schema, in process against the WSGI app (docs/architecture.md,
"The API"): every operation of the schema (reads and writes alike) with ~20 generated
examples each, sent with a token holding every scope, must answer no 5xx, only declared
status codes and content types, and bodies that match the schema."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.privileges import Privilege
from api.models import Scope
from api.tokens import may_moderate, token_create
from qasite.wsgi import application
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory

BASE_URL = "https://localhost"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(db):
    """The schema, read from the app. The app is called as a server calls it, so Django
    would close the test's database connection after each request: as its test client
    does, the test keeps it open."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield _load_schema()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _load_schema():
    # HTTPS, as the site redirects plain HTTP (``SECURE_SSL_REDIRECT``).
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, base_url=BASE_URL
    )


@pytest.fixture
def bearer(db):
    """A member who may do everything the API offers, some content to find, and a token with
    every scope."""
    member = UserFactory(reputation=Privilege.MODERATOR_TOOLS.reputation + 1000)
    question = QuestionFactory(author=member, tags=["python"])
    CommentFactory(post=AnswerFactory(question=question))
    scopes = [Scope.READ, Scope.WRITE] + ([Scope.MODERATE] if may_moderate(member) else [])
    _, plain = token_create(user=member, name="fuzz", scopes=scopes, days=1)
    return {"Authorization": f"Bearer {plain}"}


SETTINGS = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_every_operation_conforms_to_the_schema(api_schema, bearer):
    """One test over the whole schema (schemathesis' pytest loader does not run under this
    pytest): each operation gets its own hypothesis run; all failures are reported."""
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @SETTINGS
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(base_url=BASE_URL, headers=bearer, checks=CHECKS)

        try:
            run()
        except Exception as failure:  # noqa: BLE001  (gathered, then reported together)
            failures.append(f"{operation.label}: {failure}")
    assert not failures, "\n\n".join(failures)


def test_the_schema_declares_bearer_tokens_and_refusals(client):
    schema = client.get("/api/schema/?format=json").json()
    scheme = schema["components"]["securitySchemes"]["bearerToken"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    reads = [
        operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method == "get" and path.startswith("/api/v1/")
    ]
    assert reads and all({"200", "429"} <= set(op["responses"]) for op in reads)
    error = schema["components"]["schemas"]["ErrorBody"]
    assert error["properties"]["error"]
