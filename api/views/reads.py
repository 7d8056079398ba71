"""Read endpoints of /api/v1/ (docs/architecture.md, "The API"): the pages' own selectors and
visibility rules, a constant number of queries per response, cursor pagination for lists,
and a weak ETag on every 200 (``If-None-Match`` → 304)."""

import hashlib
import json

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from api.schema import ReadSchema
from api.serializers import reads as s
from moderation import reviews
from moderation import selectors as moderation_selectors
from threads import rules as threads_rules
from threads import search, selectors
from threads.filters import UserFilter

ERROR = OpenApiResponse(s.ErrorBodySerializer, description="Refused: the JSON error body.")
REFUSALS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 429: ERROR}
FIELDS = OpenApiParameter(
    "fields", str, description="Comma-separated field names to keep (sparse fields)."
)


class ReadView(GenericAPIView):
    """A weak ETag of the body on every 200; a matching ``If-None-Match`` answers 304."""

    schema = ReadSchema()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            body = json.dumps(response.data, cls=DjangoJSONEncoder, sort_keys=True)
            etag = 'W/"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
            asked = request.headers.get("If-None-Match", "")
            if etag in [tag.strip() for tag in asked.split(",")] or asked.strip() == "*":
                not_modified = Response(status=304)
                not_modified["ETag"] = etag
                return super().finalize_response(request, not_modified, *args, **kwargs)
            response["ETag"] = etag
        return response

    def params(self, serializer_class):
        params = serializer_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data


class ViewOrderedCursor(CursorPagination):
    """Cursor pages in the order the view chose for this request (``view.ordering``)."""

    page_size = 30
    max_page_size = 100
    page_size_query_param = "page_size"

    def get_ordering(self, request, queryset, view):
        return view.ordering


