"""A member's requests about their data: an export (built by a background job) and the
deletion of their account, with its grace period and cancellation (docs/rules.md, "Your
data"). Each checks ``privacy.rules`` inside its transaction, on the member's locked row,
and logs itself in ``accounts.AccountEvent``. The erasure itself is ``privacy.erasure``."""

import logging
import secrets
import tempfile
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AccountEvent, AccountEventKind
from core.conf import qasite_setting
from notifications.mail_queue import enqueue
from privacy import export, rules
from privacy.models import IN_PROGRESS, DataExport, DeletionRequest, ExportState

logger = logging.getLogger(__name__)

#: How long a worker may take to build one export; one still unbuilt after twice that
#: counts as failed (the member may ask again).
BUILD_SECONDS = 3600


def private_storage():
    return storages["private"]


def _lock_user(user):
    return get_user_model().objects.select_for_update().get(pk=user.pk)


def _conf(name: str):
    return qasite_setting("PRIVACY")[name]


# Exports -------------------------------------------------------------------------------------


def export_request(*, user, token: uuid.UUID | None = None) -> tuple[DataExport, bool]:
    """Ask for a copy of ``user``'s data. One at a time: while one is being prepared, a
    new request (a replayed or raced POST too) gets it back and queues nothing. Returns
    (the export, whether it was created)."""
    try:
        with transaction.atomic():
            user = _lock_user(user)
            rules.check_request_export_permission(user)
            existing = _existing(user, token)
            if existing is not None:
                return existing, False
            created = DataExport.objects.create(user=user, creation_token=token)
            AccountEvent.objects.create(
                user=user,
                kind=AccountEventKind.EXPORT_REQUESTED,
                actor=user,
                details={"export": created.pk},
            )
            transaction.on_commit(
                lambda: enqueue(export_build, created.pk, job_timeout=BUILD_SECONDS), robust=True
            )
            return created, True
    except IntegrityError:  # a parallel request won the race: its export is the one
        existing = _existing(user, token)
        if existing is None:
            raise
        return existing, False


def _existing(user, token) -> DataExport | None:
    if token is not None:
        by_token = DataExport.objects.filter(creation_token=token, user=user).first()
        if by_token is not None:
            return by_token
    return DataExport.objects.filter(user=user, state__in=IN_PROGRESS).first()


def export_build(export_id: int) -> bool:
    """The background job: write the zip to the private storage. Claims the export first
    (pending → building), so a retried or duplicated job builds it once."""
    claimed = DataExport.objects.filter(pk=export_id, state=ExportState.PENDING).update(
        state=ExportState.BUILDING
    )
    if not claimed:
        return False
    job = DataExport.objects.select_related("user").get(pk=export_id)
    storage = private_storage()
    try:
        with tempfile.TemporaryFile() as scratch:
            export.write_zip(job.user, scratch)
            scratch.seek(0)
            name = storage.save(f"exports/{job.user_id}/{secrets.token_hex(16)}.zip", File(scratch))
            size = storage.size(name)
    except Exception:
        logger.exception("Export %s failed", export_id)
        DataExport.objects.filter(pk=export_id).update(
            state=ExportState.FAILED, finished_at=timezone.now()
        )
        return False
    now = timezone.now()
    DataExport.objects.filter(pk=export_id).update(
        state=ExportState.READY,
        file=name,
        size=size,
        finished_at=now,
        expires_at=now + timedelta(days=_conf("EXPORT_EXPIRY_DAYS")),
    )
    return True


def export_open(*, user, export_id: int):
    """The export's file, opened for its owner (``PermissionDenied`` for anyone else)."""
    job = DataExport.objects.filter(pk=export_id).first()
    if job is None:
        raise PermissionDenied("There is no such export.")
    rules.check_download_export_permission(user, job)
    return job, private_storage().open(job.file, "rb")


def _remove_file(name: str) -> None:
    if name:
        private_storage().delete(name)


def exports_expire(*, now=None) -> int:
    """The sweep: remove the files of exports past their expiry."""
    now = now or timezone.now()
    expired = 0
    for job in DataExport.objects.filter(state=ExportState.READY, expires_at__lte=now).only(
        "pk", "file"
    ):
        if DataExport.objects.filter(pk=job.pk, state=ExportState.READY).update(
            state=ExportState.EXPIRED, file=""
        ):
            _remove_file(job.file)
            expired += 1
    return expired


def exports_retry(*, now=None) -> int:
    """The sweep: build the exports whose job was lost (queued over 10 minutes ago and
    still pending: Redis was down, a worker crashed before claiming it), and give up on
    those a worker claimed but never finished (it was killed)."""
    now = now or timezone.now()
    DataExport.objects.filter(
        state=ExportState.BUILDING, requested_at__lte=now - timedelta(seconds=2 * BUILD_SECONDS)
    ).update(state=ExportState.FAILED, finished_at=now)
    stale = DataExport.objects.filter(
        state=ExportState.PENDING, requested_at__lte=now - timedelta(minutes=10)
    ).values_list("pk", flat=True)
    return sum(export_build(pk) for pk in list(stale))


def exports_remove(*, user) -> int:
    """Every export of ``user`` and its file (the erasure)."""
    jobs = list(DataExport.objects.filter(user=user).values_list("file", flat=True))
    DataExport.objects.filter(user=user).delete()
    for name in jobs:
        transaction.on_commit(lambda name=name: _remove_file(name), robust=True)
    return len(jobs)


# Deletion requests ---------------------------------------------------------------------------


def open_deletion(user) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(
        user_id=user.pk, cancelled_at__isnull=True, erased_at__isnull=True
    ).first()


@transaction.atomic
def deletion_request(*, user, password: str, phrase: str) -> DeletionRequest:
    """Ask for the account to be deleted after the grace period. Needs the password and the
    confirmation phrase typed exactly; a second request while one is open is refused."""
    user = _lock_user(user)
    rules.check_request_deletion_permission(user, open_deletion(user))
    errors = {}
    if not password or not user.check_password(password):
        errors["password"] = "That is not your password."
    wanted = _conf("DELETION_PHRASE")
    if " ".join((phrase or "").split()).lower() != wanted:
        errors["phrase"] = f"Type “{wanted}” to confirm."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    request = DeletionRequest.objects.create(
        user=user, requested_at=now, due_at=now + timedelta(days=_conf("DELETION_GRACE_DAYS"))
    )
    AccountEvent.objects.create(
        user=user,
        kind=AccountEventKind.DELETION_REQUESTED,
        actor=user,
        details={"request": request.pk, "due_at": request.due_at.isoformat()},
    )
    return request


@transaction.atomic
def deletion_cancel(*, user) -> DeletionRequest:
    """Cancel the pending deletion, any time before the job carries it out."""
    user = _lock_user(user)
    request = open_deletion(user)
    rules.check_cancel_deletion_permission(user, request)
    request.cancelled_at = timezone.now()
    request.save(update_fields=["cancelled_at"])
    AccountEvent.objects.create(
        user=user,
        kind=AccountEventKind.DELETION_CANCELLED,
        actor=user,
        details={"request": request.pk},
    )
    return request
