"""The write endpoints of /api/v1/ (docs/architecture.md, "The API"). Each is a thin view
calling the same service as the web page, inside which the rules, privileges, daily limits
and rate limits are checked; their refusals are answered by ``api.errors`` (403, 429 with
``Retry-After``, 400 naming fields). Refusals the rules allow but the data does not (a
second close vote, an edit already waiting for review, a stale edit) are 409."""

import uuid
from contextlib import contextmanager

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.models import Scope
from api.serializers import writes as s
from moderation import flags
from moderation import rules as moderation_rules
from moderation import services as moderation_services
from moderation.forms import CloseVoteForm, ReviewDecisionForm
from moderation.models import ReviewTask
from moderation.queues import queue_spec
from threads import rules, services
from threads.models import Comment
from threads.views.common import visible_post

#: uuid5 namespace turning a client's ``Idempotency-Key`` into the site's one-time token.
IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1d8c1e-5c3a-4a8e-9a57-7e0b1f0a5d21")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "That conflicts with the current state."


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."


@contextmanager
def conflicts_refused():
    """The services' data refusals as 409, with their message."""
    try:
        yield
    except (moderation_services.ModerationError, services.SuggestionRefused) as refused:
        raise Conflict(str(refused)) from refused
    except services.StaleEdit as stale:
        raise Conflict(
            "Someone else edited this post since your base_stamp; fetch it and edit again "
            f"(latest base_stamp: {services.revision_stamp(stale.latest)})."
        ) from stale


def _refusals(*codes: int) -> dict:
    described = {
        400: "Bad input: the message and `fields` say what.",
        401: "No valid token (missing, expired or revoked).",
        403: "The token's scope, or the site's rules, do not allow it.",
        404: "No such object, or not visible to you.",
        409: "The current state refuses it (already done, stale edit…).",
        413: "The body is larger than the site accepts.",
        415: "Send JSON (Content-Type: application/json).",
        429: "Over a daily limit or rate limit: retry after `Retry-After` seconds.",
    }
    return {
        code: OpenApiResponse(s.RefusalSerializer, description=described[code]) for code in codes
    }


#: The 429's header (drf-spectacular declares response headers as parameters).
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description="Seconds until the limit lets the request through.",
)
ALL_REFUSALS = (400, 401, 403, 404, 409, 413, 415, 429)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Optional, up to 255 characters: a repeated request with the same key (yours, "
    "on this endpoint) returns what the first one created instead of creating again.",
)


def write_schema(request, response, *, code: int = 200, params=(), **kwargs):
    return extend_schema(
        request=request,
        responses={code: response, **_refusals(*ALL_REFUSALS)},
        parameters=[*params, RETRY_AFTER],
        **kwargs,
    )


