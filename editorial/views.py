from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from editorial.client import client_address
from editorial.feedback import Feedback
from editorial.forms import ReportProblemForm
from editorial.markdown import render_markdown

MAX_PREVIEW_LENGTH = 100_000


@never_cache
@require_POST
def markdown_preview(request):
    """The HTML a Markdown field will show on the site, for the admin's live preview.

    Staff only, CSRF-protected (a POST), rendered by the site's own sanitising pipeline, but not
    through its cache: every keystroke's text would fill it.
    """
    if not (request.user.is_active and request.user.is_staff):
        return JsonResponse({"error": "Only signed-in editors can preview."}, status=403)
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW_LENGTH:
        error = f"Too long to preview (over {MAX_PREVIEW_LENGTH:,} characters)."
        return JsonResponse({"error": error}, status=400)
    return JsonResponse({"html": render_markdown.__wrapped__(text)})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_problem(request, kind, slug, reportable):
    """'Report a problem with this entry': a short form, stored for the editors, rate limited
    per client address; then back to the record with a thank-you message.

    ``reportable`` (given by the URLconf) maps the ``kind`` in the address to a function giving
    the public records of that kind."""
    if kind not in reportable:
        raise Http404("No such kind of record.")
    record = get_object_or_404(reportable[kind](), slug=slug)
    form = ReportProblemForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "record": record, "kind": kind}
    if request.method != "POST":
        return render(request, "editorial/report_problem.html", context)
    address = client_address(request)
    window = settings.FEEDBACK_RATE_WINDOW
    if Feedback.objects.recent_from(address, window).count() >= settings.FEEDBACK_RATE_LIMIT:
        response = render(
            request, "editorial/report_problem.html", context | {"limited": True}, status=429
        )
        response["Retry-After"] = str(window)
        return response
    if not form.is_valid():
        return render(request, "editorial/report_problem.html", context, status=400)
    form.save_for(record, address)
    messages.success(request, "Thank you: your report has been sent to the editors.")
    return redirect(record)
