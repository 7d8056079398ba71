"""The owner's "API tokens" sub-page of their profile (``/users/<id>/tokens/``): list, make
(the plain token shown once) and revoke, all through ``api.tokens`` (docs/rules.md, "API
tokens")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api import tokens
from api.forms import TokenForm
from api.models import AccessToken


def _owner_or_404(request, pk: int) -> None:
    if request.user.pk != pk or not request.user.is_active:
        raise Http404


def _page(request, *, form=None, plain: str = "", status: int = 200):
    return render(
        request,
        "api/tokens.html",
        {
            "member": request.user,
            "tokens": tokens.tokens_of(request.user),
            "form": form or TokenForm(),
            "plain": plain,
            "may_moderate": tokens.may_moderate(request.user),
            "now": timezone.now(),
        },
        status=status,
    )


@never_cache
@login_required
def token_page(request, pk: int):
    """Two queries beyond the session: the tokens, and the privilege check's own."""
    _owner_or_404(request, pk)
    if request.method != "POST":
        return _page(request)
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, plain = tokens.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
            )
        except (ValidationError, PermissionDenied) as refused:
            form.add_error(None, refused if isinstance(refused, ValidationError) else str(refused))
        else:
            # Shown on this answer only (never stored, never in a redirect or the session).
            return _page(request, plain=plain, status=201)
    return _page(request, form=form, status=400)


@login_required
@require_POST
def token_revoke(request, pk: int, token: int):
    _owner_or_404(request, pk)
    found = get_object_or_404(AccessToken, pk=token, user=request.user)
    tokens.token_revoke(user=request.user, token=found)
    messages.success(request, f"The token “{found.name}” is revoked: it no longer works.")
    return redirect(reverse("api-tokens", kwargs={"pk": pk}))