class WriteView(APIView):
    """A write: ``write`` scope unless ``required_scope`` says otherwise; bodies over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` are refused before they are read."""

    required_scope = Scope.WRITE

    def initial(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        cap = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if cap is not None and length > cap:
            raise TooLarge(f"The request body is too large: at most {cap} bytes.")
        super().initial(request, *args, **kwargs)

    def valid(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def creation_token(self, kind: str) -> uuid.UUID | None:
        """The one-time token of the web forms, from the optional ``Idempotency-Key``."""
        key = self.request.headers.get("Idempotency-Key")
        if key is None:
            return None
        key = key.strip()
        if not key or len(key) > 255:
            raise exceptions.ValidationError(
                {"Idempotency-Key": ["Send 1 to 255 characters, or leave the header out."]}
            )
        return uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{kind}:{self.request.user.pk}:{key}")

    def question(self, pk: int):
        question = visible_post(self.request, pk)
        if not question.is_question:
            raise exceptions.NotFound("No such question.")
        return question

    def created(self, obj, anchor: str = "") -> Response:
        url = self.request.build_absolute_uri(obj.get_absolute_url()) + anchor
        return Response({"id": obj.pk, "url": url}, status=status.HTTP_201_CREATED)


def _form_data(data: dict) -> dict:
    return {key: "" if value is None else str(value) for key, value in data.items()}


def _form_errors(form) -> exceptions.ValidationError:
    return exceptions.ValidationError(
        {
            ("non_field_errors" if key == "__all__" else key): errors
            for key, errors in form.errors.items()
        }
    )


class QuestionCreate(WriteView):
    @write_schema(
        s.AskSerializer,
        s.CreatedSerializer,
        code=201,
        params=[IDEMPOTENCY_KEY],
        summary="Ask a question.",
    )
    def post(self, request):
        data = self.valid(s.AskSerializer)
        question = services.question_create(
            author=request.user,
            title=data["title"],
            body=data["body"],
            tags=data["tags"],
            token=self.creation_token("question"),
        )
        return self.created(question)


class AnswerCreate(WriteView):
    @write_schema(
        s.AnswerCreateSerializer,
        s.CreatedSerializer,
        code=201,
        params=[IDEMPOTENCY_KEY],
        summary="Answer a question.",
    )
    def post(self, request, pk: int):
        question = self.question(pk)
        data = self.valid(s.AnswerCreateSerializer)
        answer = services.answer_create(
            author=request.user,
            question=question,
            body=data["body"],
            token=self.creation_token(f"answer:{question.pk}"),
        )
        return self.created(answer)


class CommentCreate(WriteView):
    @write_schema(
        s.CommentCreateSerializer,
        s.CreatedSerializer,
        code=201,
        params=[IDEMPOTENCY_KEY],
        summary="Comment on a post.",
    )
    def post(self, request, pk: int):
        post = visible_post(request, pk)
        data = self.valid(s.CommentCreateSerializer)
        comment = services.comment_create(
            author=request.user,
            post=post,
            body=data["body"],
            token=self.creation_token(f"comment:{post.pk}"),
        )
        url = request.build_absolute_uri(post.get_absolute_url()) + f"#comment-{comment.pk}"
        return Response({"id": comment.pk, "url": url}, status=status.HTTP_201_CREATED)


EDIT_SUMMARY = "Edit a post, or suggest an edit (below the edit privilege)."


class PostEdit(WriteView):
    """Edit, or below the edit privilege on others' posts suggest an edit, as the web's
    edit page decides."""

    @write_schema(s.EditSerializer, s.EditResultSerializer, summary=EDIT_SUMMARY)
    def post(self, request, pk: int):
        post = visible_post(request, pk)
        data = self.valid(s.EditSerializer)
        suggesting = not rules.allowed(rules.check_edit_post_permission, request.user, post)
        save = services.suggested_edit_create if suggesting else services.post_edit
        with conflicts_refused():
            result = save(
                **{"author" if suggesting else "editor": request.user},
                post=post,
                title=data.get("title", post.title),
                body=data.get("body", post.body),
                tags=data.get("tags"),
                summary=data.get("summary", ""),
                base_stamp=data.get("base_stamp"),
            )
        outcome = "suggested" if suggesting else ("unchanged" if result is None else "edited")
        latest = post.revisions.order_by("-number").first()
        stamp = services.revision_stamp(latest)
        return Response({"result": outcome, "id": post.pk, "base_stamp": stamp})

    @write_schema(s.EditSerializer, s.EditResultSerializer, summary=EDIT_SUMMARY)
    def patch(self, request, pk: int):
        return self.post(request, pk)


class PostVote(WriteView):
    """The vote the member wants to have afterwards: a replay changes nothing."""

    @write_schema(
        s.VoteSerializer,
        s.VoteResultSerializer,
        summary="Vote a post up or down, or retract the vote.",
    )
    def post(self, request, pk: int):
        post = visible_post(request, pk)
        wanted = self.valid(s.VoteSerializer)["vote"]
        if wanted == "retract":
            services.vote_retract(user=request.user, post=post)
        else:
            value = 1 if wanted == "up" else -1
            services.vote_cast(user=request.user, post=post, value=value)
        post.refresh_from_db(fields=["score"])
        return Response({"score": post.score, "vote": wanted})


class CommentVote(WriteView):
    @write_schema(
        s.CommentVoteSerializer,
        s.VoteResultSerializer,
        summary="Upvote a comment, or retract the upvote.",
    )
    def post(self, request, pk: int):
        comment = get_object_or_404(
            Comment.objects.select_related("post__parent"), pk=pk, deleted_at__isnull=True
        )
        visible_post(request, comment.post_id)
        wanted = self.valid(s.CommentVoteSerializer)["vote"]
        if wanted == "retract":
            services.comment_vote_retract(user=request.user, comment=comment)
        else:
            services.comment_vote_cast(user=request.user, comment=comment)
        comment.refresh_from_db(fields=["score"])
        return Response({"score": comment.score, "vote": wanted})


class AnswerAccept(WriteView):
    @write_schema(
        s.AcceptSerializer,
        s.AcceptResultSerializer,
        summary="Accept an answer (the asker), or unaccept it.",
    )
    def post(self, request, pk: int):
        answer = visible_post(request, pk)
        if answer.is_question:
            raise exceptions.NotFound("Only answers can be accepted.")
        accept = self.valid(s.AcceptSerializer)["accept"]
        if accept:
            services.answer_accept(user=request.user, answer=answer)
        else:
            services.answer_unaccept(user=request.user, answer=answer)
        return Response({"accepted": accept})


class PostFlag(WriteView):
    required_scope = Scope.MODERATE

    @write_schema(
        s.FlagSerializer, s.RecordedSerializer, code=201, summary="Flag a post (moderate scope)."
    )
    def post(self, request, pk: int):
        post = visible_post(request, pk)
        moderation_rules.check_flag_permission(request.user, post)
        data = self.valid(s.FlagSerializer)
        with conflicts_refused():
            flag = flags.flag_raise(
                flagger=request.user, post=post, kind=data["kind"], text=data["text"]
            )
        detail = "Your flag is recorded."
        return Response({"id": flag.pk, "detail": detail}, status=status.HTTP_201_CREATED)


class CloseVote(WriteView):
    required_scope = Scope.MODERATE

    @write_schema(
        s.CloseVoteSerializer,
        s.RecordedSerializer,
        code=201,
        summary="Vote to close a question (moderate scope).",
    )
    def post(self, request, pk: int):
        question = self.question(pk)
        moderation_rules.check_cast_close_vote_permission(request.user, question)
        form = CloseVoteForm(_form_data(self.valid(s.CloseVoteSerializer)))
        if not form.is_valid():
            raise _form_errors(form)
        with conflicts_refused():
            vote = moderation_services.close_vote_cast(
                voter=request.user,
                question=question,
                reason=form.cleaned_data["reason"],
                duplicate_of=form.cleaned_data["duplicate"],
                comment=form.cleaned_data["comment"],
            )
        question.refresh_from_db(fields=["closed_at", "close_votes_pending"])
        detail = "The question is closed." if question.is_closed else "Your close vote is recorded."
        return Response({"id": vote.pk, "detail": detail}, status=status.HTTP_201_CREATED)


class ReopenVote(WriteView):
    required_scope = Scope.MODERATE

    @write_schema(
        s.EmptySerializer,
        s.RecordedSerializer,
        code=201,
        summary="Vote to reopen a closed question (moderate scope).",
    )
    def post(self, request, pk: int):
        question = self.question(pk)
        moderation_rules.check_cast_reopen_vote_permission(request.user, question)
        self.valid(s.EmptySerializer)
        with conflicts_refused():
            vote = moderation_services.reopen_vote_cast(voter=request.user, question=question)
        question.refresh_from_db(fields=["closed_at", "reopen_votes_pending"])
        detail = (
            "Your reopen vote is recorded." if question.is_closed else "The question is reopened."
        )
        return Response({"id": vote.pk, "detail": detail}, status=status.HTTP_201_CREATED)


class ReviewDecide(WriteView):
    required_scope = Scope.MODERATE

    @write_schema(
        s.ReviewSerializer,
        s.ReviewResultSerializer,
        summary="Decide a review task (moderate scope).",
    )
    def post(self, request, queue: str, pk: int):
        spec = queue_spec(queue)
        if spec is None:
            raise exceptions.NotFound("No such review queue.")
        moderation_rules.check_review_queue_permission(request.user, spec)
        task = get_object_or_404(ReviewTask, pk=pk, queue=spec.slug)
        form = ReviewDecisionForm(_form_data(self.valid(s.ReviewSerializer)))
        if not form.is_valid():
            raise _form_errors(form)
        with conflicts_refused():
            result = form.decide(reviewer=request.user, task=task, spec=spec)
        detail = result.message or "Your review is recorded."
        return Response({"detail": detail, "audit_passed": result.audit_passed})


__all__ = [
    "AnswerAccept",
    "AnswerCreate",
    "CloseVote",
    "CommentCreate",
    "CommentVote",
    "PostEdit",
    "PostFlag",
    "PostVote",
    "QuestionCreate",
    "ReopenVote",
    "ReviewDecide",
]
