"""Legal bases ordered by force, on the real fixtures: on every cooperation page, binding
instruments whose offences include trafficking in persons first, then other binding instruments
with the offences they cover, then guidance (not a legal basis); each with its badge. Counts
labelled binding count only binding instruments; forms of cooperation with nothing recorded
are shown apart."""

import re
from html import unescape

from django.urls import reverse

from instruments.models import Instrument, InstrumentForce, Mechanism
from tests.factories import make_instrument, make_mechanism, make_provision, make_tool
from tests.helpers import FixtureTestCase, indexed


def sections(html):
    """[(force heading, [instrument slugs])] of a cooperation page, in page order."""
    found = []
    for match in re.finditer(
        r'<section class="force force--(\d)".*?</section>', html, flags=re.DOTALL
    ):
        slugs = re.findall(r'<a href="/instruments/([\w-]+)/">', match.group(0))
        found.append((int(match.group(1)), slugs))
    return found


class LegalBasesOnEveryCooperationPage(FixtureTestCase):
    def test_every_page_lists_legal_bases_first_then_other_binding_then_guidance(self):
        checked = 0
        for mechanism in Mechanism.objects.all():
            with self.subTest(mechanism=mechanism.slug):
                html = self.client.get(mechanism.get_absolute_url()).content.decode()
                groups = sections(html)
                forces = [force for force, _ in groups]
                self.assertEqual(forces, sorted(forces), "groups out of order")
                for force, slugs in groups:
                    for slug in slugs:
                        instrument = Instrument.objects.get(slug=slug)
                        self.assertEqual(instrument.force, force, slug)
                listed = {slug for _, slugs in groups for slug in slugs}
                expected = set(
                    Instrument.objects.published()
                    .filter(provisions__mechanism=mechanism)
                    .values_list("slug", flat=True)
                )
                self.assertEqual(listed, expected)
                checked += bool(groups)
        self.assertGreater(checked, 10)

    def test_extradition_puts_the_trafficking_treaties_before_the_drugs_convention(self):
        html = self.client.get(reverse("instruments:mechanism_detail", args=["extradition"]))
        groups = dict(sections(html.content.decode()))
        self.assertIn("untoc", groups[InstrumentForce.LEGAL_BASIS])
        self.assertEqual(groups[InstrumentForce.OTHER_BINDING], ["drugs-convention-1988"])
        self.assertEqual(groups[InstrumentForce.GUIDANCE], ["ohchr-principles"])
        text = unescape(html.content.decode())
        self.assertIn("Guidance, not a legal basis", text)
        # The drugs convention says what its offences cover.
        self.assertIn("Offences it covers: Other offences only", text)
        self.assertIn("does not cover trafficking in persons", text)

    def test_each_entry_has_a_binding_or_non_binding_badge(self):
        html = self.client.get(
            reverse("instruments:mechanism_detail", args=["extradition"])
        ).content.decode()
        for match in re.finditer(r"<li>\s*<a href=\"/instruments/([\w-]+)/\">.*?</li>", html, re.S):
            binding = Instrument.objects.get(slug=match.group(1)).legally_binding
            badge = "badge--binding" if binding else "badge--guidance"
            self.assertIn(badge, match.group(0), match.group(1))

    def test_binding_counts_count_only_binding_instruments(self):
        response = self.client.get(reverse("instruments:mechanism_list"))
        extradition = next(
            m
            for category in response.context["categories"]
            for m in category.mechanisms.all()
            if m.slug == "extradition"
        )
        published = Instrument.objects.published().filter(provisions__mechanism=extradition)
        self.assertEqual(extradition.binding_count, published.filter(legally_binding=True).count())
        self.assertEqual(
            extradition.guidance_count, published.filter(legally_binding=False).count()
        )
        self.assertGreater(extradition.guidance_count, 0)
        self.assertContains(
            response, f"{extradition.binding_count} binding instruments, 1 not binding"
        )


class DeadEnds(FixtureTestCase):
    def test_forms_of_cooperation_with_nothing_recorded_are_shown_apart(self):
        mechanism = make_mechanism("paper-only", name="Named only by the paper")
        for url in [reverse("portal:home"), reverse("instruments:mechanism_list")]:
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                named = html.split("Named by the paper; no instrument or tool recorded yet:")
                self.assertGreater(len(named), 1)
                apart = "".join(part.split("</ul>")[0] for part in named[1:])
                self.assertIn(mechanism.name, apart)
                self.assertNotIn("Extradition<", apart)
        # Once a tool helps with it (counted beside the search index), it joins the others.
        with indexed():
            make_tool("helping-tool", mechanisms=[mechanism])
        html = self.client.get(reverse("instruments:mechanism_list")).content.decode()
        apart = "".join(
            part.split("</ul>")[0]
            for part in html.split("Named by the paper; no instrument or tool recorded yet:")[1:]
        )
        self.assertNotIn(mechanism.name, apart)

    def test_a_draft_instrument_does_not_count_for_its_form_of_cooperation(self):
        mechanism = make_mechanism("draft-only", name="Served by a draft only")
        make_provision(make_instrument("draft-treaty", status="draft"), mechanism)
        html = self.client.get(reverse("instruments:mechanism_list")).content.decode()
        apart = "".join(
            part.split("</ul>")[0]
            for part in html.split("Named by the paper; no instrument or tool recorded yet:")[1:]
        )
        self.assertIn(mechanism.name, apart)
