"""Records' texts in the interface's other languages, kept by editors.

A ``Translatable`` record names its ``translated_fields`` (a cooperation type's name and
summary, say) and keeps their translations in ``translations``: ``{language: {field: text}}``.
A page asks ``record.in_language(field)``: the text in the reader's language if an editor gave
it, else the English text, which says it is English (``Translated.language``), so that the page
marks it ``lang="en"``. The admin's form (``translations_form``) shows a box per language and
field, and saves them into ``translations``.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


def other_languages():
    """``[(code, name)]`` of the interface's languages other than English."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class Translated(str):
    """A text with the language it is written in."""

    def __new__(cls, text, language):
        self = super().__new__(cls, text)
        self.language = language
        return self

    @property
    def is_fallback(self):
        """Shown in English because the reader's language has no translation of it."""
        return self.language != (translation.get_language() or settings.LANGUAGE_CODE)


class Translatable(models.Model):
    """A record whose ``translated_fields`` editors may give in the other languages."""

    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            "Its texts in the interface's other languages, filled in the boxes of "
            "'Translations'; a page shows the English text, marked as English, where none is "
            "given."
        ),
    )

    translated_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def in_language(self, field, language=None):
        """``field``'s text in ``language`` (the reader's), else in English."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        if language != settings.LANGUAGE_CODE:
            given = (self.translations or {}).get(language, {}).get(field, "")
            if isinstance(given, str) and given.strip():
                return Translated(given.strip(), language)
        return Translated(getattr(self, field), settings.LANGUAGE_CODE)


def field_name(code, field):
    return f"translation_{code.replace('-', '_')}_{field}"


class TranslationsForm(forms.ModelForm):
    """A ModelForm whose translation boxes (declared by ``translations_form``) read and write
    the record's ``translations``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        given = self.instance.translations or {}
        for code, _name in other_languages():
            for field in self._meta.model.translated_fields:
                name = field_name(code, field)
                if name in self.fields:
                    self.fields[name].initial = given.get(code, {}).get(field, "")

    def save(self, commit=True):
        given = {}
        for code, _name in other_languages():
            texts = {
                field: self.cleaned_data.get(field_name(code, field), "").strip()
                for field in self._meta.model.translated_fields
            }
            texts = {field: text for field, text in texts.items() if text}
            if texts:
                given[code] = texts
        self.instance.translations = given
        return super().save(commit)


def translations_form(model, base=forms.ModelForm):
    """A form class for ``model`` (built on ``base``, the admin's own form) with a box per
    other language and translated field."""
    boxes = {}
    for code, language in other_languages():
        for field in model.translated_fields:
            model_field = model._meta.get_field(field)
            long_text = isinstance(model_field, models.TextField)
            boxes[field_name(code, field)] = forms.CharField(
                label=format_lazy("{} ({})", model_field.verbose_name, language),
                help_text=format_lazy(
                    _("In {language}. Empty: pages in {language} show the English text."),
                    language=language,
                ),
                required=False,
                max_length=model_field.max_length,
                widget=(
                    forms.Textarea(attrs={"rows": 3, "lang": code, "dir": "auto"})
                    if long_text
                    else forms.TextInput(attrs={"lang": code, "dir": "auto"})
                ),
            )
    # No Meta: the admin's form factory gives it (with the admin's own form fields, e.g. its
    # URL fields' scheme), and leaves ``translations`` out (``TranslationsAdminMixin``).
    bases = (TranslationsForm,) if base is forms.ModelForm else (TranslationsForm, base)
    return type(f"{model.__name__}TranslationsForm", bases, boxes)


def translation_fieldnames(model):
    """The names of the translation boxes, for an admin's fieldsets."""
    return [
        field_name(code, field)
        for code, _language in other_languages()
        for field in model.translated_fields
    ]


class TranslationsAdminMixin:
    """An admin of a ``Translatable`` model: its form has the translation boxes, together in a
    collapsed "Translations" section after the others."""

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.form = translations_form(model, self.form)

    def get_exclude(self, request, obj=None):
        # Edited through the boxes, never as JSON.
        return [*(super().get_exclude(request, obj) or ()), "translations"]

    def get_fieldsets(self, request, obj=None):
        names = translation_fieldnames(self.model)
        fieldsets = [
            (title, {**options, "fields": [f for f in options["fields"] if f not in names]})
            for title, options in super().get_fieldsets(request, obj)
        ]
        translations = {
            "classes": ["collapse"],
            "fields": names,
            "description": _(
                "Shown to readers of the interface in these languages; where a box is empty, "
                "pages show the English text, marked as English."
            ),
        }
        return [*fieldsets, (_("Translations"), translations)]
