"""A prosecutor in Nigeria wants a trafficker who is in Italy: from the extradition page, the
pathfinder's answer (the Convention as a legal basis, with its article), then the paragraph of
the background paper it comes from; on a desktop and on a phone."""

from playwright.sync_api import expect

from countries.models import Participant
from tests.browser.base import PHONE, PortalBrowserTestCase
from tests.helpers import load_participation


class APathfinderJourney(PortalBrowserTestCase):
    def setUp(self):
        super().setUp()
        load_participation()  # the participation data, as `make fixtures` loads it after these
        self.assertEqual(Participant.objects.filter(code__in=["nga", "ita"]).count(), 2)

    def journey(self, browser_page, name):
        page = browser_page.page
        browser_page.goto("/cooperation/extradition/")
        expect(page.locator("h1")).to_have_text("Extradition")
        panel = page.locator("section.pathfinder-panel")
        expect(panel.get_by_label("Form of cooperation")).to_have_value("extradition")
        browser_page.check(f"pathfinder-panel{name}")
        browser_page.assert_fits()

        panel.get_by_label("Requesting State").select_option(label="Nigeria")
        panel.get_by_label("Requested State").select_option(label="Italy")
        panel.get_by_role("button", name="Find the legal basis").click()
        page.wait_for_url("**/pathfinder/?from=nga&to=ita&mechanism=extradition")
        expect(page.locator("#answer-heading")).to_have_text("Extradition: Nigeria asks Italy")

        legal_bases = page.locator("section.basis-section--legal-bases")
        convention = legal_bases.locator("li.basis", has_text="Organized Crime Convention")
        expect(convention.locator(".basis__title")).to_have_text("Organized Crime Convention")
        expect(convention.locator(".basis__article")).to_have_text("Under art. 16")
        expect(convention).to_contain_text("Both States are recorded as bound.")
        expect(convention.locator(".standing", has_text="Nigeria")).to_contain_text("Party")
        expect(convention.locator(".standing", has_text="Italy")).to_contain_text("Party")
        # Guidance stays apart from the legal bases.
        expect(legal_bases).not_to_contain_text("OHCHR")
        expect(page.locator("section.basis-section--guidance")).to_contain_text("OHCHR")
        expect(page.locator("#limits-heading")).to_have_text("Limits of this answer")
        browser_page.check(f"pathfinder-answer{name}")
        browser_page.assert_fits()

        # The paragraph of the paper the article comes from.
        convention.get_by_role("link", name="para. 7").click()
        page.wait_for_url("**/source/#para-7")
        self.assertEqual(browser_page.path, "/source/#para-7")
        self.assertEqual(page.evaluate("() => document.querySelector(':target').id"), "para-7")
        expect(page.locator("#para-7")).to_be_in_viewport()
        expect(page.locator("#para-7")).to_contain_text("extradition")
        browser_page.assert_no_problems()

    def test_from_the_extradition_page_to_the_legal_basis_and_its_paragraph(self):
        self.journey(self.browser_page, "")

    def test_the_same_on_a_phone(self):
        self.journey(self.phone_page, "-phone")

    def test_the_empty_form_the_overview_and_a_refusal_are_accessible(self):
        for browser_page in (self.browser_page, self.open_page(viewport=PHONE)):
            width = browser_page.page.viewport_size["width"]
            suffix = "-phone" if width == PHONE["width"] else ""
            browser_page.goto("/pathfinder/")
            browser_page.check(f"pathfinder-empty{suffix}")
            browser_page.assert_fits()

            browser_page.goto("/pathfinder/?from=kor&to=ita")
            expect(browser_page.page.locator("#overview-heading")).to_contain_text(
                "Republic of Korea asks Italy"
            )
            browser_page.check(f"pathfinder-overview{suffix}")
            browser_page.assert_fits()

            browser_page.goto("/pathfinder/?from=%3Cscript%3E&to=", status=400)
            problems = browser_page.page.locator(".pathfinder-form__problems")
            expect(problems).to_contain_text("“<script>” is not a country code")
            expect(problems).to_contain_text("Choose the requested State too.")
            # The message links to the field it is about.
            problems.get_by_role("link", name="Choose the requested State too.").click()
            expect(browser_page.page.get_by_label("Requested State")).to_be_focused()
            browser_page.check(f"pathfinder-refused{suffix}")
            browser_page.assert_fits()
