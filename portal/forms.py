"""The pathfinder's form: two participants and, if the visitor likes, a form of cooperation.

The parameters are the shareable address of the answer (``/pathfinder/?from=nga&to=ita&mechanism=
extradition``), so every value may have been typed or pasted by hand: codes are read in either
case, and a value that names nothing is refused with a message naming it, never ignored.
"""

import re

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from countries.models import Participant
from instruments.models import Mechanism
from search.text import fold

PARAMETERS = ("from", "to", "mechanism")
CODE = re.compile(r"[a-z]{2,3}")  # a participant's code: ISO alpha-3 in lower case, or "eu"


def shown(value, length=40):
    """A visitor's value, quoted back in a message: printable characters only, shortened."""
    printable = "".join(character for character in value if character.isprintable())
    return Truncator(printable).chars(length) or gettext("(unprintable characters)")


def attributes(attrs):
    """HTML attributes as Django's widget template writes them (django/forms/widgets/attrs.html):
    ``True`` as the bare name, ``False`` left out, any other value as text, escaped."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """Django's ``Select`` with the same HTML, made here rather than by a template per option:
    the pathfinder's lists hold a State each for some two hundred, and rendering an option's
    template for each was most of the time of every page that shows the form (profiled: about
    four fifths of the home page's)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [
            f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>'
        ]
        for group, options, _ in widget["optgroups"]:
            if group:
                html.append(f'\n  <optgroup label="{conditional_escape(group)}">')
            html += [
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                for option in options
            ]
            if group:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # every value in it escaped


class RecordChoiceField(forms.ChoiceField):
    """A choice among ``records`` ({value: record}); cleans to the record. Values are stripped
    and lower-cased first, so ``NGA`` finds ``nga``. ``refusal(value)`` words the message for a
    value that names no record."""

    widget = Select

    def __init__(self, *, records, refusal, **kwargs):
        self.records, self.refusal = records, refusal
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).strip().lower()

    def prepare_value(self, value):  # the select shows "NGA" typed in the address as chosen
        return value.strip().lower() if isinstance(value, str) else value

    def validate(self, value):
        if value and value not in self.records:
            raise forms.ValidationError(self.refusal(value), code="invalid_choice")

    def clean(self, value):
        value = super().clean(value)
        return self.records.get(value)


def unknown_participant(role):
    """The refusal of a value of ``from`` (``role`` "requesting") or ``to`` ("requested")."""

    def refusal(value):
        if CODE.fullmatch(value):
            problem = gettext(
                # Translators: code: the code typed or pasted in the address, such as "xyz".
                "No State or organization with the code “%(code)s” is recorded here."
            ) % {"code": shown(value)}
        else:
            problem = gettext(
                # Translators: value: what was typed or pasted in the address instead of a code.
                "“%(value)s” is not a country code: codes are three letters, such as NGA for "
                "Nigeria (EU for the European Union)."
            ) % {"value": shown(value)}
        if role == "requesting":
            advice = gettext("Choose the requesting State from the list.")
        else:
            advice = gettext("Choose the requested State from the list.")
        return f"{problem} {advice}"

    return refusal


def unknown_mechanism(value):
    return gettext(
        # Translators: value: what was typed or pasted in the address for a form of cooperation.
        "No form of cooperation “%(value)s” is recorded here. Choose one from the list, or "
        "every form of cooperation."
    ) % {"value": shown(value)}


class PathfinderForm(forms.Form):
    """``from`` and ``to``: participants by code; ``mechanism``: a form of cooperation by slug,
    or empty for every one. ``participants`` and ``mechanisms`` (with their categories) may be
    given when the page has them already; otherwise they are read, one query each."""

    def __init__(self, data=None, *, participants=None, mechanisms=None, **kwargs):
        kwargs.setdefault("auto_id", "pathfinder-%s")
        super().__init__(data, **kwargs)
        if participants is None:
            participants = Participant.objects.all()
        if mechanisms is None:
            mechanisms = Mechanism.objects.select_related("category").order_by(
                "category__position", "category__name", "position", "name"
            )
        # By the names the reader sees, accents and case aside (Côte d'Ivoire before Croatia).
        self.participants = sorted(participants, key=lambda p: fold(p.local_name))
        self.mechanisms = list(mechanisms)
        states = [(p.code, p.local_name) for p in self.participants]
        by_code = {p.code: p for p in self.participants}
        self.fields["from"] = RecordChoiceField(
            label=gettext("Requesting State"),
            help_text=gettext("The State (or the European Union) that asks for cooperation."),
            choices=[("", gettext("Choose a State…")), *states],
            records=by_code,
            refusal=unknown_participant("requesting"),
            required=False,
        )
        self.fields["to"] = RecordChoiceField(
            label=gettext("Requested State"),
            help_text=gettext("The State asked to cooperate."),
            choices=[("", gettext("Choose a State…")), *states],
            records=by_code,
            refusal=unknown_participant("requested"),
            required=False,
        )
        grouped = {}  # {category: [(slug, name)]}, in the order given
        for mechanism in self.mechanisms:
            name = mechanism.in_language("name")
            grouped.setdefault(mechanism.category, []).append((mechanism.slug, name))
        self.fields["mechanism"] = RecordChoiceField(
            label=gettext("Form of cooperation"),
            help_text=gettext("Or every form, for an overview."),
            choices=[
                ("", gettext("Every form of cooperation")),
                *((c.in_language("name"), options) for c, options in grouped.items()),
            ],
            records={m.slug: m for m in self.mechanisms},
            refusal=unknown_mechanism,
            required=False,
        )

    def clean(self):
        data = super().clean()
        requesting, requested = data.get("from"), data.get("to")
        chosen = {name: bool(self.data.get(name, "").strip()) for name in ("from", "to")}
        if not chosen["from"] and not chosen["to"]:
            self.add_error("from", gettext("Choose the requesting State."))
            self.add_error("to", gettext("Choose the requested State."))
        elif not chosen["from"]:
            self.add_error("from", gettext("Choose the requesting State too."))
        elif not chosen["to"]:
            self.add_error("to", gettext("Choose the requested State too."))
        elif requesting is not None and requesting == requested:
            self.add_error(
                "to",
                gettext(
                    # Translators: name: a State's name, such as "Nigeria".
                    "%(name)s is both the requesting and the requested State: choose two "
                    "different States."
                )
                % {"name": requested.name},
            )
        return data
