"""The search index: SearchEntry and SearchTerm, then the full-text structures of the backend.

The models are backend-neutral; what reads them is created here, only on its backend:

- SQLite: an FTS5 table (Porter stemming, case and accents folded) whose rowid is the entry's id,
  with bm25 column weights as its default rank;
- PostgreSQL: the unaccent and pg_trgm extensions, a text search configuration ``portal_search``
  (English stemming after unaccent), a stored generated weighted ``search_vector`` column with a
  GIN index, and a trigram GIN index on the vocabulary.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE instruments_searchentry_fts USING fts5("
    "title, keywords, body, extra, tokenize = 'porter unicode61 remove_diacritics 2')",
    # Default rank: bm25 with title and keywords far above the body, the body above the rest.
    "INSERT INTO instruments_searchentry_fts(instruments_searchentry_fts, rank) "
    "VALUES ('rank', 'bm25(10.0, 8.0, 3.0, 1.0)')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS instruments_searchentry_fts"]

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
    """
    ALTER TABLE instruments_searchentry ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
      setweight(to_tsvector('portal_search'::regconfig, coalesce(title, '')), 'A') ||
      setweight(to_tsvector('portal_search'::regconfig, coalesce(keywords, '')), 'A') ||
      setweight(to_tsvector('portal_search'::regconfig, coalesce(body, '')), 'B') ||
      setweight(to_tsvector('portal_search'::regconfig, coalesce(extra, '')), 'C')
    ) STORED
    """,
    # Serves every search: search_vector @@ tsquery.
    "CREATE INDEX searchentry_vector_gin ON instruments_searchentry USING gin (search_vector)",
    # Serves "did you mean": term % 'extradtion' ordered by similarity.
    "CREATE INDEX searchterm_term_trgm ON instruments_searchterm USING gin (term gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS searchterm_term_trgm",
    "DROP INDEX IF EXISTS searchentry_vector_gin",
    "ALTER TABLE instruments_searchentry DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS portal_search",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):

    dependencies = [
        ('instruments', '0004_history_and_review'),
    ]

    operations = [
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
                ('mechanisms', models.ManyToManyField(blank=True, related_name='search_entries', to='instruments.mechanism')),
                ('publisher', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='search_entries', to='instruments.organization')),
            ],
            options={
                'verbose_name_plural': 'search entries',
                'constraints': [models.UniqueConstraint(fields=('model', 'object_id'), name='searchentry_unique_record')],
            },
        ),
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
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
