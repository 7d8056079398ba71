from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from core.conf import qasite_setting
from core.extensions import user_pages
from threads import selectors

POST_TABS = {"questions": selectors.user_questions, "answers": selectors.user_answers}


def user_detail(request, pk: int, slug: str | None = None):
    """Profile: reputation, its changes by day, questions and answers (``?tab=``)."""
    member = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    if slug != member.slug:
        return redirect(member, permanent=True)
    tab = request.GET.get("tab", "questions")
    if tab == "reputation":
        listing, per_page = selectors.reputation_days(user=member), "REPUTATION_DAYS_PER_PAGE"
    else:
        tab = tab if tab in POST_TABS else "questions"
        listing, per_page = POST_TABS[tab](user=member), "USER_POSTS_PER_PAGE"
    page = Paginator(listing, qasite_setting(per_page)).get_page(request.GET.get("page"))
    rows = page.object_list
    if tab == "reputation":
        # The tab pages through UTC days; the page's days are grouped in one query.
        rows = selectors.reputation_feed(user=member, days=rows)
    return render(
        request,
        "threads/user_detail.html",
        {
            "member": member,
            "tab": tab,
            "page": page,
            "rows": rows,
            # The pages other apps register under the profile, as tabs, if they show one.
            "page_tabs": [
                (sub.tab, sub.url(member.pk)) for sub in user_pages.tabs(request.user, member)
            ],
        },
    )
