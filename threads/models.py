"""Posts (questions and answers share one table, as in Stack Exchange's schema), comments,
votes, revisions, tags and the reputation ledger.

Only ``threads.services`` write these rows; selectors and rules read them.
"""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase

from threads.extensions import question_closed_label, question_pages
from threads.kinds import PostKind
from threads.post_indexes import POST_INDEXES


class Tag(TagBase):
    """A tag; its name is also its URL segment, so ``c++`` and ``c#`` keep their meaning."""

    excerpt = models.CharField(max_length=500, blank=True)
    wiki_body = models.TextField(blank=True)
    wiki_html = models.TextField(blank=True, editable=False)
    usage_count = models.PositiveIntegerField(default=0, db_index=True)
    synonym_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="synonyms"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def slugify(self, tag, i=None):
        return tag if i is None else f"{tag}_{i}"

    def get_absolute_url(self) -> str:
        # Any stored name has a URL (the ``tag`` converter escapes what a path segment
        # cannot hold); only an empty one, which no segment can spell, leads to the tag list.
        if not self.name:
            return reverse("tag-list")
        return reverse("tag-detail", kwargs={"name": self.name})


class TaggedPost(ItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_posts")
    content_object = models.ForeignKey("Post", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_post_tag")
        ]


class TagSynonymState(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Superseded"


class TagSynonym(models.Model):
    """That ``source`` means ``target`` (the master tag): a suggestion people vote on, or a
    moderator's approval or merge. Rows stay after the decision: they are the record of
    who made each synonym (docs/rules.md, "Tag synonyms and the tag wiki")."""

    source = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="synonym_suggestions")
    target = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        max_length=10, choices=TagSynonymState.choices, default=TagSynonymState.PENDING
    )
    score = models.IntegerField(default=0, help_text="Net votes, counted under the row lock.")
    merged = models.BooleanField(default=False, help_text="A moderator's direct merge.")
    retagged = models.PositiveIntegerField(default=0, help_text="Questions moved to the master.")
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"],
                condition=Q(state="pending"),
                name="one_pending_synonym_suggestion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id} ({self.state})"


class TagSynonymVote(models.Model):
    synonym = models.ForeignKey(TagSynonym, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField()
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["synonym", "user"], name="one_tag_synonym_vote")
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} by {self.user_id} on synonym {self.synonym_id}"


