"""factory-boy factories shared by the tests (``tests/factories.py``) and the demo commands.

Posts and comments are built through ``threads.services`` so counters, revisions, tags and
reputation are always consistent with what a person doing the same would produce."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.privileges import Privilege
from threads import services
from threads.models import Post, Tag

DEMO_PASSWORD = "qasite-demo"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    reputation = 1
    # Seen just now, as after a login: the first page a test measures does not record it.
    last_seen = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def email_address(obj, create, extracted, **kwargs):
        """allauth's row for the address (primary, verified as ``email_verified`` says), so
        the user logs in by email and resets their password like a real member."""
        if create and obj.email and not EmailAddress.objects.filter(user=obj).exists():
            EmailAddress.objects.create(
                user=obj, email=obj.email.lower(), primary=True, verified=obj.email_verified
            )


def with_stored_values(post: Post, values: dict) -> Post:
    """``post`` with ``values`` written over what the service stored (dates, scores…)."""
    if values:
        Post.objects.filter(pk=post.pk).update(**values)
        post.refresh_from_db()
    return post


class QuestionFactory(factory.Factory):
    """Builds a question with ``services.question_create``."""

    class Meta:
        model = Post

    author = factory.SubFactory(UserFactory)
    title = factory.Faker("sentence", nb_words=8, variable_nb_words=False)
    body = factory.Faker("paragraph", nb_sentences=5, variable_nb_sentences=False)
    tags = factory.LazyFunction(lambda: ["python"])

    @classmethod
    def _create(cls, model_class, *, author, title, body, tags, **extra):
        # The tags exist already, as on a real site: creating one is a privilege of its own.
        for name in services.normalize_tag_names(tags):
            Tag.objects.get_or_create(name=name, defaults={"slug": name})
        question = services.question_create(
            author=author, title=title, body=body, tags=tags, rate_limited=False
        )
        return with_stored_values(question, extra)


class AnswerFactory(factory.Factory):
    """Builds an answer with ``services.answer_create``."""

    class Meta:
        model = Post

    author = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    body = factory.Faker("paragraph", nb_sentences=4, variable_nb_sentences=False)

    @classmethod
    def _create(cls, model_class, *, author, question, body, **extra):
        answer = services.answer_create(author=author, question=question, body=body)
        return with_stored_values(answer, extra)


class CommentFactory(factory.Factory):
    """Builds a comment with ``services.comment_create``."""

    class Meta:
        model = "threads.Comment"

    # Commenting on someone else's post is a privilege: the default commenter has it.
    author = factory.SubFactory(
        UserFactory,
        reputation=factory.LazyFunction(lambda: Privilege.COMMENT_EVERYWHERE.reputation),
    )
    post = factory.SubFactory(QuestionFactory)
    body = factory.Faker("sentence", nb_words=10, variable_nb_words=False)

    @classmethod
    def _create(cls, model_class, *, author, post, body, **extra):
        comment = services.comment_create(author=author, post=post, body=body, rate_limited=False)
        if extra:
            type(comment).objects.filter(pk=comment.pk).update(**extra)
            comment.refresh_from_db()
        return comment
