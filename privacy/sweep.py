"""The periodic job of privacy (``manage.py privacy_sweep``, and RQ's cron in
``privacy.cron``): erase the accounts whose grace period is over, remove expired exports'
files, and build the exports whose background job was lost."""

from privacy.erasure import erase_due
from privacy.services import exports_expire, exports_retry


def sweep() -> dict[str, int]:
    return {
        "erased": erase_due(),
        "exports_expired": exports_expire(),
        "exports_built": exports_retry(),
    }