class TagWikiRevision(models.Model):
    """The excerpt and wiki of a tag after an edit; the tag holds the latest."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="wiki_revisions")
    number = models.PositiveIntegerField()
    excerpt = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    editor_name = models.CharField(max_length=60, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["tag", "number"], name="unique_tag_wiki_revision")
        ]

    def __str__(self) -> str:
        return f"Wiki revision {self.number} of tag {self.tag_id}"


class LockKind(models.TextChoices):
    CONTENT_DISPUTE = "content_dispute", "Content dispute"
    OFF_TOPIC_COMMENTS = "off_topic_comments", "Off-topic comments"
    HISTORICAL = "historical", "Historical significance"


#: ``locked_until`` of a lock without end (DESIGN §4 keeps locks as ``locked_until`` + kind).
PERMANENT_LOCK_UNTIL = datetime(9999, 12, 31, tzinfo=UTC)


def question_slug(title: str) -> str:
    """The URL slug of a question title (a function: cache checks need no model object)."""
    slug = slugify(title)[:80] or "question"
    # The words of the pages under /questions/<id>/ (``question_pages``) are never a slug.
    return f"{slug}-question" if slug in question_pages.reserved() else slug


class PostQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(deleted_at__isnull=True)

    def questions(self):
        return self.filter(kind=PostKind.QUESTION)

    def answers(self):
        return self.filter(kind=PostKind.ANSWER)


class Post(models.Model):
    """A question or an answer. State lives in separate fields (DESIGN §4), written only by
    ``threads.services``; ``version`` is bumped by every change to what the page shows."""

    kind = models.CharField(max_length=10, choices=PostKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    title = models.CharField(max_length=250, blank=True)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    tags = TaggableManager(through=TaggedPost, blank=True)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    author_name = models.CharField(max_length=60, blank=True)
    last_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_editor_name = models.CharField(max_length=60, blank=True)

    score = models.IntegerField(default=0)
    #: Local up and down votes (``Vote`` rows); an imported score has no split.
    up_votes = models.PositiveIntegerField(default=0)
    down_votes = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    answer_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    accepted_answer = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accept_imported = models.BooleanField(
        default=False,
        help_text="The acceptance came from an import: its reputation is in the users' "
        "imported reputation, so the ledger never replays it.",
    )

    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    last_edited_at = models.DateTimeField(null=True, blank=True)

    closed_at = models.DateTimeField(null=True, blank=True)
    close_notice = models.JSONField(null=True, blank=True)
    close_votes_pending = models.PositiveSmallIntegerField(default=0)
    last_close_vote_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    lock_kind = models.CharField(max_length=20, choices=LockKind.choices, blank=True)
    protected_at = models.DateTimeField(null=True, blank=True)
    reopen_votes_pending = models.PositiveSmallIntegerField(default=0)
    last_reopen_vote_at = models.DateTimeField(null=True, blank=True)
    suggested_edit_pending = models.BooleanField(default=False)

    source_url = models.URLField(
        blank=True, help_text="Where imported content came from (shown as attribution)."
    )
    source_author_url = models.URLField(
        blank=True, help_text="The imported post's author on the source site (attribution)."
    )
    content_license = models.CharField(max_length=40, blank=True)

    version = models.PositiveIntegerField(default=1)
    #: When the question page last changed (with ``version``): lists validate caches on it.
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    #: Ranks of the list tabs, written only by the ranking job (``threads.ranking``,
    #: docs/rules.md "Question lists"): Hot (the formula scaled to an integer, 0 when not
    #: hot), Week and Month (the score of a question asked in the window, else NULL), and
    #: Frequent (how many other questions link to it or are closed as its duplicates).
    hot_rank = models.BigIntegerField(default=0)
    week_rank = models.IntegerField(null=True, blank=True)
    month_rank = models.IntegerField(null=True, blank=True)
    link_count = models.PositiveIntegerField(default=0)
    creation_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        indexes = POST_INDEXES
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=PostKind.QUESTION, parent__isnull=True)
                | Q(kind=PostKind.ANSWER, parent__isnull=False),
                name="post_kind_matches_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.title if self.is_question else f"Answer to {self.parent_id}"

    def get_absolute_url(self) -> str:
        if self.is_question:
            return reverse("question-detail", kwargs={"pk": self.pk, "slug": self.slug})
        return reverse("answer-short", kwargs={"pk": self.pk})

    @property
    def vote_split_known(self) -> bool:
        """Whether the score is all local votes, so ``up_votes`` and ``down_votes`` split it
        (an imported score, or one with imported votes in it, has no known split)."""
        return bool(self.up_votes or self.down_votes) and (
            self.up_votes - self.down_votes == self.score
        )

    @property
    def is_question(self) -> bool:
        return self.kind == PostKind.QUESTION

    @property
    def question_id(self) -> int:
        return self.pk if self.is_question else self.parent_id

    @property
    def slug(self) -> str:
        return question_slug(self.title)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def closed_label(self) -> str:
        """The word a closed question's title is marked with: ``closed``, or what the app
        that closed it calls this closure (``duplicate``: ``question_closed_label``)."""
        return question_closed_label.first(self, default="closed")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    @property
    def is_locked_permanently(self) -> bool:
        return self.locked_until == PERMANENT_LOCK_UNTIL

    @property
    def is_protected(self) -> bool:
        return self.protected_at is not None

    @property
    def is_accepted(self) -> bool:
        """For an answer whose ``parent`` is loaded (selectors join it)."""
        return not self.is_question and self.parent.accepted_answer_id == self.pk

    @property
    def display_author(self) -> str:
        return self.author.name if self.author_id and self.author else self.author_name

    @property
    def source_href(self) -> str:
        """``source_url`` when it is safe to link to: an absolute http(s) URL, read as a
        browser reads it (blanks and tabs dropped, any case). "" for anything else
        (``javascript:``, ``data:``…), so pages show such a stored value only as text."""
        return _http_url(self.source_url)

    @property
    def source_author_href(self) -> str:
        """``source_author_url`` when it is safe to link to (as ``source_href``)."""
        return _http_url(self.source_author_url)


def _http_url(url: str | None) -> str:
    parts = urlsplit(url or "")
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


class Question(Post):
    class Meta:
        proxy = True


class Answer(Post):
    class Meta:
        proxy = True


class PostLinkKind(models.TextChoices):
    LINKED = "linked", "Linked"
    DUPLICATE = "duplicate", "Duplicate"


class PostLink(models.Model):
    """``post`` links to ``target``: a link in its text, or a duplicate closure."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="links")
    target = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="linked_from")
    kind = models.CharField(max_length=10, choices=PostLinkKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "target", "kind"], name="unique_post_link")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.target_id} ({self.kind})"


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    author_name = models.CharField(max_length=60, blank=True)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    score = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)
    creation_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "created_at"], name="comment_post_created")]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def display_author(self) -> str:
        return self.author.name if self.author_id and self.author else self.author_name


