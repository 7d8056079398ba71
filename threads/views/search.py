from django.shortcuts import render

from threads import search as site_search
from threads.cache import anonymous_page_cache
from threads.views.common import lists_state


# Anonymous pages are cached as the question lists are: until any post changes (its
# ``changed_at``). The page holds nothing per visitor.
@anonymous_page_cache(lists_state)
def search(request):
    """``/search/?q=…&sort=relevance|newest|votes&page=n``: any query string gives a page
    (malformed syntax is read as words), never an error."""
    query = site_search.parse(request.GET.get("q", ""))
    sort = request.GET.get("sort", "relevance")
    sort = sort if sort in site_search.SORTS else "relevance"
    page = site_search.search(query, sort=sort, page=request.GET.get("page"))
    return render(
        request,
        "threads/search.html",
        {
            "query": query,
            "search_q": query.raw,
            "sort": sort,
            "sorts": site_search.SORTS,
            "page": page,
            "results": page.object_list,
        },
    )
