"""What the read endpoints answer (docs/architecture.md, "The API"): only what the pages show
the same viewer. ``?fields=a,b`` keeps only those fields of each object (sparse fields)."""

from rest_framework import serializers


class SparseFieldsMixin:
    """Drops the fields not named in ``?fields=`` (unknown names are ignored)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        wanted = request.query_params.get("fields", "") if request is not None else ""
        names = {name.strip() for name in wanted.split(",") if name.strip()}
        if names and self.context.get("sparse", True):
            for name in set(self.fields) - names:
                self.fields.pop(name)


class AuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, source="author_id")
    name = serializers.CharField(source="display_author")


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    body_html = serializers.CharField()
    score = serializers.IntegerField()
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_author(self, comment) -> dict:
        name = comment.author.name if comment.author_id and comment.author else comment.author_name
        return {"id": comment.author_id, "name": name}


class QuestionSummarySerializer(SparseFieldsMixin, serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    tags = serializers.SerializerMethodField()
    score = serializers.IntegerField()
    answer_count = serializers.IntegerField()
    comment_count = serializers.IntegerField()
    view_count = serializers.IntegerField()
    accepted_answer_id = serializers.IntegerField(allow_null=True)
    author = AuthorSerializer(source="*")
    created_at = serializers.DateTimeField()
    last_activity_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    deleted_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()

    def get_tags(self, post) -> list[str]:
        return [tag.name for tag in post.tags.all()]

    def get_url(self, post) -> str:
        request = self.context.get("request")
        path = post.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class AnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    body_html = serializers.CharField()
    score = serializers.IntegerField()
    is_accepted = serializers.BooleanField()
    author = AuthorSerializer(source="*")
    created_at = serializers.DateTimeField()
    last_edited_at = serializers.DateTimeField(allow_null=True)
    deleted_at = serializers.DateTimeField(allow_null=True)
    comments = serializers.SerializerMethodField()

    def get_comments(self, post) -> list[dict]:
        rows = self.context["comments"].get(post.pk, [])
        return CommentSerializer(rows, many=True).data


class QuestionDetailSerializer(QuestionSummarySerializer):
    body = serializers.CharField()
    body_html = serializers.CharField()
    version = serializers.IntegerField()
    last_edited_at = serializers.DateTimeField(allow_null=True)
    comments = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()

    def get_comments(self, post) -> CommentSerializer(many=True):
        return CommentSerializer(self.context["comments"].get(post.pk, []), many=True).data

    def get_answers(self, post) -> AnswerSerializer(many=True):
        context = {**self.context, "sparse": False}
        return AnswerSerializer(self.context["answers"], many=True, context=context).data


class UserSerializer(SparseFieldsMixin, serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    reputation = serializers.IntegerField(source="shown_reputation")
    is_moderator = serializers.BooleanField()
    location = serializers.CharField()
    website = serializers.CharField()
    about = serializers.CharField()
    created_at = serializers.DateTimeField(source="date_joined")
    url = serializers.SerializerMethodField()

    def get_url(self, user) -> str:
        request = self.context.get("request")
        path = user.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class TagSerializer(SparseFieldsMixin, serializers.Serializer):
    name = serializers.CharField()
    excerpt = serializers.CharField()
    usage_count = serializers.IntegerField()


class SearchResultSerializer(SparseFieldsMixin, serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    question_id = serializers.IntegerField()
    title = serializers.SerializerMethodField()
    score = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    excerpt_html = serializers.CharField(default="")

    def get_title(self, post) -> str:
        thread = getattr(post, "thread", None) or post
        return thread.title


class SubReasonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    brief_description = serializers.CharField()


class CloseReasonSerializer(SubReasonSerializer):
    subreasons = SubReasonSerializer(many=True)


class TimelineRowSerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    what = serializers.CharField()
    post_id = serializers.IntegerField(source="post.pk")
    who = serializers.CharField(allow_blank=True)
    detail = serializers.CharField(allow_blank=True, default="")


class QuestionListParams(serializers.Serializer):
    """The questions list's query string; a bad value is a 400 naming it."""

    tagged = serializers.CharField(required=False, max_length=200, help_text="a+b: every tag")
    sort = serializers.ChoiceField(choices=["newest", "active", "votes"], default="newest")
    state = serializers.ChoiceField(choices=["all", "open", "closed"], default="all")
    since = serializers.DateTimeField(
        required=False, help_text="Only questions with activity at or after this time."
    )


class UserListParams(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=60, allow_blank=True)
    sort = serializers.ChoiceField(choices=["reputation", "new"], default="reputation")


class SearchParams(serializers.Serializer):
    q = serializers.CharField(max_length=500)
    sort = serializers.ChoiceField(choices=["relevance", "newest", "votes"], default="relevance")
    page = serializers.IntegerField(min_value=1, max_value=1000, default=1)


class ErrorBodySerializer(serializers.Serializer):
    """Every refusal: ``{"error": {"status", "message", "fields"}}``."""

    class _Error(serializers.Serializer):
        status = serializers.IntegerField()
        message = serializers.CharField()
        fields = serializers.DictField()

    error = _Error()
