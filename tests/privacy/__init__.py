"""Tests of the privacy app: data exports, account deletion and erasure (docs/rules.md,
"Your data")."""

from privacy import services
from tests.factories import DEMO_PASSWORD


def ask_deletion(user, *, password: str = DEMO_PASSWORD, phrase: str = "delete my account"):
    return services.deletion_request(user=user, password=password, phrase=phrase)
