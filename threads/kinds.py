"""The kinds of post: a question, or an answer to one (``Post.kind``)."""

from django.db import models


class PostKind(models.TextChoices):
    QUESTION = "question", "Question"
    ANSWER = "answer", "Answer"
