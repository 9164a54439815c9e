"""portal/forms.py's Select: the HTML of Django's own Select (its templates), made in Python."""

from django import forms
from django.test import SimpleTestCase

from portal.forms import Select


class Choices(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "Choose…"), ("a&b", 'Tom & "Jerry" <b>'), ("nga", "Nigeria"), (3, "Three")],
        required=True,
        help_text="Which one.",
    )
    grouped = forms.ChoiceField(
        choices=[
            ("", "Every form"),
            ("Judicial <cooperation>", [("extradition", "Extradition"), ("mla", "MLA")]),
            ("Police", [("jit", "Joint investigation teams")]),
        ],
        required=False,
    )


class SelectIsDjangosSelect(SimpleTestCase):
    def assert_same_html(self, form):
        for name, field in form.fields.items():
            ours = str(form[name])
            field.widget = forms.Select(attrs=field.widget.attrs, choices=field.choices)
            theirs = str(form[name])
            field.widget = Select(attrs=field.widget.attrs, choices=field.choices)
            with self.subTest(name=name, bound=form.is_bound):
                self.assertEqual(ours, theirs)

    def form(self, data=None, **kwargs):
        form = Choices(data, **kwargs)
        for field in form.fields.values():
            field.widget = Select(choices=field.choices)
        return form

    def test_unbound_bound_chosen_and_invalid(self):
        self.assert_same_html(self.form())
        self.assert_same_html(self.form(initial={"plain": "nga", "grouped": "mla"}))
        self.assert_same_html(self.form({"plain": "a&b", "grouped": "jit"}))
        invalid = self.form({"plain": "", "grouped": "nothing"})
        self.assertFalse(invalid.is_valid())  # aria-invalid on both
        self.assert_same_html(invalid)

    def test_escaped_and_attributes_written_as_djangos(self):
        form = self.form({"plain": "3"})
        form.fields["plain"].widget.attrs.update(
            {"class": 'x" y', "disabled": True, "hidden": False}
        )
        html = str(form["plain"])
        self.assertIn(
            '<option value="a&amp;b">Tom &amp; &quot;Jerry&quot; &lt;b&gt;</option>', html
        )
        self.assertIn('<option value="3" selected>Three</option>', html)
        self.assertIn('class="x&quot; y" disabled', html)
        self.assertNotIn("hidden", html)
        self.assert_same_html(form)
        grouped = str(form["grouped"])
        self.assertIn('<optgroup label="Judicial &lt;cooperation&gt;">', grouped)

    def test_the_pathfinder_uses_it(self):
        from portal.forms import RecordChoiceField

        self.assertIs(RecordChoiceField.widget, Select)
