"""Similar questions while asking: ``/questions/similar/?title=…`` (JSON for the ask form's
script; the form works without it)."""

import pytest
from django.test import Client

from tests.factories import QuestionFactory, UserFactory
from threads import search, services

pytestmark = pytest.mark.django_db


def similar(title: str) -> list[dict]:
    response = Client().get("/questions/similar/", {"title": title})
    assert response.status_code == 200
    return response.json()["questions"]


def test_it_suggests_questions_sharing_any_word_of_the_title():
    both = QuestionFactory(title="Zorblax calibration with quuxly sensors")
    one = QuestionFactory(title="Calibrating the zorblax by hand")
    QuestionFactory(title="Something else entirely about cooking")

    titles = [item["title"] for item in similar("How do I calibrate my zorblax quuxly?")]

    assert titles == [both.title, one.title]


def test_it_describes_each_suggestion():
    question = QuestionFactory(title="Zorblax question with details", score=4)
    services.answer_create(author=UserFactory(), question=question, body="An answer " * 5)

    (item,) = similar("zorblax details")

    assert item == {
        "id": question.pk,
        "title": question.title,
        "url": question.get_absolute_url(),
        "score": 4,
        "answer_count": 1,
        "accepted": False,
        "state": "",
    }


def test_it_suggests_at_most_five():
    for number in range(8):
        QuestionFactory(title=f"Zorblax question number {number}")

    assert len(similar("zorblax")) == search.SIMILAR_LIMIT == 5


def test_it_marks_closed_and_duplicate_questions():
    target = QuestionFactory(title="Original zorblax question")
    closed = QuestionFactory(title="Closed zorblax question")
    duplicate = QuestionFactory(title="Duplicate zorblax question")
    services.question_close(question=closed, notice={"reason": {"kind": "opinion_based"}})
    services.question_close(
        question=duplicate, notice={"reason": {"kind": "duplicate"}}, duplicate_of=[target]
    )

    states = {item["id"]: item["state"] for item in similar("zorblax question")}

    assert states == {target.pk: "", closed.pk: "closed", duplicate.pk: "duplicate"}


def test_it_leaves_out_deleted_questions_and_answers():
    live = QuestionFactory(title="Live zorblax question")
    deleted = QuestionFactory(title="Deleted zorblax question")
    services.post_delete(actor=deleted.author, post=deleted)
    services.answer_create(author=UserFactory(), question=live, body="zorblax answer " * 3)

    assert [item["id"] for item in similar("zorblax")] == [live.pk]


@pytest.mark.parametrize(
    "title", ["", "   ", "how do I do it", "😀😀", '"* ^ ( NEAR', "x" * 10_000, "\x00"]
)
def test_it_answers_titles_without_usable_words(title):
    QuestionFactory(title="How do I do it with zorblax")

    response = Client().get("/questions/similar/", {"title": title})

    assert response.status_code == 200
    assert response.json()["questions"] == []


def test_it_costs_one_query(django_assert_max_num_queries):
    for number in range(6):
        QuestionFactory(title=f"Zorblax question number {number}")

    with django_assert_max_num_queries(1):
        similar("zorblax number")


def test_it_gives_the_ask_form_a_place_for_suggestions():
    client = Client()
    client.force_login(UserFactory())

    html = client.get("/questions/ask/").content.decode()

    assert 'data-similar-url="/questions/similar/"' in html
    assert "hidden" in html.split('data-similar-url="/questions/similar/"')[1].split(">")[0]
