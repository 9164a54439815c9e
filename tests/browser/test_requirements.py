"""What the browser tests do when Chromium or axe-core is missing: skip with the reason, or fail
under REQUIRE_BROWSER=1 (as in CI), so a missing browser never passes for a green run."""

import pytest

from tests.browser.conftest import AXE_JS, CHROMIUM, makefile_fixtures, require


def test_a_missing_requirement_skips_with_its_reason(monkeypatch):
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium not found at /usr/bin/chromium"):
        require(False, f"Chromium not found at {CHROMIUM}; apt-get install chromium")


def test_a_missing_requirement_fails_when_the_browser_is_required(monkeypatch):
    monkeypatch.setenv("REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match=r"axe-core not found .*REQUIRE_BROWSER=1"):
        require(False, f"axe-core not found at {AXE_JS}; run `make js` (npm ci)")


def test_a_present_requirement_lets_the_test_run(monkeypatch):
    monkeypatch.setenv("REQUIRE_BROWSER", "1")
    require(True, "never shown")


def test_the_fixtures_are_those_of_the_makefile_in_its_order():
    names = makefile_fixtures()
    assert names[0] == "source"  # passages first: every other record cites them
    assert {"instruments", "resources", "mechanisms"} <= set(names)
