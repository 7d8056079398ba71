"""Who may export or delete an account's data, and when (docs/rules.md, "Your data").
Each ``check_…`` raises ``PermissionDenied`` with the message the member sees; the services
call them inside their transactions, on the rows they locked."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from privacy.models import DataExport, DeletionRequest, ExportState
from threads.rules import require_account


def _own_account(user) -> None:
    require_account(user)
    if user.is_system:
        raise PermissionDenied("The Community account has no personal data.")


def check_request_export_permission(user) -> None:
    """Any member with an active account, suspended or not."""
    _own_account(user)


def check_download_export_permission(user, export: DataExport, now=None) -> None:
    """Only its owner, while it is ready and not expired (anyone else: the view's 404)."""
    _own_account(user)
    if export.user_id != user.pk:
        raise PermissionDenied("This export is not yours.")
    if export.state != ExportState.READY or (
        export.expires_at is not None and export.expires_at <= (now or timezone.now())
    ):
        raise PermissionDenied("This export is no longer available: request a new one.")


def check_request_deletion_permission(user, open_request: DeletionRequest | None) -> None:
    _own_account(user)
    if user.is_superuser:
        raise PermissionDenied(
            "An administrator's account is not deleted from here: ask another administrator."
        )
    if open_request is not None:
        raise PermissionDenied(
            f"Your account is already to be deleted on {open_request.due_at:%b %d, %Y at %H:%M}"
            " (UTC); you can cancel that below."
        )


def check_cancel_deletion_permission(user, open_request: DeletionRequest | None) -> None:
    require_account(user)
    if open_request is None:
        raise PermissionDenied("There is no deletion of your account to cancel.")


def check_erase_permission(request: DeletionRequest, now=None) -> None:
    """The job erases an account once its grace period is over, unless cancelled."""
    if not request.is_open:
        raise PermissionDenied("This deletion request was cancelled or carried out already.")
    if request.due_at > (now or timezone.now()):
        raise PermissionDenied("This deletion request's grace period is not over.")
