"""The question page's moderation pieces, computed here so ``threads`` never imports
``moderation``: the page template loads these tags."""

from django import template
from django.template.loader import render_to_string

from accounts.privileges import Privilege, has_privilege, is_moderator, privilege_signature
from core.conf import qasite_setting
from moderation import flags, rules, services
from threads.cache import fill_slots, fragment_slots, shared_fragment
from threads.rules import allowed

register = template.Library()


@register.simple_tag(takes_context=True)
def question_moderation_tools(context, question):
    """Close/reopen buttons with the pending counts the user may see, the user's own
    pending vote, and moderator tools. Drawn on every view of a question page, so cached
    per reader and question ``version`` (every vote cast or retracted, closure and
    reopening bumps it; the reader's privileges are part of the key), with this request's
    CSRF token filled in."""
    user = context["user"]
    key = ("question-tools", question.pk, question.version, user.pk, privilege_signature(user))
    html = shared_fragment(
        key,
        lambda: render_to_string(
            "moderation/partials/question_tools.html",
            _question_tools_context(user, question) | fragment_slots(),
        ),
    )
    return fill_slots(html, csrf_token=context.get("csrf_token"))


def _question_tools_context(user, question) -> dict:
    can_close = allowed(rules.check_cast_close_vote_permission, user, question)
    can_reopen = allowed(rules.check_cast_reopen_vote_permission, user, question)
    return {
        "question": question,
        "user": user,
        "can_close": can_close,
        "can_reopen": can_reopen,
        "my_close_vote": services.close_vote_of(voter=user, question=question)
        if can_close
        else None,
        "my_reopen_vote": services.reopen_vote_of(voter=user, question=question)
        if can_reopen
        else None,
        "see_counts": rules.can_see_close_votes(user, question),
        "close_needed": qasite_setting("CLOSE_VOTES_TO_CLOSE"),
        "reopen_needed": qasite_setting("REOPEN_VOTES_TO_REOPEN"),
        "is_moderator": is_moderator(user),
        "can_protect": has_privilege(user, Privilege.PROTECT_QUESTIONS),
    }


@register.inclusion_tag("moderation/partials/close_notice.html", takes_context=True)
def close_notice(context, question):
    """The notice on a closed question, from the snapshot stored at closure."""
    notice = question.close_notice or {}
    user = context["user"]
    return {
        "question": question,
        "notice": notice,
        "reason": notice.get("reason") or {},
        "group": notice.get("group"),
        "is_asker": user.is_authenticated and user.pk == question.author_id,
    }


@register.inclusion_tag("moderation/partials/post_tools.html", takes_context=True)
def post_moderation_tools(context, post):
    """Flag for users who may; lock/unlock and undelete for moderators."""
    user = context["user"]
    return {
        "post": post,
        "is_moderator": is_moderator(user),
        "can_flag": allowed(rules.check_flag_permission, user, post),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("moderation/partials/nav.html", takes_context=True)
def moderation_nav(context):
    user = context["user"]
    return {
        "can_review": has_privilege(user, Privilege.REVIEW_FIRST_POSTS),
        "is_moderator": is_moderator(user),
    }


@register.inclusion_tag("moderation/partials/user_summary.html", takes_context=True)
def user_moderation_summary(context, member):
    """On a profile: a review suspension in force, and (to the member and moderators) the
    flag counts with a link to the flag history."""
    own_or_moderator = allowed(rules.check_view_flag_history_permission, context["user"], member)
    return {
        "member": member,
        "suspension": rules.active_review_suspension(member),
        "flag_counts": flags.flag_counts(flagger=member) if own_or_moderator else None,
    }
