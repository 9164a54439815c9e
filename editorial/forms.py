from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from editorial.feedback import CONTACT_MAX_LENGTH, MESSAGE_MAX_LENGTH, Feedback


class ReportProblemForm(forms.ModelForm):
    """'Report a problem with this entry': what is wrong (required) and, if they like, how to
    reach the person reporting it. Saved with the record it concerns and the client's address."""

    class Meta:
        model = Feedback
        fields = ["message", "contact"]
        labels = {"message": _("What is wrong?"), "contact": _("How to reach you (optional)")}
        help_texts = {
            "message": format_lazy(
                # Translators: {max} is the most characters a report may have: "2,000".
                _("A wrong fact, a broken link, a missing source… At most {max} characters."),
                max=f"{MESSAGE_MAX_LENGTH:,}",
            ),
            "contact": _("An email address, if you would like an answer. Only the editors see it."),
        }
        widgets = {
            "message": forms.Textarea(attrs={"rows": 5, "maxlength": MESSAGE_MAX_LENGTH}),
            "contact": forms.TextInput(
                attrs={"maxlength": CONTACT_MAX_LENGTH, "autocomplete": "email"}
            ),
        }

    def save_for(self, record, client_address):
        """Store the report about ``record``, sent from ``client_address``."""
        report = self.save(commit=False)
        report.record = record
        report.record_label = str(record)[:300]
        report.page_url = record.get_absolute_url()[:500]
        report.client_address = client_address
        report.save()
        return report
