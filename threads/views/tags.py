from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from threads import selectors


def tag_list(request):
    sort = request.GET.get("sort", "popular")
    query = request.GET.get("q", "")[:35]
    tags = selectors.tag_list(name_contains=query, sort=sort)
    page = Paginator(tags, 36).get_page(request.GET.get("page"))
    return render(
        request,
        "threads/tag_list.html",
        {"page": page, "tags": page.object_list, "sort": sort, "q": query},
    )


def tag_suggest(request):
    """Names for the ask form's tag field (a datalist filled by the script)."""
    return JsonResponse({"tags": selectors.tag_suggestions(prefix=request.GET.get("q", "")[:35])})
