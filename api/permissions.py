"""What a request may do through the API: reading is open to everyone (as the pages are);
writing needs a token with the right scope, or the member's own browser session. Whether the
member may do the action itself is decided by the same services and rules as the web."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from api.models import AccessToken, Scope
from api.tokens import scope_allowed


def _scope_ok(request, scope: str) -> bool:
    if not request.user or not request.user.is_authenticated:
        return False
    if isinstance(request.auth, AccessToken):
        return scope_allowed(request.auth, scope)
    return True  # a logged-in browser session (CSRF-checked by DRF) acts as the member


class ReadOrScoped(BasePermission):
    """Safe methods for everyone (a token used for them needs ``read``); unsafe ones need the
    view's ``required_scope`` (``write`` unless the view says ``moderate``)."""

    message = "This token's scopes do not allow that."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            if isinstance(request.auth, AccessToken):
                return scope_allowed(request.auth, Scope.READ)
            return True
        return _scope_ok(request, getattr(view, "required_scope", Scope.WRITE))
