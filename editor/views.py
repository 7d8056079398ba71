"""The editor's two endpoints (docs/architecture.md, "The editor"): JSON for its script,
CSRF-protected POSTs like every form of the site."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from core.exceptions import RateLimited
from editor import services


def _refusal(error: PermissionDenied | ValidationError) -> JsonResponse:
    """A refused request's answer: 429 over a rate limit (checked first: ``RateLimited``
    extends ``PermissionDenied``), 403 without the right, 400 for bad input."""
    if isinstance(error, ValidationError):
        message, status = " ".join(error.messages), 400
    else:
        message, status = str(error), 429 if isinstance(error, RateLimited) else 403
    return JsonResponse({"error": message or "Refused."}, status=status)


@require_POST
def preview(request):
    """``POST /editor/preview/`` with ``text``: ``{"html": …}``, the text rendered exactly as
    a stored post is."""
    try:
        html = services.preview(user=request.user, text=request.POST.get("text", ""))
    except (PermissionDenied, ValidationError) as refused:
        return _refusal(refused)
    return JsonResponse({"html": html})


@require_POST
def upload(request):
    """``POST /editor/uploads/`` with the ``image`` file: ``{"url", "markdown"}`` of the
    stored image, or ``{"error"}`` saying why it was refused (nothing is written then)."""
    file = request.FILES.get("image")
    if file is None:
        return JsonResponse({"error": "Choose an image to upload."}, status=400)
    try:
        upload = services.upload_create(user=request.user, file=file)
    except (PermissionDenied, ValidationError) as refused:
        return _refusal(refused)
    url = services.upload_url(upload)
    description = request.POST.get("description", "").strip()[:100] or "image"
    for bad in "[]\\\n\r":
        description = description.replace(bad, " ")
    return JsonResponse(
        {"url": url, "markdown": f"![{description}]({url})", "width": upload.width},
        status=201,
    )
