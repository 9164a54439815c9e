"""What the browser tests do when Chromium or axe-core is missing: skip with the reason, or fail
under REQUIRE_BROWSER=1 (as in CI), so a missing browser never passes for a green run."""

import os
from unittest import mock

import pytest
from django.test import SimpleTestCase

from tests.browser import base
from tests.browser.base import AXE_JS, CHROMIUM, require
from tests.helpers import makefile_fixtures


class MissingRequirements(SimpleTestCase):
    def test_a_missing_requirement_skips_with_its_reason(self):
        with mock.patch.dict(os.environ):  # restored afterwards
            os.environ.pop("REQUIRE_BROWSER", None)
            with self.assertRaisesRegex(
                pytest.skip.Exception, "Chromium not found at /usr/bin/chromium"
            ):
                require(False, f"Chromium not found at {CHROMIUM}; apt-get install chromium")

    def test_a_missing_requirement_fails_when_the_browser_is_required(self):
        with (
            mock.patch.dict(os.environ, {"REQUIRE_BROWSER": "1"}),
            self.assertRaisesRegex(
                pytest.fail.Exception, r"axe-core not found .*REQUIRE_BROWSER=1"
            ),
        ):
            require(False, f"axe-core not found at {AXE_JS}; run `make js` (npm ci)")

    def test_a_present_requirement_lets_the_test_run(self):
        with mock.patch.dict(os.environ, {"REQUIRE_BROWSER": "1"}):
            require(True, "never shown")


class TheFixturesTheyLoad(SimpleTestCase):
    def test_the_fixtures_are_those_of_the_makefile_in_its_order(self):
        names = makefile_fixtures()
        self.assertEqual(names[0], "source")  # passages first: every other record cites them
        self.assertLessEqual({"instruments", "resources", "mechanisms"}, set(names))
        # The browser tests on the portal's data load exactly these, in this order.
        self.assertEqual(base.PortalBrowserTestCase.fixtures, names)
