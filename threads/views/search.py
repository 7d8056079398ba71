from django.conf import settings
from django.shortcuts import render

from threads import search as site_search
from threads.cache import anonymous_page_cache
from threads.views.common import lists_state
from threads.views.shared import list_page


# Pages are cached as the question lists are: until any post changes (its ``changed_at``).
# The page holds nothing per visitor but ``user:me``, resolved for members only (their
# pages are shared by the members with the same ``user:me``: ``list_page``).
@anonymous_page_cache(lists_state)
def search(request):
    """``/search/?q=…&sort=relevance|newest|votes&page=n``: any query string gives a page
    (malformed syntax is read as words), never an error."""
    query = site_search.parse(request.GET.get("q", ""))
    query = query.for_user(request.user.pk if request.user.is_authenticated else None)
    sort = request.GET.get("sort", "relevance")
    sort = sort if sort in site_search.SORTS else "relevance"

    def context() -> dict:
        page = site_search.search(query, sort=sort, page=request.GET.get("page"))
        return {
            "query": query,
            "search_q": query.raw,
            "searching_for": site_search.describe(query),
            "sort": sort,
            "sorts": site_search.SORTS,
            "page": page,
            "results": page.object_list,
        }

    return list_page(request, "threads/search.html", context, reader=query.user_id)


# (syntax, what it finds, an example): the help page's table.
OPERATORS = (
    ("words", "posts holding every word", "css grid"),
    ('"exact phrase"', "the words in this order", '"stack overflow"'),
    ('-word, -"phrase"', "posts without the word or phrase", "python -django"),
    (
        "[tag]",
        "questions with the tag, and their answers (several: all of them)",
        "[python] [regex]",
    ),
    ("-[tag]", "posts not under the tag", "[python] -[python-2.7]"),
    ("user:me, user:1234", "your posts; the posts of user 1234", "user:me is:answer"),
    ("is:question, is:answer", "only questions, only answers", "is:question grid"),
    ("closed:yes, closed:no", "in closed questions; in open ones", "closed:no [css]"),
    ("duplicate:yes, duplicate:no", "in questions closed as duplicates; or not", "duplicate:yes"),
    (
        "isaccepted:yes, isaccepted:no",
        "accepted answers and questions with one; or not",
        "isaccepted:yes is:answer",
    ),
    ("score:3, score:-1..1", "score of 3 or more; a range", "score:3.. [css]"),
    ("answers:0, answers:2..", "questions without answers; with 2 or more", "answers:0 [python]"),
    ("created:2024-01..2024-06", "posts written in these months", "created:2024 [python]"),
)


def search_help(request):
    """``/search/help/``: the operators, with examples (docs/rules.md, "Search")."""
    return render(
        request,
        "threads/search_help.html",
        {"operators": OPERATORS, "time_zone": settings.TIME_ZONE},
    )
