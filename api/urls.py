"""The API's addresses: django-ninja's (api/v1.py), each answering GET and HEAD only, with an
ETag (and a record's Last-Modified) so that a repeated request can be answered 304; and a JSON
404 for any other address under /api/v1/."""

from functools import wraps

from django.http import JsonResponse
from django.urls import URLPattern, re_path
from django.views.decorators.http import conditional_page

from api.links import NAMESPACE, api_path
from api.v1 import api

READ = ("GET", "HEAD")


def read_only(view):
    """``view`` answering GET, and HEAD as GET (the server sends no body); 405 in JSON for any
    other method. Conditional: an ETag from the content, 304 on a match."""
    view = conditional_page(view)

    @wraps(view)
    def read(request, *args, **kwargs):
        if request.method not in READ:
            response = JsonResponse(
                {
                    "detail": f"This API is read-only: it answers GET and HEAD, not "
                    f"{request.method[:20]}.",
                    "parameters": [],
                },
                status=405,
            )
            response["Allow"] = ", ".join(READ)
            return response
        if request.method == "GET":
            return view(request, *args, **kwargs)
        request.method = "GET"  # ninja's operations are declared for GET
        try:
            return view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"

    # Nothing here changes anything, so no CSRF token is asked for: a POST gets its 405.
    read.csrf_exempt = True
    return read


def not_found(request, rest):
    return JsonResponse(
        {
            "detail": f"There is nothing at {request.path[:200]} in this API: its addresses "
            f"are listed at {api_path('index')} (without a trailing slash).",
            "parameters": [],
        },
        status=404,
    )


app_name = NAMESPACE  # ninja's URL names (openapi-json, openapi-view) are read in it
patterns = api.urls[0]
urlpatterns = [
    *(
        URLPattern(pattern.pattern, read_only(pattern.callback), pattern.default_args, pattern.name)
        for pattern in patterns
    ),
    re_path(r"^(?P<rest>[\s\S]*)$", read_only(not_found), name="not_found"),  # newlines too
]
