"""Who may upload images and use the preview (docs/rules.md, "The editor and images in
posts")."""

from accounts.privileges import Privilege
from threads.rules import require_poster, require_privilege


def check_preview_permission(user) -> None:
    """Anyone who may write: logged in, with a confirmed address."""
    require_poster(user)


def check_upload_permission(user) -> None:
    """A writer with the ``UPLOAD_IMAGES`` privilege (reputation 10 by default)."""
    require_poster(user)
    require_privilege(user, Privilege.UPLOAD_IMAGES, "upload images")
