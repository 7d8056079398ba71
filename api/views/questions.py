"""``/api/v1/questions/``: one address for the list (GET, a read) and for asking (POST, a
write), as REST has it; each method keeps its own view's schema, scope and checks."""

from api.views.reads import QuestionList
from api.views.writes import QuestionCreate


class QuestionCollection(QuestionList, QuestionCreate):
    pass
