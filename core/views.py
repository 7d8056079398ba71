from django.http import HttpResponse


def health(request):
    """For load balancers: the project's middleware, no query."""
    return HttpResponse("ok", content_type="text/plain")
