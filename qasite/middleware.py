from django.http import JsonResponse
from django.shortcuts import render

from qasite.exceptions import RateLimited


class RateLimitMiddleware:
    """Turns ``RateLimited`` from any view into HTTP 429: JSON for the page's script, a
    page with the message otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RateLimited):
            return None
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return JsonResponse({"error": str(exception)}, status=429)
        return render(request, "429.html", {"exception": str(exception)}, status=429)
