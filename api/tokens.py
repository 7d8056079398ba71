"""Making, reading and revoking personal access tokens: the one place that decides who may
hold which scope (docs/rules.md, "API tokens")."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.middleware import has_authenticator, must_enrol
from accounts.privileges import Privilege, has_privilege
from api.models import AccessToken, Scope
from core.conf import qasite_setting

TOKEN_PREFIX = "qst_"


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def may_moderate(user) -> bool:
    """Whether ``user`` may hold a ``moderate`` token now: a moderation privilege (casting
    close votes, which reviewing and flagging come before) and, where the site requires
    two-factor of them, an authenticator."""
    if not user.is_active or not has_privilege(user, Privilege.CAST_CLOSE_VOTES):
        return False
    return not must_enrol(user) or has_authenticator(user)


def scope_allowed(token: AccessToken, scope: str) -> bool:
    """A token's scope works while its owner still qualifies for it."""
    if not token.has_scope(scope):
        return False
    return scope != Scope.MODERATE or may_moderate(token.user)


@transaction.atomic
def token_create(*, user, name: str, scopes: list[str], days: int) -> tuple[AccessToken, str]:
    """A new token for ``user``; returns it and its plain text, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the token: what will use it?"})
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise ValidationError({"scopes": "Choose one or more of: read, write, moderate."})
    longest = qasite_setting("API.TOKEN_MAX_DAYS")
    if not 1 <= days <= longest:
        raise ValidationError({"days": f"A token lasts from 1 to {longest} days."})
    if Scope.MODERATE in scopes and not may_moderate(user):
        raise PermissionDenied(
            "A moderate token needs the close-vote privilege and, where the site requires it "
            "of you, two-factor authentication."
        )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = AccessToken.objects.create(
        user=user,
        name=name[:100],
        prefix=plain[:12],
        digest=digest_of(plain),
        scopes=sorted(set(scopes)),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    return token, plain


def token_revoke(*, user, token: AccessToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied("That token isn't yours.")
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def token_for(plain: str) -> AccessToken | None:
    """The live token with this plain text (not revoked, not expired), or None. Records its
    use at most once a minute (one UPDATE), so reads stay cheap."""
    token = (
        AccessToken.objects.select_related("user")
        .filter(digest=digest_of(plain), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user) -> list[AccessToken]:
    """The owner's tokens, newest first, revoked and expired ones too (one query)."""
    return list(AccessToken.objects.filter(user=user).order_by("-created_at", "-pk"))
