"""Hostile input never gives a 500, and nothing an editor or a visitor types is run as code.

The tests walk the URL resolver, so they cover every public page that exists (portal, instruments,
resources), whoever wrote it:
- a Hypothesis fuzz of paths and query strings (unknown and repeated keys, huge and negative
  numbers, unicode, control characters, bad percent-encoding, 10 KB values), plus a fixed sweep;
- wrong methods (405), oversized or over-long bodies (400), a missing CSRF token (403);
- an XSS corpus in every text and Markdown field of every model and in every reflected parameter,
  with each page parsed to find any script, event handler or javascript:/data: link that got out.
"""

import random
import re
import string
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import IntegrityError, models, transaction
from django.test import Client, SimpleTestCase, TestCase
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal.content import CONTENT_APPS
from tests.factories import (
    make_audience,
    make_guidance,
    make_instrument,
    make_mechanism,
    make_organization,
    make_part,
    make_passage,
    make_provision,
    make_tool,
)
from tests.helpers import plain_static

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_NAMESPACES = {"portal", "instruments", "resources", "guidance", "countries"}
FUZZ_EXAMPLES = 300


# ---- What to visit ------------------------------------------------------------------------


def public_routes():
    """(view name, route with <converters>) for every public URL pattern, found in the resolver."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner in PUBLIC_NAMESPACES or (inner is None and namespace is None):
                    yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and namespace in PUBLIC_NAMESPACES:
                route = prefix + str(pattern.pattern)
                if not route.startswith("/admin/"):  # staff helpers (e.g. a Markdown preview)
                    yield f"{namespace}:{pattern.name}", route

    return sorted(set(walk(get_resolver().url_patterns, "/", None)))


def is_parametrised(route):
    return "<" in route


def content_models():
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def real_paths():
    """view name -> the paths of real records (every content model with get_absolute_url)."""
    found = {}
    for model in content_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        for record in model._default_manager.all()[:25]:
            path = record.get_absolute_url().split("#")[0].split("?")[0]
            try:
                match = resolve(path)
            except Resolver404:
                continue  # an address elsewhere
            found.setdefault(match.view_name, set()).add(path)
    return {name: sorted(paths) for name, paths in found.items()}


class FormsAndLinks(HTMLParser):
    """The query parameter names a page offers: form fields and the keys of its own links."""

    def __init__(self):
        super().__init__()
        self.names = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"input", "select", "textarea"} and attrs.get("name"):
            self.names.add(attrs["name"])
        if tag == "a" and "?" in (attrs.get("href") or ""):
            self.names |= {key for key, _ in parse_qsl(urlsplit(attrs["href"]).query)}


def parameter_names(client, paths):
    names = {"q", "page", "sort", "kind", "scope", "status", "mechanism", "audience", "format"}
    for path in paths:
        parser = FormsAndLinks()
        parser.feed(client.get(path).content.decode("utf-8", "replace"))
        names |= parser.names
    return sorted(names - {"csrfmiddlewaretoken"})


def make_content():
    """A small graph with every kind of record and link, published and draft."""
    paper = make_passage(1)
    annex = make_passage(2, kind="annex", heading="Key tools")
    make_passage(3, kind="footnote", cited_in=paper)
    org = make_organization(slug="unodc", sources=[paper])
    extradition = make_mechanism(slug="extradition", sources=[paper])
    mla = make_mechanism(slug="mutual-legal-assistance")
    untoc = make_instrument(slug="untoc", adopted_by=org, provides=[(extradition, "art. 16")])
    make_provision(untoc, mla, sources=[paper])
    make_instrument(slug="draft-protocol", status="draft", supplements=untoc)
    tool = make_tool(
        slug="legislative-guide",
        publisher=org,
        mechanisms=[extradition],
        instruments=[untoc],
        audiences=[make_audience(slug="prosecutors")],
        sources=[annex],
        featured=True,
    )
    make_part(tool, slug="module-1", mechanisms=[mla], sources=[annex])
    make_tool(slug="draft-tool", status="draft", publisher=org)
    make_guidance(slug="consider-this", mechanisms=[extradition], sources=[paper])
    citeddocument = apps.get_model("paper", "CitedDocument")
    citeddocument.objects.create(slug="a-res-64-293", title="Plan", kind="ga-resolution")
    participant = apps.get_model("countries", "Participant")
    nigeria = participant.objects.create(code="nga", iso3="NGA", name="Nigeria", region="africa")
    apps.get_model("countries", "ParticipationEvent").objects.create(
        participant=nigeria, instrument=untoc, kind="ratification",
        source_url="https://example.org/status",
    )  # fmt: skip


def count_requests(client):
    """Wrap client.get so every request is counted; returns the counter."""
    counter = {"requests": 0}
    get = client.get

    def counted(*args, **kwargs):
        counter["requests"] += 1
        return get(*args, **kwargs)

    client.get = counted
    return counter


# ---- Fuzz ---------------------------------------------------------------------------------

NASTY_VALUES = [
    "",
    " ",
    "%",
    "%ZZ",
    "%FF%FE%FD",
    "%00",
    "%C0%AF",
    "%E2%80%AE",
    "%ED%A0%80",  # an encoded lone surrogate
    "\x00\x01\x1f\x7f",
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "0x1F",
    "9" * 400,
    "-" + "9" * 40,
    "2147483648",
    "18446744073709551616",
    "../../etc/passwd",
    "'; DROP TABLE instruments_instrument; --",
    "' OR '1'='1",
    "\\",
    "[]",
    "{}",
    "*",
    "x" * 10240,
    "é" * 3000,
    "😀" * 50,
    "\u202e\u200b\ufeff",
    "a b+c&d=e",
]

NASTY_SEGMENTS = [
    "%ZZ",
    "%00",
    "%FF",
    "..",
    "%2e%2e",
    "%2F",
    "a%2Fb",
    "é",
    "%C3%A9",
    "😀",
    "x" * 10240,
    "-",
    "_",
    "9" * 100,
    "a%20b",
    "%0d%0aSet-Cookie:x=1",
    "<script>",
]


def encode(text):
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def query_string(pairs, raw=False):
    """Pairs as a query string: percent-encoded, or raw so bad escapes reach the server as-is."""
    if raw:
        return "&".join(f"{key}={value}" for key, value in pairs)
    return "&".join(f"{encode(key)}={encode(value)}" for key, value in pairs)


def with_segments(route, segment):
    return re.sub(r"<(?:\w+:)?\w+>", segment, route)


def find_targets():
    """What the tests visit, on the records of make_content(): the public routes, the paths of
    real records, the parameter names the pages offer, the slugs."""
    routes = public_routes()
    paths = real_paths()
    static = [route for name, route in routes if not is_parametrised(route)]
    return {
        "routes": routes,
        "paths": paths,
        "params": parameter_names(Client(), static),
        "slugs": sorted({p.rstrip("/").rsplit("/", 1)[-1] for ps in paths.values() for p in ps}),
    }


@plain_static()
class HostileInputTestCase(TestCase):
    """Tests on the records of make_content(), with ``self.targets`` to visit."""

    @classmethod
    def setUpTestData(cls):
        make_content()
        cls.targets = find_targets()

    def setUp(self):
        self.assertTrue(self.targets["routes"], "the resolver lists no public route")

    def assert_no_server_error(self, response, url):
        self.assertLess(response.status_code, 500, f"{response.status_code} for {url[:300]!r}")


class FuzzedUrls(HostileInputTestCase):
    def test_fuzzed_urls_never_give_a_server_error(self):
        client, targets = self.client, self.targets
        counter = count_requests(client)
        routes, params, slugs = targets["routes"], targets["params"], targets["slugs"]
        values = st.one_of(
            st.sampled_from(NASTY_VALUES + slugs),
            st.integers(min_value=-(10**40), max_value=10**40).map(str),
            st.text(max_size=60),
            st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=5),
        )
        keys = st.one_of(st.sampled_from(params), st.text(min_size=1, max_size=12))
        segment = st.one_of(
            st.sampled_from(slugs + NASTY_SEGMENTS),
            st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True),
            st.text(min_size=1, max_size=30).map(encode),
        )

        @hypothesis_settings(
            max_examples=FUZZ_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(
            route=st.sampled_from(routes),
            segment=segment,
            pairs=st.lists(st.tuples(keys, values), max_size=8),
            repeat=st.booleans(),
            raw=st.booleans(),
        )
        def check(route, segment, pairs, repeat, raw):
            path = with_segments(route[1], segment)
            if repeat and pairs:
                pairs = pairs + pairs[:1] * 3  # repeated keys, last one different or not
            query = query_string(pairs, raw=raw and all("&" not in k + v for k, v in pairs))
            url = f"{path}?{query}" if query else path
            self.assert_no_server_error(client.get(url), url)

        check()

        # The fixed sweep: every route, real and hostile path segments, every nasty value in
        # every known parameter.
        for _, route in routes:
            paths = [route] if not is_parametrised(route) else targets["paths"].get(_, [])[:2]
            if is_parametrised(route):
                paths += [with_segments(route, s) for s in NASTY_SEGMENTS]
            for path in paths:
                self.assert_no_server_error(client.get(path), path)
            base = paths[0] if paths else None
            if base is None:
                continue
            for value in NASTY_VALUES:
                url = f"{base}?" + query_string([(name, value) for name in params])
                self.assert_no_server_error(client.get(url), url)
            for value in ("%ZZ", "%FF%FE", "%", "%0", "a=b=c", "&&&", "=", "%00=%00"):
                url = f"{base}?q={value}&page={value}&{value}"
                self.assert_no_server_error(client.get(url), url)
        too_many = "&".join(f"k{i}=v" for i in range(1100))
        response = client.get(f"/?{too_many}")
        self.assertIn(response.status_code, {200, 400})
        print(f"\nfuzz: {counter['requests']} requests over {len(routes)} public routes, no 5xx")
        self.assertGreaterEqual(counter["requests"], FUZZ_EXAMPLES)

    def test_random_slugs_do_not_match_real_records(self):
        # A sanity check of the fuzz's own inputs: random slugs give 404, not someone's record.
        rng = random.Random(3)
        for name, route in self.targets["routes"]:
            if not is_parametrised(route):
                continue
            slug = "".join(rng.choice(string.ascii_lowercase) for _ in range(24))
            response = self.client.get(with_segments(route, slug))
            self.assertEqual(response.status_code, 404, (name, response.status_code))


# ---- Methods, bodies, CSRF ----------------------------------------------------------------


def visitable_paths(targets):
    paths = []
    for name, route in targets["routes"]:
        paths += [route] if not is_parametrised(route) else targets["paths"].get(name, [])[:1]
    return paths


class WrongMethods(HostileInputTestCase):
    def test_wrong_methods_get_405_on_every_public_page(self):
        paths = visitable_paths(self.targets)
        self.assertTrue(paths)
        sitemap = reverse("site:sitemap")
        for method in ["post", "put", "patch", "delete"]:
            with self.subTest(method=method):
                for path in paths:
                    response = getattr(self.client, method)(path)
                    expected = {405} if path != sitemap else {405, 200}  # Django's own sitemap
                    self.assertIn(
                        response.status_code, expected, (method, path, response.status_code)
                    )


@plain_static()
class CsrfAndBodies(TestCase):
    def test_post_without_a_csrf_token_is_refused_with_403(self):
        client = Client(enforce_csrf_checks=True)
        User.objects.create_superuser("editor", "e@example.org", "a-long-pass-phrase")
        response = client.post(
            reverse("admin:login"), {"username": "editor", "password": "a-long-pass-phrase"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("_auth_user_id", client.session)
        self.assertEqual(client.post(reverse("portal:home")).status_code, 403)

    def test_oversized_and_over_long_bodies_are_refused_with_400(self):
        big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
        login = reverse("admin:login")
        self.assertEqual(Client().post(login, {"username": big, "password": "x"}).status_code, 400)
        # As a browser would: with the CSRF cookie and token, so the body is read, and refused.
        browser = Client(enforce_csrf_checks=True)
        browser.get(login)
        token = browser.cookies["csrftoken"].value
        response = browser.post(login, {"username": big, "password": "x"}, HTTP_X_CSRFTOKEN=token)
        self.assertEqual(response.status_code, 400)
        many = {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
        self.assertEqual(Client().post(reverse("admin:login"), many).status_code, 400)
        # A public page refuses the method before it would read any body.
        self.assertEqual(Client().post(reverse("portal:home"), {"q": big}).status_code, 405)


# ---- XSS ----------------------------------------------------------------------------------

XSS_PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><script>alert("xss")</script>',
    "'><img src=x onerror=alert('xss')>",
    "<img src=x onerror=alert('xss')//",
    "<svg/onload=alert('xss')>",
    "<svg><script>alert('xss')</script></svg>",
    "<svg><animate attributeName=href values=javascript:alert('xss') /><a><text>x</text></a>",
    "<iframe src=javascript:alert('xss')></iframe>",
    "<a href=\"javascript:alert('xss')\">link</a>",
    "<a href=\"jav&#x09;ascript:alert('xss')\">tab</a>",
    '<a href=" JaVaScRiPt:alert(1)">spaced</a>',
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzJyk8L3NjcmlwdD4='>data</a>",
    "[markdown link](javascript:alert('xss'))",
    "[data link](data:text/html;base64,PHNjcmlwdD4=)",
    "![image](javascript:alert('xss'))",
    "[ref][1]\n\n[1]: javascript:alert('xss')",
    "<details open ontoggle=alert('xss')>",
    "<body onload=alert('xss')>",
    "</textarea><script>alert('xss')</script>",
    "</title><script>alert('xss')</script>",
    "<<script>script>alert('xss')<</script>/script>",
    "<scr<script>ipt>alert('xss')</scr</script>ipt>",
    "<ScRiPt>alert('xss')</sCrIpT>",
    "%3Cscript%3Ealert('xss')%3C/script%3E",
    "&lt;script&gt;alert('xss')&lt;/script&gt;",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss')>",
    "<object data=javascript:alert('xss')>",
    "<embed src=javascript:alert('xss')>",
    "<base href=javascript:alert('xss')//>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<div style=\"background:url(javascript:alert('xss'))\">styled</div>",
    "<form action=javascript:alert('xss')><button>x</button></form>",
    "<input autofocus onfocus=alert('xss')>",
    "javascript:alert('xss')",
    "\u202e<script>alert('xss')</script>",
    "{{ request }}{% debug %}",
]
# Payloads that only do harm through another layer (Markdown, filters that strip and reassemble,
# double decoding, template evaluation): pasted raw into HTML they are inert text.
NOT_HTML_ATTACKS = {
    "[markdown link](javascript:alert('xss'))",
    "[data link](data:text/html;base64,PHNjcmlwdD4=)",
    "![image](javascript:alert('xss'))",
    "[ref][1]\n\n[1]: javascript:alert('xss')",
    "<scr<script>ipt>alert('xss')</scr</script>ipt>",
    "%3Cscript%3Ealert('xss')%3C/script%3E",
    "&lt;script&gt;alert('xss')&lt;/script&gt;",
    "javascript:alert('xss')",
    "{{ request }}{% debug %}",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "values",
    "to",
    "from",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# Inline <svg> is fine (the admin's icons); an SVG payload shows up as a handler or a script.
FORBIDDEN_TAGS = {"iframe", "frame", "object", "embed", "base", "applet", "math"}


class EscapeChecker(HTMLParser):
    """Lists every construct in a page that could run code: what an unescaped payload makes."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self.in_inline_script = False

    def flag(self, what):
        self.problems.append(f"{what}: {self.get_starttag_text()!r}")

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.flag(f"<{tag}>")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.flag("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on"):
                self.flag(f"event handler {name}")
            squashed = re.sub(r"[\s\x00-\x20]+", "", value or "").lower()
            if name in URL_ATTRIBUTES and squashed.startswith(
                ("javascript:", "vbscript:", "data:")
            ):
                self.flag(f"{squashed.split(':')[0]}: URL in {name}")
            if name == "style" and "javascript:" in squashed:
                self.flag("javascript: in style")
        if tag == "script":
            attributes = dict(attrs)
            inline = "src" not in attributes
            self.in_inline_script = inline and attributes.get("type") != "application/json"

    def handle_data(self, data):
        if self.in_inline_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:80]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_inline_script = False


