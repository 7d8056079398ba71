"""The profile (``/users/<id>/<slug>/``, its activity summary), its tabs (sub-pages
registered in ``ThreadsConfig.ready()`` through ``core.extensions.user_pages``) and the
users list (docs/architecture.md, "Profiles")."""

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from accounts.privileges import is_moderator
from core.conf import qasite_setting
from core.extensions import user_pages
from core.markdown import render_post
from threads import selectors, user_selectors
from threads.filters import UserFilter

#: The old ``?tab=`` values and the sub-page each moved to.
OLD_TABS = {
    "questions": "user-questions",
    "answers": "user-answers",
    "reputation": "user-reputation",
}

USER_SORT_LABELS = {
    "reputation": "Reputation",
    "new": "New users",
    "voters": "Voters",
    "editors": "Editors",
    "moderators": "Moderators",
}


def _member(pk: int):
    return get_object_or_404(get_user_model(), pk=pk, is_active=True)


def _render_tab(request, member, tab: str, template: str, values: dict, *, status: int = 200):
    """A tab of the profile: the header (counts, reach, about), the tabs, then ``values``."""
    tabs = []
    for sub in user_pages.tabs(request.user, member):
        url = member.get_absolute_url() if sub.name == "activity" else sub.url(member.pk)
        tabs.append((sub.tab, url, sub.name == tab))
    context = {
        "member": member,
        "tab": tab,
        "stats": user_selectors.profile_stats(user=member),
        "about_html": render_post(member.about) if member.about else "",
        "page_tabs": tabs,
        "can_edit": request.user.is_authenticated
        and (request.user.pk == member.pk or is_moderator(request.user)),
        **values,
    }
    return render(request, template, context, status=status)


def user_detail(request, pk: int, slug: str | None = None):
    """The profile and its activity summary. ``?tab=`` pages moved to their own URLs."""
    member = _member(pk)
    old_tab = request.GET.get("tab")
    if old_tab is not None:
        if old_tab in OLD_TABS:
            target = reverse(OLD_TABS[old_tab], kwargs={"pk": member.pk})
            page = request.GET.get("page")
            if page:
                target += "?" + urlencode({"page": page})
        else:
            target = member.get_absolute_url()
        return HttpResponsePermanentRedirect(target)
    if slug != member.slug:
        return redirect(member, permanent=True)
    return _activity(request, member)


def user_activity(request, pk: int):
    """The activity tab's own address: the profile is where it lives."""
    return redirect(_member(pk), permanent=True)


def _activity(request, member):
    limit = qasite_setting("PROFILES.ACTIVITY_ITEMS")
    return _render_tab(
        request,
        member,
        "activity",
        "threads/user_activity.html",
        {
            "top_posts": user_selectors.top_posts(user=member, limit=limit),
            "recent_posts": user_selectors.recent_posts(user=member, limit=limit),
            "top_tags": user_selectors.user_tags(user=member)[:limit],
        },
    )


def _posts_tab(request, pk: int, tab: str, listing):
    member = _member(pk)
    page = Paginator(listing(user=member), qasite_setting("USER_POSTS_PER_PAGE")).get_page(
        request.GET.get("page")
    )
    return _render_tab(
        request, member, tab, "threads/user_posts.html", {"page": page, "rows": page.object_list}
    )


def user_questions(request, pk: int):
    return _posts_tab(request, pk, "questions", selectors.user_questions)


def user_answers(request, pk: int):
    return _posts_tab(request, pk, "answers", selectors.user_answers)


def user_tags(request, pk: int):
    """Each tag with the member's tag score and post count (docs/rules.md)."""
    member = _member(pk)
    tags = user_selectors.user_tags(user=member)
    page = Paginator(tags, qasite_setting("USER_TAGS_PER_PAGE")).get_page(request.GET.get("page"))
    return _render_tab(
        request, member, "tags", "threads/user_tags.html", {"page": page, "rows": page.object_list}
    )


def user_reputation(request, pk: int):
    """Reputation changes by UTC day; the page's days are grouped in one query."""
    member = _member(pk)
    page = Paginator(
        selectors.reputation_days(user=member), qasite_setting("REPUTATION_DAYS_PER_PAGE")
    ).get_page(request.GET.get("page"))
    rows = selectors.reputation_feed(user=member, days=page.object_list)
    return _render_tab(
        request, member, "reputation", "threads/user_reputation.html", {"page": page, "rows": rows}
    )


def user_list(request):
    """``/users/``: sorted by reputation, newest, voters, editors or moderators, filtered by
    name (``?q=``), paged; constant queries (docs/rules.md, "Users list")."""
    sort = request.GET.get("tab", "reputation")
    if sort not in USER_SORT_LABELS:
        sort = "reputation"
    active = get_user_model().objects.filter(is_active=True, is_system=False)
    filtered = UserFilter(request.GET, queryset=active)
    users = filtered.qs if filtered.is_valid() else active
    listing = user_selectors.users_listing(sort=sort, users=users)
    page = Paginator(listing, qasite_setting("PROFILES.USERS_PER_PAGE")).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "threads/user_list.html",
        {
            "page": page,
            "members": user_selectors.members_of(page.object_list),
            "sort": sort,
            "sorts": USER_SORT_LABELS,
            "filter": filtered,
            "q": filtered.form.cleaned_data.get("q", "") if filtered.is_valid() else "",
            "period_days": qasite_setting("PROFILES.USERS_ACTIVITY_DAYS"),
        },
    )
