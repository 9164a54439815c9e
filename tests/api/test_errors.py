"""What the API answers when asked wrongly: JSON with a ``detail`` in words, 400 naming the
refused parameters, 404 for what is not there (drafts included), 405 for anything but GET and
HEAD; never a 500, whatever the input. And how it answers HEAD, CORS and a repeated request."""

from unittest import mock
from urllib.parse import urlencode

from django.test import TestCase
from django.urls import get_resolver, reverse
from django.utils.dateparse import parse_datetime

from tests.factories import build_records, make_mechanism, make_tool
from tests.helpers import indexed


def api(name, *args):
    return reverse(f"api-v1:{name}", args=args)


class ApiTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        with indexed():
            cls.records = build_records()

    def refused(self, url, *parameters, status=400):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, f"{url}: {response.content[:300]}")
        self.assertEqual(response["Content-Type"].split(";")[0], "application/json")
        body = response.json()
        self.assertTrue(body["detail"].strip(), url)
        self.assertEqual(body["parameters"], list(parameters), body["detail"])
        for name in parameters:
            self.assertIn(f"{name}:", body["detail"])
        return body["detail"]


class BadParameters(ApiTestCase):
    def test_an_unknown_value_is_refused_with_the_values_to_use(self):
        detail = self.refused(api("list_tools") + "?kind=pamphlet", "kind")
        self.assertIn("“pamphlet”", detail)
        self.assertIn("manual", detail)  # the known values are named
        detail = self.refused(
            api("list_tools") + "?mechanism=extradition&mechanism=nope", "mechanism"
        )
        self.assertIn("/api/v1/mechanisms", detail)  # where the slugs are listed

    def test_a_draft_is_not_a_value(self):
        self.refused(api("list_tools") + "?instrument=draft-plan", "instrument")

    def test_each_refused_parameter_is_named(self):
        url = api("list_instruments") + "?scope=planetary&region=Atlantis&binding=maybe"
        detail = self.refused(url, "scope", "region", "binding")
        self.assertIn("planetary", detail)

    def test_an_unknown_parameter_is_refused(self):
        self.refused(api("list_tools") + "?mechanisms=extradition", "mechanisms")
        self.refused(api("get_tool", "model-law") + "?kind=manual", "kind")
        self.refused(api("index") + "?x=1", "x")

    def test_one_value_at_a_time_and_at_most_three(self):
        detail = self.refused(api("list_tools") + "?kind=manual&kind=model-law", "kind")
        self.assertIn("one value", detail)
        slugs = ["extradition"] + [make_mechanism().slug for _ in range(3)]
        detail = self.refused(
            api("list_tools") + "?" + urlencode({"mechanism": slugs}, True), "mechanism"
        )
        self.assertIn("at most 3", detail)

    def test_words_too_long(self):
        detail = self.refused(api("list_tools") + "?q=" + "x" * 5000, "q")
        self.assertIn("500 characters", detail)

    def test_words_the_search_does_not_use_are_said(self):
        response = self.client.get(api("list_tools") + "?q=" + "+".join(f"w{n}" for n in range(40)))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.json()["notices"])

    def test_pages(self):
        list_tools = api("list_tools")
        for value in ("abc", "0", "-1", "1.5", "1e3", "١", "99999999999999999999", " "):
            with self.subTest(page=value):
                if value.strip():
                    self.refused(f"{list_tools}?page={value}", "page")
        detail = self.refused(f"{list_tools}?page=2", "page")
        self.assertIn("1 page of 20", detail)
        self.refused(f"{list_tools}?page=1&page=2", "page")
        for value in ("0", "101", "abc", "-5"):
            with self.subTest(page_size=value):
                detail = self.refused(f"{list_tools}?page_size={value}", "page_size")
                self.assertIn("1 to 100", detail)
        self.assertEqual(self.client.get(f"{list_tools}?page=&page_size=100").status_code, 200)

    def test_paging_stops_where_the_portals_lists_stop(self):
        with indexed():
            for number in range(21):
                make_tool(slug=f"tool-{number:02}", publisher=self.records["organization"])
        # 22 published tools: 11 pages of 2.
        answer = self.client.get(api("list_tools") + "?page_size=2&page=11").json()
        self.assertEqual((answer["count"], len(answer["results"])), (22, 2))
        self.refused(api("list_tools") + "?page_size=2&page=12", "page")
        # Past MAX_RESULTS_PAGED results no list pages further (the portal's bound).
        with mock.patch("search.facets.MAX_RESULTS_PAGED", 10):
            detail = self.refused(api("list_tools") + "?page_size=2&page=6", "page")
            last = self.client.get(api("list_tools") + "?page_size=2&page=5").json()
        self.assertIn("only the first 10 of the 22 results", detail)
        self.assertIsNone(last["next"])
        self.assertIn("Only the first 10 results can be paged through", last["notices"][0])


class NotFound(ApiTestCase):
    def test_unknown_and_draft_records_are_404(self):
        for url in (
            api("get_tool", "no-such-tool"),
            api("get_tool", "unfinished-manual"),  # a draft
            api("get_instrument", "draft-plan"),  # a draft
            api("get_mechanism", "nope"),
            api("get_category", "nope"),
            api("get_organization", "nope"),
            api("get_guidance", "nope"),
            api("get_document", "nope"),
            api("get_passage", "para-999"),
            api("get_participant", "zzz"),
        ):
            with self.subTest(url=url):
                detail = self.refused(url, status=404)
                self.assertIn(url.rsplit("/", 1)[1], detail)

    def test_an_address_that_is_not_the_apis_is_404_in_json(self):
        for url in ("/api/v1/nothing", "/api/v1/tools/", "/api/v1/tools/a/b", "/api/v1/tools/é"):
            with self.subTest(url=url):
                detail = self.refused(url, status=404)
                self.assertIn("/api/v1/", detail)