def escape_problems(html):
    checker = EscapeChecker()
    checker.feed(html)
    return checker.problems


class TheEscapeChecker(SimpleTestCase):
    def test_the_escape_checker_finds_what_it_should(self):
        self.assertEqual(escape_problems("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"), [])
        self.assertEqual(escape_problems('<script src="/static/js/x.js"></script>'), [])
        self.assertEqual(escape_problems('<script type="application/json">{"a": 1}</script>'), [])
        for payload in set(XSS_PAYLOADS) - NOT_HTML_ATTACKS:
            self.assertTrue(escape_problems(f"<p>{payload}</p>"), payload)


def text_fields(model):
    """Fields an editor types free text into (not slugs, not choices)."""
    return [
        field
        for field in model._meta.local_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField)
        and not field.choices
    ]


def fill_with_payloads(url_payloads=None):
    """Every text and Markdown field of every content record gets a payload; URL fields get the
    same payloads, or ``url_payloads`` when given.

    Each field is saved on its own, so a field whose payload breaks a database rule (e.g. a
    region on a global instrument) keeps its value and the others still get theirs.
    """
    rotation = iter(range(10**6))
    filled = 0
    for model in content_models():
        for record in model._base_manager.all():
            for field in text_fields(model):
                is_url = isinstance(field, models.URLField)
                corpus = url_payloads if is_url and url_payloads else XSS_PAYLOADS
                payload = corpus[next(rotation) % len(corpus)]
                before = getattr(record, field.attname)
                setattr(record, field.attname, payload[: field.max_length])
                try:
                    with transaction.atomic():
                        record.save()
                    filled += 1
                except IntegrityError:
                    setattr(record, field.attname, before)
    return filled


