"""Expectations for the upgrade test, computed with the legacy code (commit 0aa9b7a) from the
legacy database made by make_changes.py, and from the export written by export_portal.

    cd /work/wt-legacy && DEBUG=1 DATABASE_URL=sqlite:////tmp/legacy/legacy.sqlite3 \
        /work/main/.venv/bin/python manage.py shell -v0 < tests/data/legacy_make_expectations.py

Writes tests/data/expectations.json:

- "counts": records per model label in the export file (by their "model" key);
- "links": for each many-to-many field of each content model (history excluded), the number of
  links in the database ("resources.tool.mechanisms");
- "history": for each historical model, its rows, and those with history_type "+", "~", "-";
- "dropped_by_export": what the legacy export leaves out (links to accounts), so a restored
  database has these as empty;
- "searches": the /search/ page (read_params + search_or_correct, as portal.views.search) for
  each query: the total, the count per type, and the URLs of every hit of each type in rank
  order (paged with ?type=<kind>&page=N, 20 a page, as the page does);
- "lists": the tools and instruments list pages searched by words (ToolFilterSet,
  InstrumentFilterSet, page_context, every page), as slugs in rank order; and both lists
  without words (all published records, in list order);
- "drafts": the draft records, with their URLs and slugs; asserted absent from every result.
"""

import json
import os
from collections import Counter
from urllib.parse import urlencode

from django.apps import apps
from django.http import QueryDict
from simple_history.utils import get_history_model_for_model

from instruments.filters import InstrumentFilterSet, get_page
from instruments.history import has_history
from instruments.models import Instrument
from instruments.search import read_params, search_or_correct
from portal.content import CONTENT_APPS, is_content_model
from resources.filters import ToolFilterSet
from resources.models import Tool

OUT = os.environ.get("EXPECTATIONS_DIR", "tests/data/")
EXPORT = OUT + "export-before-layers.json"
# One file per backend: PostgreSQL ranks ties differently from SQLite.
RESULT = OUT + os.environ.get("EXPECTATIONS_FILE", "expectations-before-layers.json")
PER_PAGE = 20

SEARCHES = [
    "extradition",
    "mutual legal assistance",
    "central authority",  # alice's guidance text; the mechanism she added to a tool
    "police",  # the drafted instrument is a police convention
    "demand",  # every type of record
    "ASEAN",  # the new tool part; footnotes
    "General Assembly",  # cited documents, organizations
    "www.unodc.org",  # footnotes
    "victims",
    "hot pursuit",
    "evidential",  # only the new tool part (as its tool) and its annex entry
    "30 July 2010",  # alice's cited document note
    "requested State",  # alice's tool description
    "Global Reports",  # the deleted guidance mentioned them: it must not come back
    "extradtion",  # misspelt: answered by the corrected search
    "footnote",  # cited documents: more than one page of one type
    "convention",  # cooperation types: more than one page of one type
    "Southeast Europe police cooperation",  # the draft instrument's own words
    "Mutual Legal Assistance and Extradition",  # the draft tool's title
]
TOOL_LIST_SEARCHES = ["mutual legal assistance", "evidential", "model law"]
INSTRUMENT_LIST_SEARCHES = ["police", "extradition", "victims"]


def content_models():
    return [
        model
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.managed and not model._meta.proxy and is_content_model(model)
    ]


def is_historical(model):
    return model.__name__.startswith("Historical")


# (a) counts, from the export file
with open(EXPORT, encoding="utf-8") as stream:
    exported = json.load(stream)
counts = dict(sorted(Counter(record["model"] for record in exported).items()))

# (b) links of every many-to-many field of every content model, from the database
links = {}
for model in content_models():
    if is_historical(model):
        continue
    for field in model._meta.many_to_many:
        links[f"{model._meta.label_lower}.{field.name}"] = field.remote_field.through.objects.count()
links = dict(sorted(links.items()))

# (c) history rows per historical model
history = {}
users_in_history = 0
for model in apps.get_models():
    if not has_history(model) or model._meta.app_label not in CONTENT_APPS:
        continue
    versions = get_history_model_for_model(model).objects
    by_type = Counter(versions.values_list("history_type", flat=True))
    history[get_history_model_for_model(model)._meta.label_lower] = {
        "rows": versions.count(),
        "+": by_type.get("+", 0),
        "~": by_type.get("~", 0),
        "-": by_type.get("-", 0),
    }
    users_in_history += versions.filter(history_user__isnull=False).count()
