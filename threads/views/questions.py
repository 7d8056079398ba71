from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from accounts.privileges import Privilege, has_privilege, privilege_signature
from core.conf import qasite_setting
from core.pagination import numbered_page, page_size
from threads import extensions as thread_points
from threads import page_state, rules, selectors, services, structured_data
from threads.cache import (
    anonymous_page_cache,
    fragment_slots,
    render_fragment,
    shared_fragment,
    slot,
)
from threads.filters import split_tags
from threads.forms import AnswerForm, QuestionForm, started_now
from threads.models import Post, question_slug
from threads.selectors import ANSWER_SORTS, QUESTION_SORTS, SORT_ALIASES
from threads.views.common import (
    add_refusal,
    body_preview,
    lists_state,
    preview_requested,
    synonym_redirect,
    visible_post,
    visitor_key,
)
from threads.views.shared import fill_page, list_page, page_slots

SORT_LABELS = {
    "newest": "Newest",
    "active": "Active",
    "unanswered": "Unanswered",
    "votes": "Votes",
    "frequent": "Frequent",
    "hot": "Hot",
    "week": "Week",
    "month": "Month",
}


def _list_context(request, *, sort: str, params, title: str, tag=None) -> dict:
    """A question list: the tab (``?sort=``), the filters (``?tagged=``), the page size
    (``?pagesize=``) and the page; anything unknown falls back (docs/rules.md, "Question
    lists")."""
    sort = SORT_ALIASES.get(sort, sort)
    sort = sort if sort in QUESTION_SORTS else "newest"
    conf = qasite_setting("LISTS")
    per_page = page_size(
        request.GET.get("pagesize"),
        sizes=conf["PAGE_SIZES"],
        default=qasite_setting("QUESTIONS_PER_PAGE"),
    )
    count = selectors.question_count(sort=sort, params=params, tag=tag)
    page = numbered_page(
        selectors.question_list(sort=sort, params=params, tag=tag),
        order=QUESTION_SORTS[sort],
        per_page=per_page,
        count=count,
        max_page=conf["MAX_PAGE"],
        page=request.GET.get("page"),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    tagged = split_tags(params.get("tagged", ""))
    # Counts in the tab headers: the current tab's, and Unanswered's (one cached COUNT).
    counts = {sort: count}
    counts.setdefault(
        "unanswered", selectors.question_count(sort="unanswered", params=params, tag=tag)
    )
    return {
        "page": page,
        "questions": page.object_list,
        "sort": sort,
        "tabs": [(name, SORT_LABELS[name], counts.get(name)) for name in QUESTION_SORTS],
        "page_sizes": conf["PAGE_SIZES"],
        "page_size": per_page,
        "tagged": tagged,
        "title": title,
        "tag": tag,
        "top_questions": selectors.top_questions(),
    }


def _question_state(request, pk: int, slug: str | None = None):
    state = page_state.question_state(pk)
    if state is None or question_slug(state.title) != slug:
        return None  # the view answers: a redirect or a 404
    return f"question:{pk}:{state.token}", state.changed_at.timestamp()


def _count_cached_view(request, pk: int, slug: str | None = None) -> None:
    services.question_view_record(question_id=pk, visitor=visitor_key(request))


@anonymous_page_cache(lists_state)
def question_list(request):
    def context() -> dict:
        sort = request.GET.get("sort", "newest")
        return _list_context(request, sort=sort, params=request.GET, title="Questions")

    return list_page(request, "threads/question_list.html", context)


@anonymous_page_cache(lists_state)
def tag_questions(request, name: str):
    tag = selectors.tag_get(name=name)
    if tag.synonym_of_id:
        return synonym_redirect(request, tag, "tag-detail")

    def context() -> dict:
        return _list_context(
            request,
            sort=request.GET.get("sort", "newest"),
            params=request.GET,
            title=f"Questions tagged [{tag.name}]",
            tag=tag,
        )

    return list_page(request, "threads/question_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_ask(request):
    rules.check_ask_permission(request.user)
    if preview_requested(request):  # the text is kept, nothing is checked or saved
        form = QuestionForm(initial=request.POST.dict(), user=request.user)
        context = {"form": form, "preview": body_preview(request)}
        return render(request, "threads/ask.html", context)
    form = QuestionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                tags=form.cleaned_data["tags"],
                token=form.cleaned_data["token"],
            )
        except (PermissionDenied, ValidationError) as refused:
            status = add_refusal(form, refused)  # the draft stays in the form
            return render(request, "threads/ask.html", {"form": form}, status=status)
        else:
            return redirect(question)
    status = 400 if form.errors else 200
    return render(request, "threads/ask.html", {"form": form}, status=status)


def _visible_question(request, pk: int) -> Post:
    return _check_visible(request, selectors.question_get(pk=pk))


def _check_visible(request, question: Post) -> Post:
    if not rules.can_view_post(request.user, question):
        raise Http404("No such question.")
    return question


@anonymous_page_cache(_question_state, on_hit=_count_cached_view)
def question_detail(request, pk: int, slug: str | None = None):
    state = selectors.thread_state(user=request.user, question_id=pk)
    question = _check_visible(request, selectors.question_as_of(state=state, pk=pk))
    if slug != question.slug:
        return redirect(question, permanent=True)
    if request.method == "GET" and services.question_view_record(
        question_id=question.pk, visitor=visitor_key(request)
    ):
        question.view_count += 1
    return render_question(request, question, state=state)


def render_question(
    request, question: Post, *, state=None, answer_form=None, answer_preview=None, status=200
):
    """The question page; also re-rendered with a bound answer form after a refused POST.

    The page comes from ``shared_fragment``: rendered once for everyone with the same
    privileges, votes and own posts in the thread, and reused until the question changes
    (its ``version``); what differs per request is filled into slots."""
    sort = request.GET.get("answertab", "score")
    sort = sort if sort in ANSWER_SORTS else "score"
    user = request.user
    state = state or selectors.thread_state(user=user, question_id=question.pk)
    can_answer = rules.allowed(rules.check_answer_permission, user, question)
    refusal = None if can_answer else _refusal(rules.check_answer_permission, user, question)

    def render_page() -> str:
        context = {
            **page_slots(*QUESTION_SLOTS),
            "can_answer": can_answer,
            "answer_refusal": refusal,
            "answer_form": answer_form or (_answer_form_with_slots() if can_answer else None),
            "preview": answer_preview,
            "sidebar": selectors.question_sidebar(question=question),  # Linked and Related
        }
        context.update(_thread_context(request, question, sort=sort, state=state))
        return render_to_string("threads/question_detail.html", context, request)

    key = (
        "question-page",
        question.pk,
        state.version,
        sorted(state.locked_posts),
        sort,
        request.get_full_path(),
        privilege_signature(user),
        state.viewer_key(),
        refusal,
    )
    # A bound form is this request's own draft: never shared.
    page = render_fragment(render_page) if answer_form else shared_fragment(key, render_page)
    page = fill_page(
        request,
        page,
        lambda live: {
            "started": started_now,
            "views": lambda: _views_text(question.view_count),
            "question_tools": lambda: thread_points.question_controls.render(live, question),
            "question_notices": lambda: thread_points.question_notices.render(live, question),
        },
    )
    return HttpResponse(page, status=status)


# The question page's own per-request parts (see ``render_question``).
QUESTION_SLOTS = ("views", "question_tools", "question_notices")


def _views_text(count: int) -> str:
    return f"Viewed {count:,} time{'' if count == 1 else 's'}"


def _answer_form_with_slots() -> AnswerForm:
    return AnswerForm(
        initial={"token": fragment_slots()["one_time_token"], "started": slot("started")}
    )


def _thread_context(request, question: Post, *, sort: str, state) -> dict:
    """The thread as ``question_main.html`` renders it (``question`` with its authors and
    tags, answers, comments) and what the viewer may do in it."""
    user = request.user
    # 10k users and moderators see deleted answers too, marked as deleted.
    see_deleted = rules.can_see_deleted_posts(user)
    answers = selectors.answers_for(question=question, sort=sort, include_deleted=see_deleted)
    post_ids = selectors.thread_post_ids(question=question, answers=answers)
    return {
        "question": question,
        "answers": answers,
        # The head's QAPage and OpenGraph description: part of the shared page.
        "structured_data": structured_data.json_ld(
            structured_data.question_page_data(question, answers)
        ),
        "description": structured_data.description(question),
        "answer_total": sum(1 for answer in answers if answer.deleted_at is None),
        "answer_sort": sort,
        "answer_sorts": ANSWER_SORTS,
        "comments": selectors.comments_by_post(post_ids=post_ids),
        "my_votes": state.votes,
        "my_comment_votes": state.comment_votes,
        "can_accept": question.pk in state.own_posts,
        "deletable": rules.deletable_posts(user, question, answers),
        "can_edit_any": has_privilege(user, Privilege.EDIT_ANY_POST),
        "can_see_vote_split": has_privilege(user, Privilege.SEE_VOTE_SPLIT),
        "can_comment_everywhere": has_privilege(user, Privilege.COMMENT_EVERYWHERE),
    }


def _refusal(check, *args) -> str | None:
    try:
        check(*args)
    except PermissionDenied as denied:
        return str(denied)
    return None


@login_required
@require_POST
def answer_create(request, pk: int):
    question = _visible_question(request, pk)
    form = AnswerForm(request.POST)
    form.is_valid()  # errors are shown below; the start time is needed first
    started_at = form.cleaned_data.get("started")
    try:
        rules.check_answer_permission(request.user, question, started_at)
        if preview_requested(request):
            return render_question(
                request,
                question,
                answer_form=AnswerForm(initial=request.POST.dict()),
                answer_preview=body_preview(request),
            )
        if not form.is_valid():
            return render_question(request, question, answer_form=form, status=400)
        answer = services.answer_create(
            author=request.user,
            question=question,
            body=form.cleaned_data["body"],
            token=form.cleaned_data["token"],
            started_at=started_at,
        )
    except PermissionDenied as denied:
        # The draft is shown again with the reason, never lost.
        messages.error(request, str(denied))
        return render_question(request, question, answer_form=form, status=403)
    except ValidationError as invalid:
        add_refusal(form, invalid)
        return render_question(request, question, answer_form=form, status=400)
    return redirect(f"{question.get_absolute_url()}#answer-{answer.pk}")


def question_short(request, pk: int):
    return redirect(_visible_question(request, pk))


def answer_short(request, pk: int):
    answer = visible_post(request, pk)
    if answer.is_question:
        raise Http404("No such answer.")
    return redirect(f"{answer.parent.get_absolute_url()}#answer-{answer.pk}")


def question_similar(request):
    """``/questions/similar/?title=…``: questions like the title being typed on the ask form
    (a few, best first; closed ones say so)."""
    questions = selectors.similar_questions(title=request.GET.get("title", ""))
    return JsonResponse(
        {
            "questions": [
                {
                    "id": question.pk,
                    "title": question.title,
                    "url": question.get_absolute_url(),
                    "score": question.score,
                    "answer_count": question.answer_count,
                    "accepted": question.accepted_answer_id is not None,
                    "state": _closed_state(question),
                }
                for question in questions
            ]
        }
    )


def _closed_state(question: Post) -> str:
    """The question's closed marker: closed, duplicate or empty (as the lists show it)."""
    if question.closed_at is None:
        return ""
    return question.closed_label
