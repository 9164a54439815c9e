from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self):
        # Any change to content bumps the page cache's generation (see portal/middleware.py).
        from portal.middleware import connect_content_signals

        connect_content_signals()
        # Searchable records (see instruments/search and register_search below).
        register_search()


def register_search():
    """The paper's paragraphs, annex entries and footnotes, the guidance drawn from it and the
    documents it cites are searchable; see instruments/search/registry.py."""
    from instruments import search
    from portal.models import CitedDocument, Guidance, Passage

    search.register(
        Passage,
        types=[
            search.SearchType("paragraph", "Source paragraphs", "source paragraph", position=50),
            search.SearchType("annex", "Annex entries", "annex entry", position=60),
            search.SearchType("footnote", "Footnotes", "footnote", position=70),
        ],
        queryset=lambda: Passage.objects.select_related("section", "cited_in").prefetch_related(
            "mechanism_records", "provision_records"
        ),
        document=passage_document,
        related={
            "portal.Section": lambda section: section.passages.all(),
            "instruments.Provision": lambda provision: provision.sources.all(),
        },
        # A passage's mechanisms (its facet) are those of the records that cite it.
        watch_m2m=["instruments.Mechanism.sources", "instruments.Provision.sources"],
    )
    search.register(
        Guidance,
        types=[search.SearchType("guidance", "Guidance", "guidance record", position=40)],
        queryset=lambda: Guidance.objects.prefetch_related("mechanisms"),
        document=guidance_document,
    )
    search.register(
        CitedDocument,
        types=[search.SearchType("document", "Cited documents", "cited document", position=80)],
        document=cited_document_document,
    )


def passage_document(passage):
    from instruments.search import Document

    mechanisms = {m.pk for m in passage.mechanism_records.all()}
    mechanisms.update(p.mechanism_id for p in passage.provision_records.all())
    where = str(passage.section) if passage.section else ""
    if passage.cited_in:
        where = f"Footnote to {passage.cited_in.label}"
    return Document(
        kind=passage.kind,
        title=str(passage),
        url=passage.get_absolute_url(),
        keywords=passage.heading,
        body=passage.text,
        extra=str(passage.section) if passage.section else "",
        context=where,
        position=passage.position,
        mechanisms=tuple(mechanisms),
    )


def guidance_document(guidance):
    from instruments.search import Document
    from instruments.search.text import plain_text

    return Document(
        title=guidance.title,
        url=guidance.get_absolute_url(),
        body=plain_text(guidance.text),
        context=guidance.get_kind_display(),
        position=guidance.position,
        mechanisms=tuple(m.pk for m in guidance.mechanisms.all()),
    )


def cited_document_document(document):
    from instruments.search import Document
    from instruments.search.text import plain_text

    return Document(
        title=document.title,
        url=document.get_absolute_url(),
        keywords=" ".join(filter(None, [document.symbol, document.issuer])),
        body=plain_text(document.note),
        context=" · ".join(
            str(part)
            for part in [document.get_kind_display(), document.issuer, document.year]
            if part
        ),
    )
