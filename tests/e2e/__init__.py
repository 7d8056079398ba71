"""Browser tests (Playwright driving Debian's chromium; see conftest.py)."""

from accounts.privileges import Privilege
from core.conf import qasite_setting
from tests.factories import UserFactory


def closer_accounts() -> list:
    """closer1…closerN: as many 3000-reputation users as it takes to close a question."""
    return [
        UserFactory(
            username=f"closer{i}",
            display_name=f"closer{i}",
            reputation=Privilege.CAST_CLOSE_VOTES.reputation,
        )
        for i in range(1, qasite_setting("CLOSE_VOTES_TO_CLOSE") + 1)
    ]
