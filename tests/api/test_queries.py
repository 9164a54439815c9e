"""Query budgets: every list and every record of the API costs the same number of queries with 3
records as with 30, each linked to as many others (sources, mechanisms, parts, observations)."""

import datetime

from django.db import connection
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api import records, v1
from countries.models import BindingRule, Group, Membership, Participant, ParticipationEvent
from editorial.history import record_version
from instruments.models import Mechanism
from tests.factories import (
    make_audience,
    make_category,
    make_guidance,
    make_instrument,
    make_mechanism,
    make_organization,
    make_part,
    make_passage,
    make_provision,
    make_tool,
)
from tests.helpers import indexed

SOURCE = "https://example.org/status"


def build(start, count, category):
    """``count`` records of every kind (numbered from ``start``), each with several links."""
    for n in range(start, start + count):
        passages = [make_passage(1000 + 3 * n + i) for i in range(3)]
        make_passage(5000 + n, kind="footnote", cited_in=passages[0])
        organization = make_organization(f"org-{n}", sources=passages)
        mechanisms = [
            make_mechanism(f"mechanism-{n}-{i}", category=category, sources=passages)
            for i in range(2)
        ]
        instrument = make_instrument(
            f"instrument-{n}", adopted_by=organization, sources=passages, provides=mechanisms
        )
        make_instrument(f"draft-{n}", status="draft", supplements=instrument)
        make_instrument(f"protocol-{n}", supplements=instrument, replaces=instrument)
        record_version(instrument)
        tool = make_tool(
            f"tool-{n}",
            publisher=organization,
            mechanisms=mechanisms,
            instruments=[instrument],
            audiences=[make_audience(f"audience-{n}")],
            sources=passages,
        )
        for i in range(2):
            make_part(tool, f"part-{i}", mechanisms=mechanisms, sources=passages)
        make_guidance(f"guidance-{n}", mechanisms=mechanisms, sources=passages)
        document = make_document(f"document-{n}", passages)
        instrument.documents.add(document)
        participant = Participant.objects.create(code=f"p{n:02}", name=f"State {n:02}")
        group = Group.objects.create(
            slug=f"group-{n}", name=f"Group {n}", short_name=f"G{n}", kind="organization",
            source_label=f"G{n}",
        )  # fmt: skip
        Membership.objects.create(group=group, participant=participant, source_url=SOURCE)
        BindingRule.objects.create(
            instrument=instrument, group=group, source_url=SOURCE, source_quote="All."
        )
        for kind in ("signature", "ratification"):
            ParticipationEvent.objects.create(
                participant=participant, instrument=instrument, kind=kind, source_url=SOURCE,
                date=datetime.date(2001, 1, 1), date_precision="day",
            )  # fmt: skip
        make_provision(make_instrument(f"other-{n}"), mechanisms[0], sources=passages)


def make_document(slug, passages):
    from paper.models import CitedDocument

    document = CitedDocument.objects.create(slug=slug, title=slug, kind="report")
    document.sources.set(passages)
    return document


class QueryBudgets(TestCase):
    URLS = [
        ("list_instruments", (), ""),
        ("list_instruments", (), "?q=instrument&binding=yes"),
        ("list_mechanisms", (), ""),
        ("list_categories", (), ""),
        ("list_organizations", (), ""),
        ("list_tools", (), ""),
        ("list_tools", (), "?q=tool&kind=manual"),
        ("list_guidance", (), ""),
        ("list_documents", (), ""),
        ("list_passages", (), ""),
        ("list_participants", (), ""),
        ("list_participation", (), ""),
        ("get_instrument", ("instrument-0",), ""),
        ("get_mechanism", ("mechanism-0-0",), ""),
        ("get_category", ("category",), ""),
        ("get_organization", ("org-0",), ""),
        ("get_tool", ("tool-0",), ""),
        ("get_guidance", ("guidance-0",), ""),
        ("get_document", ("document-0",), ""),
        ("get_passage", ("para-1000",), ""),
        ("get_participant", ("p00",), ""),
    ]

    @classmethod
    def setUpTestData(cls):
        with indexed():
            cls.category = make_category("category")
            build(0, 3, cls.category)

    def queries(self):
        counts = {}
        for name, args, query in self.URLS:
            url = reverse(f"api-v1:{name}", args=args) + query
            if name.startswith("list_"):  # every record on one page
                url += ("&" if query else "?") + "page_size=100"
            with CaptureQueriesContext(connection) as context:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, f"{url}: {response.content[:300]}")
            counts[name + query] = len(context.captured_queries)
        return counts

    def test_the_same_queries_for_3_records_as_for_30(self):
        few = self.queries()
        with indexed():
            build(3, 27, self.category)
        many = self.queries()
        for url, count in few.items():
            with self.subTest(url=url):
                self.assertEqual(many[url], count, f"{count} queries for 3 records")

    def test_a_page_of_records_is_made_in_a_fixed_number_of_queries(self):
        # One query per relation the page's records give and one for their versions (and
        # their parts'), whatever their number: the budget of api/records.py, apart from the
        # list's own queries (its count and its page).
        budgets = [
            # sources, audiences, mechanisms, instruments, parts (their mechanisms and
            # sources), versions
            (records.tools, v1.tools(), 8),
            # sources, supplemented_by, replaced_by, documents, the first tools, provisions
            # (their sources), versions
            (records.instruments, v1.instruments(), 8),
            # the first tools, versions (the rest read with the page: for_detail)
            (records.mechanisms, Mechanism.objects.for_detail(), 2),
            # sources, instruments, the first tools, versions
            (records.organizations, v1.organizations(), 4),
            # standings (instruments, observations, binding rules and their exclusions,
            # memberships), memberships, versions
            (records.participants, v1.participants(), 7),
            (records.passages, v1.passages(), 2),  # footnotes, versions
            (records.events, v1.events(), 1),  # versions
        ]
        request = RequestFactory().get("/api/v1/")
        for build, queryset, budget in budgets:
            page = list(queryset)
            with self.subTest(build=build.__name__), self.assertNumQueries(budget):
                self.assertEqual(len(build(request, page)), len(page))
