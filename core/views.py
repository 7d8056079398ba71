from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from core.conf import qasite_setting
from core.identicon import identicon_svg
from core.images import CONTENT_TYPES

#: What a stored image or an identicon may do once opened on its own: nothing but be shown.
MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'none'; sandbox"


def health(request):
    """For load balancers: the project's middleware, no query."""
    return HttpResponse("ok", content_type="text/plain")


def _harden(response, *, max_age: int, immutable: bool = False):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if immutable:
        patch_cache_control(response, public=True, max_age=max_age, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=max_age)
    return response


@require_safe
def media_image(request, folder: str, name: str):
    """A stored image (``MEDIA_URL``), with DEBUG on or off: only the folders the site
    writes images to (``MEDIA_IMAGE_FOLDERS``), only image extensions, one path segment,
    served with its image type and no sniffing (docs/architecture.md, "Media"). Stored
    names carry a content hash, so they are cached for good."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if (
        folder not in qasite_setting("MEDIA_IMAGE_FOLDERS")
        or extension not in CONTENT_TYPES
        or name.startswith(".")
        or "/" in name
        or "\\" in name
    ):
        raise Http404("No such image.")
    path = f"{folder}/{name}"
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, IsADirectoryError, PermissionError, ValueError):
        raise Http404("No such image.") from None
    response = FileResponse(handle, content_type=CONTENT_TYPES[extension])
    return _harden(response, max_age=365 * 24 * 3600, immutable=True)


@require_safe
def identicon(request, pk: int):
    """A member's default picture, drawn from the id (``core.identicon``), no query."""
    response = HttpResponse(identicon_svg(pk), content_type="image/svg+xml")
    return _harden(response, max_age=7 * 24 * 3600)


def help_index(request):
    """``/help/``: the help centre's sections, as the apps register them
    (``core.extensions.help_sections``)."""
    return render(request, "core/help_index.html")