def admin_pages(client):
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "pass-phrase-1"))
    pages = [(reverse("admin:index"), False)]
    for model in admin.site._registry:
        if model._meta.app_label not in CONTENT_APPS:
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append((reverse(f"{prefix}_changelist"), True))
        record = model._base_manager.first()
        if record is not None:
            pages.append((reverse(f"{prefix}_change", args=[record.pk]), False))
    return pages


class XssPayloads(HostileInputTestCase):
    def test_xss_payloads_in_every_field_and_parameter_come_out_escaped(self):
        targets = self.targets
        # Addresses get every payload but a bare script scheme (see the test after this one).
        attribute_breakers = [p for p in XSS_PAYLOADS if not p.startswith("javascript:")]
        self.assertGreater(fill_with_payloads(url_payloads=attribute_breakers), 50)
        client = Client()
        counter = count_requests(client)
        problems = []

        shown = []

        def visit(url, visitor=client):
            response = visitor.get(url)
            self.assert_no_server_error(response, url)
            html = response.content.decode("utf-8", "replace")
            for problem in escape_problems(html):
                problems.append(f"{url[:120]}: {problem}")
            if "&lt;script&gt;alert(" in html or "&lt;img src=x onerror" in html:
                shown.append(url)

        pages = visitable_paths(targets) + [p for ps in real_paths().values() for p in ps]
        for path in sorted(set(pages)):
            visit(path)
        reflecting = [route for _, route in targets["routes"] if not is_parametrised(route)]
        for path in reflecting:
            for payload in XSS_PAYLOADS:
                visit(f"{path}?" + query_string([(name, payload) for name in targets["params"]]))
        for payload in XSS_PAYLOADS[:6]:
            visit("/" + encode(payload) + "/")  # the 404 page
        staff = Client()
        for page, searchable in admin_pages(staff):
            visit(page, staff)
            if searchable:
                visit(f"{page}?q={encode(XSS_PAYLOADS[2])}", staff)
        print(f"\nxss: {counter['requests']} public pages checked, plus the admin's")
        if problems:
            self.fail("\n".join(problems[:40]))
        self.assertGreater(len(shown), 20, "the payloads should be on the pages, escaped")

    def test_url_fields_never_become_script_links(self):
        # The database itself refuses a script address, whichever way it comes in (fixture,
        # import, shell), not only the admin's form validation.
        script_addresses = ["javascript:alert('xss')", " data:text/html,<b>x</b>", "JaVaScRiPt:x"]
        checked = 0
        for model in content_models():
            for field in text_fields(model):
                if not isinstance(field, models.URLField):
                    continue
                record = model._base_manager.first()
                if record is None:
                    continue
                checked += 1
                for address in script_addresses:
                    with self.assertRaises(IntegrityError), transaction.atomic():
                        model._base_manager.filter(pk=record.pk).update(**{field.attname: address})
        self.assertGreaterEqual(
            checked, 8, "every address field of the content models should have been tried"
        )
        fill_with_payloads(url_payloads=script_addresses)
        client = Client()
        problems = []
        for path in sorted({p for ps in real_paths().values() for p in ps}):
            response = client.get(path)
            self.assert_no_server_error(response, path)
            problems += [f"{path}: {x}" for x in escape_problems(response.content.decode())]
        if problems:
            self.fail("\n".join(problems[:20]))
