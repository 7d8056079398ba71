"""Every refusal as JSON: ``{"error": {"status", "message", "fields"}}`` (docs/rules.md,
"API"). The services' own refusals map as on the web: ``RateLimited`` → 429 with
``Retry-After``, ``PermissionDenied`` → 403, Django's ``ValidationError`` → 400 naming the
fields, ``Http404`` → 404."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import RateLimited


def _body(status_code: int, message: str, fields: dict | None = None) -> dict:
    return {"error": {"status": status_code, "message": message, "fields": fields or {}}}


def exception_handler(exc, context):
    if isinstance(exc, RateLimited):
        response = Response(_body(429, str(exc)), status=status.HTTP_429_TOO_MANY_REQUESTS)
        response["Retry-After"] = str(getattr(exc, "retry_after", None) or 60)
        return response
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = " ".join(exc.messages) or "Invalid input."
        return Response(_body(400, message, fields), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(detail, dict) and set(detail) != {"detail"}:
        response.data = _body(response.status_code, "Invalid input.", detail)
    else:
        message = detail.get("detail", "") if isinstance(detail, dict) else str(detail)
        response.data = _body(response.status_code, str(message))
    return response


def not_found(request, *args, **kwargs) -> JsonResponse:
    """An address under /api/v1/ that names no endpoint (or a malformed id in one)."""
    return JsonResponse(_body(404, "No such endpoint or object."), status=404)
