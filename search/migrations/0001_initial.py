"""The search index: entries, vocabulary and facet values, then the full-text structures of the
backend. The models are backend-neutral; what reads them is created here, only on its backend:

- SQLite: an FTS5 table (Porter stemming, case and accents folded) whose rowid is the entry's id,
  with bm25 column weights as its default rank;
- PostgreSQL: the unaccent and pg_trgm extensions, a text search configuration ``portal_search``
  (English stemming after unaccent), a stored generated weighted ``search_vector`` column with a
  GIN index, and a trigram GIN index on the vocabulary. The vector reads the text with ``/``,
  ``.`` and ``_`` between letters or digits turned into spaces ("2011/36/EU", "tool 4.1"), as
  the query parser and FTS5 split it.
"""

import search.models
from django.db import migrations, models

ENTRY, TERM = "search_searchentry", "search_searchterm"
FTS = f"{ENTRY}_fts"

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5("
    "title, keywords, body, extra, tokenize = 'porter unicode61 remove_diacritics 2')",
    # Default rank: bm25 with title and keywords far above the body, the body above the rest.
    f"INSERT INTO {FTS}({FTS}, rank) VALUES ('rank', 'bm25(10.0, 8.0, 3.0, 1.0)')",
]
SQLITE_BACKWARD = [f"DROP TABLE IF EXISTS {FTS}"]


def weighted(column, weight):
    # Only between letters or digits, so a tag such as </b> stays a tag to the parser.
    text = f"regexp_replace(coalesce({column}, ''), '(?<=\\w)[/._](?=\\w)', ' ', 'g')"
    return f"setweight(to_tsvector('portal_search'::regconfig, {text}), '{weight}')"


VECTOR = " ||\n      ".join(
    weighted(column, weight)
    for column, weight in [("title", "A"), ("keywords", "A"), ("body", "B"), ("extra", "C")]
)
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'portal_search') THEN
        CREATE TEXT SEARCH CONFIGURATION portal_search (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION portal_search
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
      END IF;
    END $$
    """,
    # Weights: A title and keywords, B body, C extra (parts, provisions, publisher).
    f"ALTER TABLE {ENTRY} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (\n      "
    f"{VECTOR}\n    ) STORED",
    # Serves every search: search_vector @@ tsquery.
    f"CREATE INDEX searchentry_vector_gin ON {ENTRY} USING gin (search_vector)",
    # Serves "did you mean": term % 'extradtion' ordered by similarity.
    f"CREATE INDEX searchterm_term_trgm ON {TERM} USING gin (term gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS searchterm_term_trgm",
    "DROP INDEX IF EXISTS searchentry_vector_gin",
    f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS portal_search",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='SearchTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(max_length=60, unique=True)),
            ],
            options={
                'ordering': ['term'],
            },
        ),
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('model', models.CharField(max_length=100)),
                ('object_id', models.PositiveBigIntegerField()),
                ('kind', models.CharField(max_length=30)),
                ('title', models.CharField(max_length=500)),
                ('keywords', models.TextField(blank=True, help_text='Short titles, acronyms, labels.')),
                ('body', models.TextField(blank=True, help_text="The record's main text, as plain text.")),
                ('extra', models.TextField(blank=True, help_text='Parts, provisions, publisher, mechanisms.')),
                ('context', models.CharField(blank=True, help_text='A line shown under hits.', max_length=300)),
                ('url', models.CharField(max_length=500)),
                ('position', models.PositiveIntegerField(default=0, help_text='Tie-break order within a type.')),
                ('facet_ids', search.models.IdListField(blank=True, default=list)),
            ],
            options={
                'verbose_name_plural': 'search entries',
                'indexes': [models.Index(fields=['id', 'kind', 'object_id', 'position', 'facet_ids'], name='searchentry_cover_idx')],
                'constraints': [models.UniqueConstraint(fields=('model', 'object_id'), name='searchentry_unique_record')],
            },
        ),
        migrations.CreateModel(
            name='SearchFacet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=30)),
                ('value', models.CharField(max_length=120)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('name', 'value'), name='searchfacet_unique_value')],
            },
        ),
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