history = dict(sorted(history.items()))

verified_by = sum(
    model._base_manager.filter(verified_by__isnull=False).count()
    for model in content_models()
    if not is_historical(model) and any(f.name == "verified_by" for f in model._meta.fields)
)
dropped = {
    "note": "export_portal leaves out links to accounts (auth.user): history_user of history "
    "rows and verified_by of records are not in the file, so they are empty after import.",
    "history rows with a history_user in the legacy database": users_in_history,
    "records with verified_by in the legacy database": verified_by,
}

# The drafts: never in any result.
drafts = {
    "instruments": sorted(Instrument.objects.filter(status="draft").values_list("slug", flat=True)),
    "tools": sorted(Tool.objects.filter(status="draft").values_list("slug", flat=True)),
}
draft_urls = {i.get_absolute_url() for i in Instrument.objects.filter(status="draft")}
draft_urls |= {t.get_absolute_url() for t in Tool.objects.filter(status="draft")}
draft_slugs = set(drafts["instruments"]) | set(drafts["tools"])
drafts["urls"] = sorted(draft_urls)
assert drafts["instruments"] and drafts["tools"], drafts


def search_page(data):
    """What portal.views.search computes for the query string ``data``."""
    params = read_params(QueryDict(urlencode(data)))
    assert not params.notices, (data, params.notices)
    results = search_or_correct(params.query, params.filters, page=params.page)
    page = None
    if results.type_page is not None:
        page = get_page(results.type_page, params.page)
        results.groups[0].hits = page.object_list
    return results, page


def urls_of_type(q, kind, count):
    urls, number = [], 1
    while True:
        results, page = search_page({"q": q, "type": kind, "page": number})
        assert results.total == count, (q, kind, results.total, count)
        urls += [hit.url for hit in page.object_list]
        if not page.has_next():
            break
        number += 1
    assert len(urls) == count == len(set(urls)), (q, kind, len(urls), count)
    return urls


searches = {}
for q in SEARCHES:
    results, _ = search_page({"q": q})
    entry = {
        "total": results.total,
        "corrected_to": str(results.query) if results.corrected_from is not None else None,
        "counts": {option.value: option.count for option in results.types},
        "urls": {
            option.value: urls_of_type(q, option.value, option.count) for option in results.types
        },
    }
    assert entry["total"] == sum(entry["counts"].values())
    found = {url for urls in entry["urls"].values() for url in urls}
    assert not found & draft_urls, (q, found & draft_urls)
    searches[q] = entry


def list_slugs(filterset_class, queryset, data):
    slugs, number = [], 1
    while True:
        filterset = filterset_class(QueryDict(urlencode(data)), queryset=queryset)
        assert not filterset.notices, filterset.notices
        page = filterset.page_context(str(number))["page"]
        slugs += [record.slug for record in page.object_list]
        if not page.has_next():
            break
        number += 1
    assert len(slugs) == len(set(slugs)) == page.paginator.count, (data, slugs)
    assert not set(slugs) & draft_slugs, (data, set(slugs) & draft_slugs)
    return slugs


lists = {
    "tools": {
        q: list_slugs(ToolFilterSet, Tool.objects.for_list(), {"q": q}) for q in TOOL_LIST_SEARCHES
    },
    "instruments": {
        q: list_slugs(InstrumentFilterSet, Instrument.objects.for_list(), {"q": q})
        for q in INSTRUMENT_LIST_SEARCHES
    },
    "tools without words": list_slugs(ToolFilterSet, Tool.objects.for_list(), {}),
    "instruments without words": list_slugs(
        InstrumentFilterSet, Instrument.objects.for_list(), {}
    ),
}

expectations = {
    "made_with": "legacy code, commit 0aa9b7a; database from make_changes.py",
    "counts": counts,
    "links": links,
    "history": history,
    "dropped_by_export": dropped,
    "drafts": drafts,
    "searches": searches,
    "lists": lists,
}
with open(RESULT, "w", encoding="utf-8") as stream:
    json.dump(expectations, stream, ensure_ascii=False, indent=1)
    stream.write("\n")
print(f"{len(exported)} records; {len(searches)} searches; wrote {RESULT}")
