from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from core.conf import qasite_setting
from core.extensions import user_pages
from threads import selectors


def user_detail(request, pk: int, slug: str | None = None):
    """Profile: reputation, its history, questions and answers (``?tab=``)."""
    member = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    if slug != member.slug:
        return redirect(member, permanent=True)
    tab = request.GET.get("tab", "questions")
    rows = {
        "questions": selectors.user_questions,
        "answers": selectors.user_answers,
        "reputation": selectors.reputation_history,
    }.get(tab)
    if rows is None:
        tab, rows = "questions", selectors.user_questions
    page = Paginator(rows(user=member), qasite_setting("USER_POSTS_PER_PAGE")).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "threads/user_detail.html",
        {
            "member": member,
            "tab": tab,
            "page": page,
            "rows": page.object_list,
            # The pages other apps register under the profile, as tabs, if they show one.
            "page_tabs": [
                (sub.tab, sub.url(member.pk)) for sub in user_pages.tabs(request.user, member)
            ],
        },
    )
