"""django-filter FilterSets; selectors use them, views never touch querysets directly."""

import django_filters

from threads.models import Post


class QuestionFilter(django_filters.FilterSet):
    """``?tagged=a+b`` (space- or plus-separated): questions carrying every tag."""

    tagged = django_filters.CharFilter(method="filter_tagged", label="Tagged")

    class Meta:
        model = Post
        fields: list[str] = []

    def filter_tagged(self, queryset, name, value):
        for tag in split_tags(value):
            queryset = queryset.filter(tags__name=tag)
        return queryset


def split_tags(value: str) -> list[str]:
    return [part.lower() for part in value.replace("+", " ").split() if part][:5]
