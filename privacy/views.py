"""The member's "Your data" page (``users/<id>/data/``) and its actions: request an
export, download it, ask for the account's deletion, cancel it. Only the member sees these
pages: anyone else, including moderators, gets a 404."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.conf import qasite_setting
from privacy import services
from privacy.forms import DeletionForm, ExportForm
from privacy.models import DataExport
from threads.views.common import add_refusal


def _owner_or_404(request, pk: int) -> None:
    if request.user.pk != pk or not request.user.is_active:
        raise Http404


def _page_url(pk: int) -> str:
    return reverse("privacy-data", kwargs={"pk": pk})


def _page(request, *, deletion_form=None, status=200):
    user = request.user
    conf = qasite_setting("PRIVACY")
    exports = list(DataExport.objects.filter(user=user)[:5])
    return render(
        request,
        "privacy/data.html",
        {
            "member": user,
            "exports": exports,
            "preparing": any(export.in_progress for export in exports),
            "export_form": ExportForm(initial={"token": uuid.uuid4()}),
            "deletion": services.open_deletion(user),
            "deletion_form": deletion_form or DeletionForm(),
            "phrase": conf["DELETION_PHRASE"],
            "grace_days": conf["DELETION_GRACE_DAYS"],
            "expiry_days": conf["EXPORT_EXPIRY_DAYS"],
        },
        status=status,
    )


@login_required
def data(request, pk: int):
    """Four queries: the exports, the open deletion request (with the session and user)."""
    _owner_or_404(request, pk)
    return _page(request)


@login_required
@require_POST
def export_request(request, pk: int):
    _owner_or_404(request, pk)
    form = ExportForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else None
    try:
        job, created = services.export_request(user=request.user, token=token)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    else:
        if created:
            messages.success(
                request, "Your data is being prepared: this page shows when it is ready."
            )
        else:
            messages.info(request, "Your export was already requested: one at a time.")
    return redirect(_page_url(pk))


@login_required
def export_download(request, pk: int, export: int):
    _owner_or_404(request, pk)
    try:
        job, file = services.export_open(user=request.user, export_id=export)
    except PermissionDenied:
        raise Http404 from None
    return FileResponse(
        file,
        as_attachment=True,
        filename=f"qasite-data-{request.user.pk}-{job.finished_at:%Y%m%d}.zip",
        content_type="application/zip",
    )


@login_required
@require_POST
def deletion_request(request, pk: int):
    _owner_or_404(request, pk)
    form = DeletionForm(request.POST)
    if form.is_valid():
        try:
            done = services.deletion_request(
                user=request.user,
                password=form.cleaned_data["password"],
                phrase=form.cleaned_data["phrase"],
            )
        except ValidationError as refused:
            add_refusal(form, refused)
        except PermissionDenied as refused:
            messages.error(request, str(refused))
            return redirect(_page_url(pk))
        else:
            messages.success(
                request,
                f"Your account will be deleted on {done.due_at:%b %d, %Y at %H:%M} (UTC). "
                "Until then you can cancel here.",
            )
            return redirect(_page_url(pk))
    return _page(request, deletion_form=form, status=400)


@login_required
@require_POST
def deletion_cancel(request, pk: int):
    _owner_or_404(request, pk)
    try:
        services.deletion_cancel(user=request.user)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "The deletion of your account is cancelled.")
    return redirect(_page_url(pk))
