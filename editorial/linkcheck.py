"""Link health: the last check of each external address the portal gives.

A model opts in by naming its address fields in ``link_fields``, the one its page shows first
first (e.g. ``("current_url", "url")``). ``manage.py check_links`` requests every such address
and fills this table and nothing else: it never changes a record's content. One row per address
(several records may share one), so the admin can show beside any record whether the address its
page shows first still works.
"""

import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER_AGENT = "TIP-Cooperation-Portal-link-checker/1.0 (+editors' link health report)"
# HEAD is refused by some servers; these answers mean "try GET instead".
RETRY_WITH_GET = frozenset({405, 501})


class LinkState(models.TextChoices):
    # Translators: a link's state: its address answers.
    OK = "ok", _("OK")
    REDIRECTED = "redirected", _("Redirected")
    BROKEN = "broken", _("Broken")
    UNCHECKED = "unchecked", _("Unchecked")


class LinkCheck(models.Model):
    """The outcome of the last request to one address."""

    State = LinkState

    url = models.URLField(_("address"), max_length=500, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.UNCHECKED
    )
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    final_url = models.URLField(
        _("final address"), max_length=2000, blank=True, help_text=_("Where the redirects led.")
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        ordering = ["url"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=LinkState.values), name="linkcheck_state_valid"
            ),
        ]
        # The unique index on url serves the admin's per-record Subquery (url = outer address).
        indexes = [
            # The summary and the admin filter count and list addresses by state.
            models.Index(fields=["state"], name="linkcheck_state_idx"),
        ]

    def __str__(self):
        return f"{self.url}: {self.get_state_display()}"


def checked_models():
    """The models that declare ``link_fields``, in a fixed order."""
    found = [model for model in apps.get_models() if getattr(model, "link_fields", ())]
    return sorted(found, key=lambda model: model._meta.label)


def derive_state(url, status_code, final_url, error):
    """ok / redirected / broken / unchecked, from what one request gave."""
    if status_code is None:
        return LinkState.BROKEN if error else LinkState.UNCHECKED
    if status_code >= 400:
        return LinkState.BROKEN
    if final_url and final_url != url:
        return LinkState.REDIRECTED
    return LinkState.OK


@dataclass
class LinkResult:
    url: str
    status_code: int | None = None
    final_url: str = ""
    error: str = ""
    checked: bool = True

    @property
    def state(self):
        if not self.checked:
            return LinkState.UNCHECKED
        return derive_state(self.url, self.status_code, self.final_url, self.error)


def _request(url, method, timeout):
    """(status, final address) of one request; redirects are followed by urllib."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.geturl()
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, error.geturl() or url


def check_address(url, timeout=10.0):
    """Request ``url`` (HEAD, then GET when HEAD is refused) and say what happened.

    Never raises: a timeout, a refused connection, a bad certificate or a malformed answer is
    reported as the error text of a broken link.
    """
    if not url.lower().startswith(("http://", "https://")):
        return LinkResult(url, error="Only http and https addresses are checked.", checked=False)
    try:
        status, final_url = _request(url, "HEAD", timeout)
        if status in RETRY_WITH_GET:
            status, final_url = _request(url, "GET", timeout)
    except urllib.error.URLError as error:  # refused, unknown host, bad certificate...
        return LinkResult(url, error=_describe(error.reason))
    except (HTTPException, OSError, ValueError) as error:  # timeouts are OSErrors too
        return LinkResult(url, error=_describe(error))
    return LinkResult(url, status_code=status, final_url=final_url)


def _describe(reason):
    if isinstance(reason, TimeoutError):
        return "Timed out"
    text = str(reason) or reason.__class__.__name__
    return text[:500]