class Methods(ApiTestCase):
    def test_only_get_and_head(self):
        for url in (
            api("list_tools"),
            api("get_tool", "model-law"),
            api("openapi-json"),
            "/api/v1/x",
        ):
            for method in ("post", "put", "patch", "delete", "options"):
                with self.subTest(url=url, method=method):
                    response = getattr(self.client, method)(url)
                    self.assertEqual(response.status_code, 405)
                    self.assertEqual(response["Allow"], "GET, HEAD")
                    self.assertIn("read-only", response.json()["detail"])

    def test_every_address_of_the_api_answers_head_as_get(self):
        examples = {
            "get_instrument": ["untoc"],
            "get_mechanism": ["extradition"],
            "get_category": ["judicial"],
            "get_organization": ["unodc"],
            "get_tool": ["model-law"],
            "get_guidance": ["designate-central-authorities"],
            "get_document": ["a-res-64-293"],
            "get_passage": ["para-7"],
            "get_participant": ["nga"],
            "not_found": ["nothing/here"],
        }
        api_urls = next(
            p for p in get_resolver().url_patterns if getattr(p, "namespace", "") == "api-v1"
        )
        names = [pattern.name for pattern in api_urls.url_patterns]
        self.assertGreater(len(names), 20)
        for name in names:
            with self.subTest(name=name):
                url = reverse(f"api-v1:{name}", args=examples.get(name, []))
                got, head = self.client.get(url), self.client.head(url)
                self.assertEqual(got.status_code, 404 if name == "not_found" else 200, url)
                self.assertEqual(head.status_code, got.status_code)
                self.assertEqual(head.content, b"")
                for header in ("Content-Type", "ETag", "Last-Modified", "Content-Length"):
                    self.assertEqual(head.get(header), got.get(header), header)

    def test_head_answers_as_get_without_a_body(self):
        for url in (
            api("index"),
            api("list_tools"),
            api("get_tool", "model-law"),
            api("get_tool", "nope"),
            api("list_tools") + "?kind=nope",
            api("openapi-json"),
            api("openapi-view"),
        ):
            with self.subTest(url=url):
                got, head = self.client.get(url), self.client.head(url)
                self.assertEqual(head.status_code, got.status_code)
                self.assertEqual(head.content, b"")
                for header in ("Content-Type", "ETag", "Last-Modified"):
                    self.assertEqual(head.get(header), got.get(header))


class Cors(ApiTestCase):
    def test_any_origin_may_read_the_api(self):
        response = self.client.get(api("list_tools"), HTTP_ORIGIN="https://other.example")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        self.assertNotIn("Access-Control-Allow-Credentials", response)

    def test_a_preflight_allows_reading_only(self):
        response = self.client.options(
            api("list_tools"),
            HTTP_ORIGIN="https://other.example",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Access-Control-Allow-Methods"], "GET, HEAD, OPTIONS")

    def test_the_portals_pages_are_not_shared(self):
        response = self.client.get(reverse("resources:tool_list"), HTTP_ORIGIN="https://x.example")
        self.assertNotIn("Access-Control-Allow-Origin", response)


class ConditionalGet(ApiTestCase):
    def test_a_repeated_request_is_answered_304(self):
        url = api("get_tool", "model-law")
        first = self.client.get(url)
        self.assertTrue(first["ETag"])
        again = self.client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")

    def test_a_change_changes_the_etag_and_last_modified(self):
        url = api("get_tool", "model-law")
        first = self.client.get(url)
        tool = self.records["tool"]
        tool.title = "Model Law against Trafficking in Persons (2009)"
        tool.save()  # recorded in its history
        second = self.client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(second.status_code, 200)
        self.assertNotEqual(second["ETag"], first["ETag"])
        changed = tool.history.latest().history_date
        self.assertEqual(
            parse_datetime(second.json()["last_modified"]),
            changed.replace(microsecond=changed.microsecond // 1000 * 1000),  # JSON keeps ms
        )
        self.assertTrue(second["Last-Modified"].endswith("GMT"))


class HostileInput(ApiTestCase):
    """Nothing a client sends gives a 500: every list with odd values of every parameter."""

    VALUES = [
        "",
        "%",
        "\x00",
        "a\x00b",
        "é" * 3000,
        "😀" * 50,
        "\u202e\u200b\ufeff",
        "' OR '1'='1",
        "-",
        '"',
        "OR",
        "-x -y",
        "9" * 400,
        "-1",
        "[]",
        "x" * 10240,
    ]

    def test_lists(self):
        lists = [
            "list_instruments",
            "list_mechanisms",
            "list_categories",
            "list_organizations",
            "list_tools",
            "list_guidance",
            "list_documents",
            "list_passages",
            "list_participants",
            "list_participation",
        ]
        names = ["q", "kind", "mechanism", "region", "page", "page_size", "instrument", "zz"]
        for list_name in lists:
            for name in names:
                for value in self.VALUES:
                    response = self.client.get(api(list_name), {name: value})
                    where = f"{list_name} {name}={value[:20]!r}"
                    self.assertIn(response.status_code, (200, 400), where)
                    body = response.json()
                    self.assertTrue(
                        body["detail"]
                        if response.status_code == 400
                        else body["results"] is not None
                    )

    def test_record_addresses(self):
        for value in ("%00", "%ZZ", "%C0%AF", "..", "😀", "x" * 5000, "%2F", "draft-plan"):
            for prefix in ("tools", "instruments", "participants", "passages"):
                with self.subTest(value=value[:10], prefix=prefix):
                    response = self.client.get(f"/api/v1/{prefix}/{value}")
                    self.assertEqual(response.status_code, 404)
