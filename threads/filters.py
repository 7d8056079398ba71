"""django-filter FilterSets; selectors use them, views never touch querysets directly."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q

from threads.models import Post


class QuestionFilter(django_filters.FilterSet):
    """``?tagged=a+b`` (the query string's ``+`` is a space): questions with every tag."""

    tagged = django_filters.CharFilter(method="filter_tagged", label="Tagged")

    class Meta:
        model = Post
        fields: list[str] = []

    def filter_tagged(self, queryset, name, value):
        for tag in split_tags(value):
            queryset = queryset.filter(tags__name=tag)
        return queryset


def split_tags(value: str) -> list[str]:
    """Tag names from a decoded ``tagged`` value; ``+`` belongs to names such as ``c++``."""
    return [part.lower() for part in value.split()][:5]


class UserFilter(django_filters.FilterSet):
    """``?q=``: members whose username or display name contains the words, ignoring case."""

    q = django_filters.CharFilter(method="filter_name", label="Filter by name", max_length=60)

    class Meta:
        model = get_user_model()
        fields: list[str] = []

    def filter_name(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))
