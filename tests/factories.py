"""The tests use the project's factories (one module, shared with the demo commands)."""

from demo.factories import (
    DEMO_PASSWORD,
    AnswerFactory,
    CommentFactory,
    QuestionFactory,
    UserFactory,
)

__all__ = ["DEMO_PASSWORD", "AnswerFactory", "CommentFactory", "QuestionFactory", "UserFactory"]
