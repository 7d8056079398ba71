from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts import profiles
from accounts.forms import ProfileForm
from accounts.models import User


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, pk: int):
    """The member's own profile form, or a moderator's (``accounts.profiles``)."""
    member = get_object_or_404(User, pk=pk, is_active=True)
    profiles.check_edit_profile_permission(request.user, member)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=member)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                profiles.profile_update(
                    actor=request.user,
                    member=User.objects.get(pk=member.pk),
                    values={name: form.cleaned_data[name] for name in profiles.PROFILE_FIELDS},
                    avatar=form.cleaned_data.get("avatar_upload"),
                    remove_avatar=form.cleaned_data.get("remove_avatar", False),
                )
            except ValidationError as refused:
                _add_errors(form, refused)
            else:
                messages.success(request, "Profile saved.")
                return redirect(User.objects.get(pk=member.pk))
        status = 400
    return render(
        request, "accounts/profile_edit.html", {"form": form, "member": member}, status=status
    )


def _add_errors(form, refused: ValidationError) -> None:
    """The service's refusal at its fields (the picture's at the upload field)."""
    if hasattr(refused, "error_dict"):
        for field, errors in refused.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error("avatar_upload", refused)
