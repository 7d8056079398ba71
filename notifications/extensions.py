"""What notifications adds to the pages below it (``core.extensions``,
``threads.extensions``), registered in ``NotificationsConfig.ready()``."""

from django.template.loader import render_to_string

from core import extensions as site
from core.extensions import Cost, template_part
from notifications import follows, selectors, views
from threads import extensions as threads
from threads.cache import fill_slots, fragment_slots, shared_fragment


def register() -> None:
    site.user_menu.register(
        "notifications.inbox",
        template_part("notifications/partials/inbox_link.html", inbox_link),
        cost=Cost.CACHE_READ,
    )
    threads.question_controls.register(
        "notifications.follow", follow_button, order=50, cost=Cost.QUERIES
    )
    threads.question_pages.register("follow", views.question_follow, url_name="question-follow")


def inbox_link(context) -> dict | None:
    """The inbox link with the unread count: one cache read."""
    user = context["user"]
    if not user.is_authenticated:
        return None
    return {"unread": selectors.unread_count(user=user)}


def follow_button(context, question) -> str:
    """Follow / Following on the question, for members: one query."""
    user = context["user"]
    if not user.is_authenticated or question.deleted_at is not None:
        return ""
    following = follows.is_following(user=user, question=question)
    # The same two buttons for everyone: rendered once per question and state, this
    # request's CSRF token filled in (``threads.cache``).
    html = shared_fragment(
        ("follow-button", question.pk, following),
        lambda: render_to_string(
            "notifications/partials/follow_button.html",
            {"question": question, "following": following, **fragment_slots()},
        ),
    )
    return fill_slots(html, csrf_token=context.get("csrf_token"))
