"""The desk's pages under a member's profile (``users/<id>/message/``, ``…/messages/``,
``…/suspension/lift/``). Anyone who may not use one gets a 404, as if it did not exist."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from desk import rules, selectors, services, spam
from desk.forms import AnnotationForm, MessageForm, ReplyForm, SpamDestroyForm
from desk.message_templates import BY_KEY, TEMPLATES
from desk.notices import refresh
from desk.record import record_of
from threads.rules import allowed
from threads.views.common import add_refusal


def _member(pk: int):
    return get_object_or_404(get_user_model(), pk=pk, is_system=False)


def _moderator_or_404(request) -> None:
    if not allowed(rules.check_moderate_member_permission, request.user):
        raise Http404


@require_http_methods(["GET", "POST"])
def member_message(request, pk: int):
    """The message form: a template (``?template=``) fills the subject and text to edit."""
    _moderator_or_404(request)
    member = _member(pk)
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                thread = services.message_send(
                    moderator=request.user,
                    member=member,
                    template=form.cleaned_data["template"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    suspend_until=form.cleaned_data["ends_at"],
                )
            except (PermissionDenied, ValidationError) as refused:
                add_refusal(form, refused)
            else:
                messages.success(request, f"Your message to {member.name} is sent.")
                return redirect(services.messages_url(member.pk, thread.pk))
    else:
        template = BY_KEY.get(request.GET.get("template", ""), TEMPLATES[0])
        form = MessageForm(
            initial={"template": template.key, "subject": template.subject, "body": template.body}
        )
    return render(
        request,
        "desk/message_form.html",
        {"member": member, "form": form, "templates": TEMPLATES},
        status=400 if form.errors else 200,
    )


def _conversation(request, member, *, reply_to=None, reply_form=None, status=200):
    if not rules.can_read_messages(request.user, member):
        raise Http404
    threads = selectors.conversations(member=member)
    if request.user.pk == member.pk:
        refresh(member.pk)  # this page is where the notice leads: its cache entry is exact
    return render(
        request,
        "desk/messages.html",
        {
            "member": member,
            "threads": threads,
            "is_member": request.user.pk == member.pk,
            "reply_to": reply_to,
            "reply_form": reply_form,
            "suspensions": selectors.suspensions(member=member)
            if rules.allowed_to_moderate(request.user)
            else [],
        },
        status=status,
    )


def member_messages(request, pk: int):
    return _conversation(request, _member(pk))


def _thread(request, pk: int, thread: int):
    member = _member(pk)
    if not rules.can_read_messages(request.user, member):
        raise Http404
    return member, get_object_or_404(selectors.threads_of(member=member), pk=thread)


@require_POST
def message_reply(request, pk: int, thread: int):
    member, conversation = _thread(request, pk, thread)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.message_reply(
                author=request.user, thread=conversation, body=form.cleaned_data["body"]
            )
        except (PermissionDenied, ValidationError) as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, "Your reply is sent.")
            return redirect(services.messages_url(member.pk, conversation.pk))
    return _conversation(request, member, reply_to=conversation.pk, reply_form=form, status=400)


@require_POST
def message_acknowledge(request, pk: int, thread: int):
    member, conversation = _thread(request, pk, thread)
    try:
        services.messages_acknowledge(user=request.user, thread=conversation)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, "Thank you: the message stays here and in your inbox.")
    return redirect(services.messages_url(member.pk, conversation.pk))


@require_POST
def suspension_lift(request, pk: int):
    _moderator_or_404(request)
    member = _member(pk)
    try:
        services.suspension_lift(moderator=request.user, member=member)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{member.name}'s suspension is lifted.")
    return redirect(member) if member.is_active else redirect("desk-messages", pk=member.pk)


def _submitted(request, form, act, refusals: tuple[type[Exception], ...]):
    """Run ``act(form.cleaned_data)`` on a valid POST of ``form``. Returns (the response
    ``act`` gave, or None to show the page again; the status of that page): 400 for an
    invalid form, the refusal's status (``add_refusal``) when ``act`` raises ``refusals``."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400
    try:
        return act(form.cleaned_data), 200
    except refusals as refused:
        return None, add_refusal(form, refused)


@require_http_methods(["GET", "POST"])
def moderation_record(request, pk: int):
    """A member's moderation record, and the form for a private annotation."""
    _moderator_or_404(request)
    member = _member(pk)
    form = AnnotationForm(request.POST or None)

    def add(data):
        services.annotation_add(moderator=request.user, member=member, body=data["body"])
        messages.success(request, "Annotation added.")
        return redirect("desk-record", pk=member.pk)

    done, status = _submitted(request, form, add, (ValidationError,))
    if done is not None:
        return done
    return render(
        request,
        "desk/record.html",
        {"member": member, "record": record_of(member), "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def spam_destroy(request, pk: int):
    """The confirmation page of destroying a spam account, and the action."""
    _moderator_or_404(request)
    member = _member(pk)
    form = SpamDestroyForm(request.POST or None)

    def destroy(data):
        if spam.spam_account_destroy(moderator=request.user, member=member, reason=data["reason"]):
            messages.success(request, f"{member.name}'s account is destroyed as spam.")
        else:
            messages.info(request, f"{member.name}'s account was already deactivated.")
        return redirect(member)

    done, status = _submitted(request, form, destroy, (PermissionDenied, ValidationError))
    if done is not None:
        return done
    return render(
        request,
        "desk/spam_destroy.html",
        {
            "member": member,
            "form": form,
            "posts": member.posts.filter(deleted_at__isnull=True).count(),
            "comments": member.comments.filter(deleted_at__isnull=True).count(),
        },
        status=status,
    )