class QuestionList(ReadView):
    serializer_class = s.QuestionSummarySerializer
    pagination_class = ViewOrderedCursor
    ordering = ("-created_at", "-pk")

    @extend_schema(
        operation_id="questions_list",
        parameters=[s.QuestionListParams, FIELDS],
        responses={200: s.QuestionSummarySerializer(many=True), **REFUSALS},
    )
    def get(self, request):
        params = self.params(s.QuestionListParams)
        sort = params["sort"]
        questions = selectors.question_list(sort=sort, params={"tagged": params.get("tagged", "")})
        if params["state"] == "open":
            questions = questions.filter(closed_at__isnull=True)
        elif params["state"] == "closed":
            questions = questions.filter(closed_at__isnull=False)
        if "since" in params:
            questions = questions.filter(last_activity_at__gte=params["since"])
        self.ordering = selectors.QUESTION_SORTS[sort]
        # A list shows no bodies: not reading them halves what each page fetches.
        page = self.paginate_queryset(questions.defer("body", "body_html"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def visible_question(request, pk: int):
    question = selectors.question_get(pk=pk)
    if not threads_rules.can_view_post(request.user, question):
        raise Http404
    return question


class QuestionDetail(ReadView):
    serializer_class = s.QuestionDetailSerializer

    @extend_schema(
        operation_id="questions_retrieve",
        parameters=[FIELDS],
        responses={200: s.QuestionDetailSerializer, **REFUSALS},
    )
    def get(self, request, pk: int):
        question = visible_question(request, pk)
        see_deleted = threads_rules.can_see_deleted_posts(request.user)
        answers = [
            answer
            for answer in selectors.answers_for(question=question, include_deleted=see_deleted)
            if threads_rules.can_view_post(request.user, answer)
        ]
        post_ids = selectors.thread_post_ids(question=question, answers=answers)
        context = {
            **self.get_serializer_context(),
            "answers": answers,
            "comments": selectors.comments_by_post(post_ids=post_ids),
        }
        return Response(s.QuestionDetailSerializer(question, context=context).data)


class QuestionTimeline(ReadView):
    serializer_class = s.TimelineRowSerializer

    @extend_schema(
        operation_id="questions_timeline",
        responses={200: s.TimelineRowSerializer(many=True), **REFUSALS},
    )
    def get(self, request, pk: int):
        """What the question's public timeline page shows this viewer."""
        question = visible_question(request, pk)
        see_deleted = threads_rules.can_see_deleted_posts(request.user)
        rows = moderation_selectors.question_timeline(
            question=question, include_deleted=see_deleted
        )
        return Response(s.TimelineRowSerializer(rows, many=True).data)


class UserCursor(ViewOrderedCursor):
    page_size = 36


class UserList(ReadView):
    serializer_class = s.UserSerializer
    pagination_class = UserCursor
    ordering = ("-reputation", "pk")

    @extend_schema(
        operation_id="users_list",
        parameters=[s.UserListParams, FIELDS],
        responses={200: s.UserSerializer(many=True), **REFUSALS},
    )
    def get(self, request):
        params = self.params(s.UserListParams)
        users = get_user_model().objects.filter(is_active=True)
        users = UserFilter({"q": params.get("q", "")}, queryset=users).qs
        self.ordering = (
            ("-date_joined", "-pk") if params["sort"] == "new" else ("-reputation", "pk")
        )
        page = self.paginate_queryset(users)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class UserDetail(ReadView):
    serializer_class = s.UserSerializer

    @extend_schema(
        operation_id="users_retrieve",
        parameters=[FIELDS],
        responses={200: s.UserSerializer, **REFUSALS},
    )
    def get(self, request, pk: int):
        users = get_user_model().objects.filter(is_active=True, pk=pk)
        user = users.first()
        if user is None:
            raise Http404
        return Response(self.get_serializer(user).data)


class TagCursor(CursorPagination):
    page_size = 36
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = ("-usage_count", "name")


class TagList(ReadView):
    serializer_class = s.TagSerializer
    pagination_class = TagCursor

    @extend_schema(
        operation_id="tags_list",
        parameters=[
            OpenApiParameter("name", str, description="Tags whose name contains this."),
            FIELDS,
        ],
        responses={200: s.TagSerializer(many=True), **REFUSALS},
    )
    def get(self, request):
        name = request.query_params.get("name", "")[:50]
        page = self.paginate_queryset(selectors.tag_list(name_contains=name))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class SearchPage(serializers.Serializer):
    page = serializers.IntegerField()
    has_next = serializers.BooleanField()
    count = serializers.IntegerField()
    results = s.SearchResultSerializer(many=True)


class Search(ReadView):
    serializer_class = s.SearchResultSerializer

    @extend_schema(
        operation_id="search",
        parameters=[s.SearchParams, FIELDS],
        responses={200: SearchPage, **REFUSALS},
    )
    def get(self, request):
        """The site's search (the same query language as the search page), page by page."""
        params = self.params(s.SearchParams)
        query = search.parse(params["q"])
        page = search.search(query, sort=params["sort"], page=params["page"])
        return Response(
            {
                "page": page.number,
                "has_next": page.has_next(),
                "count": page.paginator.count,
                "results": self.get_serializer(page.object_list, many=True).data,
            }
        )


class CloseReasons(ReadView):
    serializer_class = s.CloseReasonSerializer

    @extend_schema(
        operation_id="close_reasons_list",
        responses={200: s.CloseReasonSerializer(many=True), **REFUSALS},
    )
    def get(self, request):
        reasons = moderation_selectors.reasons_for_dialog()
        return Response(s.CloseReasonSerializer(reasons, many=True).data)


class ReviewQueues(ReadView):
    """The pending tasks of each review queue, as the review index shows them (members)."""

    @extend_schema(
        operation_id="review_queues",
        responses={200: OpenApiTypes.OBJECT, **REFUSALS},
    )
    def get(self, request):
        if not request.user.is_authenticated:
            raise NotAuthenticated("Log in or send a token to see the review queues.")
        return Response(reviews.queue_counts())
