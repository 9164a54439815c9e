"""Panels: sections that apps above instruments add to its pages, in their registered order."""

from django.template.loader import render_to_string
from django.test import RequestFactory, SimpleTestCase

from instruments import panels

BANNER = "includes/draft_banner.html"
ROBOTS = "portal/robots.txt"


class PanelRegistry(SimpleTestCase):
    def setUp(self):
        saved = {page: list(found) for page, found in panels.registered.items()}
        self.addCleanup(panels.registered.update, saved)
        panels.registered["mechanism"] = []

    def test_panels_render_by_position_leaving_out_those_with_nothing_to_show(self):
        request = RequestFactory().get("/")
        panels.register("mechanism", BANNER, lambda request, record: {}, position=20)
        panels.register("mechanism", ROBOTS, lambda request, record: None, position=10)
        self.assertEqual([p.template for p in panels.registered["mechanism"]], [ROBOTS, BANNER])
        shown = panels.render_panels("mechanism", request, object())
        self.assertEqual(shown, [render_to_string(BANNER, {}, request=request)])

    def test_registering_a_template_again_replaces_it(self):
        panels.register("mechanism", BANNER, lambda request, record: {}, position=20)
        panels.register("mechanism", BANNER, lambda request, record: None, position=5)
        self.assertEqual(len(panels.registered["mechanism"]), 1)
        self.assertEqual(panels.render_panels("mechanism", RequestFactory().get("/"), None), [])

    def test_an_unknown_page_is_refused(self):
        with self.assertRaisesMessage(ValueError, "no page 'tool'"):
            panels.register("tool", BANNER, lambda request, record: {})