class VoteValue(models.IntegerChoices):
    UP = 1, "Up"
    DOWN = -1, "Down"


class Vote(models.Model):
    """One per user and post; ``cast_at`` starts the 5-minute window in which it may change."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="one_vote_per_user_and_post"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_up_or_down"),
        ]
        # The users list's voters over a period (docs/rules.md, "Users list").
        indexes = [models.Index(fields=["cast_at", "user"], name="vote_cast_user")]

    def __str__(self) -> str:
        return f"{self.get_value_display()} by {self.user_id} on {self.post_id}"


class CommentVote(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "comment"], name="one_vote_per_user_and_comment"
            )
        ]

    def __str__(self) -> str:
        return f"Upvote by {self.user_id} on comment {self.comment_id}"


class RevisionKind(models.TextChoices):
    INITIAL = "initial", "Initial"
    EDIT = "edit", "Edit"
    ROLLBACK = "rollback", "Rollback"
    SUGGESTED = "suggested", "Suggested edit"
    IMPORT = "import", "Imported"
    RETAG = "retag", "Retagged to a master tag"


class Revision(models.Model):
    """The full text of a post after an edit: history, diffs and rollback read these."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=RevisionKind.choices)
    title = models.CharField(max_length=250, blank=True)
    body = models.TextField()
    tags = models.CharField(max_length=250, blank=True, help_text="Space-separated tag names.")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    editor_name = models.CharField(max_length=60, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="unique_revision_number")
        ]
        # The users list's editors over a period (docs/rules.md, "Users list").
        indexes = [models.Index(fields=["created_at", "editor"], name="revision_created_editor")]

    def __str__(self) -> str:
        return f"Revision {self.number} of post {self.post_id}"

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()


class SuggestedEditState(models.TextChoices):
    PENDING = "pending", "Pending review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Superseded by another edit"


class SuggestedEdit(models.Model):
    """An edit by a user without the edit privilege, applied only once reviewers approve.
    One pending suggestion per post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="suggested_edits")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggested_edits"
    )
    title = models.CharField(max_length=250, blank=True)
    body = models.TextField()
    tags = models.CharField(max_length=250, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    base_revision = models.PositiveIntegerField()
    state = models.CharField(
        max_length=10, choices=SuggestedEditState.choices, default=SuggestedEditState.PENDING
    )
    reject_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"], condition=Q(state="pending"), name="one_pending_suggested_edit"
            )
        ]

    def __str__(self) -> str:
        return f"Suggested edit {self.pk} on post {self.post_id} ({self.state})"

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()


class ReputationCause(models.TextChoices):
    UPVOTED = "upvoted", "Post upvoted"
    DOWNVOTED = "downvoted", "Post downvoted"
    DOWNVOTED_ANSWER = "downvoted_answer", "You downvoted an answer"
    ACCEPTED = "accepted", "Answer accepted"
    ACCEPTER = "accepter", "Accepted an answer"
    EDIT_APPROVED = "edit_approved", "Suggested edit approved"
    SPAM_PENALTY = "spam_penalty", "Post deleted as spam or rude"
    # Votes reversed as serial voting: what they earned or cost, taken back (docs/rules.md,
    # "Serial voting"); their own rows stay, detached from the deleted votes.
    VOTING_CORRECTED = "voting_corrected", "Voting corrected"


VOTE_CAUSES = (ReputationCause.UPVOTED, ReputationCause.DOWNVOTED, ReputationCause.DOWNVOTED_ANSWER)


class ReputationChange(models.Model):
    """The reputation ledger. ``amount`` is what was applied, after the daily cap and the
    floor of 1."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reputation_changes"
    )
    amount = models.IntegerField()
    cause = models.CharField(max_length=20, choices=ReputationCause.choices)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    vote = models.ForeignKey(
        Vote, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "day"], name="repchange_user_day")]

    def __str__(self) -> str:
        return f"{self.amount:+d} {self.get_cause_display()} for {self.user_id}"
