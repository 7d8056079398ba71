"""What the desk adds to a member's profile (``threads.extensions.profile_summary``) and the
pages it serves under it (``core.extensions.user_pages``); ``register()`` runs in
``DeskConfig.ready()``."""

from django.urls import path

from accounts.privileges import is_moderator
from core import extensions as site
from core.extensions import Cost, template_part
from desk import rules, views
from threads import extensions as threads


def register() -> None:
    threads.profile_summary.register(
        "desk.suspension",
        template_part("desk/partials/profile_summary.html", profile_summary),
        order=10,
        cost=Cost.NONE,
    )
    site.user_pages.register("message", views.member_message, url_name="desk-message")
    site.user_pages.register(
        "messages",
        routes=[
            path("", views.member_messages, name="desk-messages"),
            path("<id:thread>/reply/", views.message_reply, name="desk-message-reply"),
            path(
                "<id:thread>/acknowledge/",
                views.message_acknowledge,
                name="desk-message-acknowledge",
            ),
        ],
        url_name="desk-messages",  # the tab's link
        tab="Moderator messages",
        visible=_sees_messages,
    )
    site.user_pages.register(
        "moderation",
        views.moderation_record,
        url_name="desk-record",
        tab="Moderation record",
        visible=lambda viewer, member: is_moderator(viewer),
    )
    site.user_pages.register("destroy", views.spam_destroy, url_name="desk-spam-destroy")
    site.user_pages.register(
        "suspension",
        routes=[path("lift/", views.suspension_lift, name="desk-suspension-lift")],
    )


def _sees_messages(viewer, member) -> bool:
    return viewer.is_authenticated and (viewer.pk == member.pk or is_moderator(viewer))


def profile_summary(context, member) -> dict:
    """ "Suspended until …" for everyone; the desk's links for moderators. From the member
    row and the viewer's, no query."""
    viewer = context["user"]
    return {
        "member": member,
        "suspended": member.is_suspended,
        "moderating": is_moderator(viewer) and viewer.pk != member.pk,
        "destroyable": rules.can_destroy_spam_account(viewer, member),
    }
