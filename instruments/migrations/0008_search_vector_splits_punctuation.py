"""PostgreSQL: index "2011/36/EU", "CTOC/COP/WG.4" and "4.1" as their separate words.

PostgreSQL's parser keeps such strings whole (as a file path, a host or a version number), so
"directive 2011" or "tool 4.1" found nothing there while SQLite's FTS5, which splits on
punctuation, found them. The vector now reads the text with ``/``, ``.`` and ``_`` between
letters or digits turned into spaces, as the query parser and FTS5 split it. Nothing changes on
SQLite.
"""

from django.db import migrations


def vector(translate):
    def column(name, weight):
        text = f"coalesce({name}, '')"
        if translate:
            # Only between letters or digits, so a tag such as </b> stays a tag to the parser.
            text = f"regexp_replace({text}, '(?<=\\w)[/._](?=\\w)', ' ', 'g')"
        return f"setweight(to_tsvector('portal_search'::regconfig, {text}), '{weight}')"

    parts = " ||\n      ".join(
        column(name, weight)
        for name, weight in [("title", "A"), ("keywords", "A"), ("body", "B"), ("extra", "C")]
    )
    return [
        "DROP INDEX IF EXISTS searchentry_vector_gin",
        "ALTER TABLE instruments_searchentry DROP COLUMN IF EXISTS search_vector",
        f"ALTER TABLE instruments_searchentry ADD COLUMN search_vector tsvector\n"
        f"    GENERATED ALWAYS AS (\n      {parts}\n    ) STORED",
        # Serves every search: search_vector @@ tsquery.
        "CREATE INDEX searchentry_vector_gin ON instruments_searchentry USING gin (search_vector)",
    ]


def run(translate):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in vector(translate):
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("instruments", "0007_web_address_checks"),
    ]

    operations = [migrations.RunPython(run(translate=True), run(translate=False))]
