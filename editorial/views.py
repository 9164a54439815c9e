from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from editorial.client import client_address
from editorial.forms import ReportProblemForm
from editorial.limits import store_report_within_limit
from editorial.markdown import check_renders


@never_cache
@require_POST
def markdown_preview(request):
    """The HTML a Markdown field will show on the site, for the admin's live preview.

    Staff only, CSRF-protected (a POST), rendered by the site's own sanitising pipeline within
    the same limits as a save (``check_renders``: length, and time in a separate process).
    """
    if not (request.user.is_active and request.user.is_staff):
        return JsonResponse({"error": gettext("Only signed-in editors can preview.")}, status=403)
    try:
        html = check_renders(request.POST.get("text", ""))
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"html": html})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_problem(request, kind, slug, reportable):
    """'Report a problem with this entry': a short form, stored for the editors, rate limited
    per client (``store_report_within_limit``); then back to the record with a thank-you message.

    ``reportable`` (given by the URLconf) maps the ``kind`` in the address to a function giving
    the public records of that kind. A form with errors is shown again (400) before the limit is
    consulted: it stores nothing, so it does not count, and a visitor's slip costs no report."""
    if kind not in reportable:
        raise Http404("No such kind of record.")
    record = get_object_or_404(reportable[kind](), slug=slug)
    form = ReportProblemForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "record": record, "kind": kind}
    if request.method != "POST":
        return render(request, "editorial/report_problem.html", context)
    if not form.is_valid():
        return render(request, "editorial/report_problem.html", context, status=400)
    address = client_address(request)
    if store_report_within_limit(address, lambda: form.save_for(record, address)) is None:
        response = render(
            request, "editorial/report_problem.html", context | {"limited": True}, status=429
        )
        response["Retry-After"] = str(settings.FEEDBACK_RATE_WINDOW)
        return response
    messages.success(request, gettext("Thank you: your report has been sent to the editors."))
    return redirect(record)
