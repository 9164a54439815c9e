"""The migrations that moved the search index's links into each entry's ``facet_ids`` (0010:
the lists' facet values; 0011: the search page's mechanisms) keep what an index held, both
ways, so a deployed index stays right without a rebuild."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

BEFORE = [("instruments", "0009_search_facets")]
AFTER = [("instruments", "0011_search_mechanisms_as_facets")]


class FacetIdsMigrationTests(TransactionTestCase):
    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    def tearDown(self):
        self.migrate(executor_leaf_nodes())

    def test_links_become_facet_ids_and_back(self):
        apps = self.migrate(BEFORE)
        Mechanism = apps.get_model("instruments", "Mechanism")
        Category = apps.get_model("instruments", "MechanismCategory")
        SearchEntry = apps.get_model("instruments", "SearchEntry")
        SearchFacet = apps.get_model("instruments", "SearchFacet")
        # bulk_create and through rows: no signals, which would index with today's code.
        (category,) = Category.objects.bulk_create([Category(slug="c", name="C")])
        (extradition,) = Mechanism.objects.bulk_create(
            [Mechanism(slug="x", name="Extradition", category=category)]
        )
        fields = {"title": "T", "url": "/", "object_id": 1}
        tool, paragraph = SearchEntry.objects.bulk_create(
            [
                SearchEntry(model="resources.tool", kind="tool", **fields),
                SearchEntry(model="portal.passage", kind="paragraph", **fields),
            ]
        )
        manual, listed = SearchFacet.objects.bulk_create(
            [
                SearchFacet(name="kind", value="manual"),
                SearchFacet(name="mechanism", value=str(extradition.pk)),
            ]
        )
        facets, mechanisms = SearchEntry.facets.through, SearchEntry.mechanisms.through
        facets.objects.bulk_create(
            [facets(searchentry=tool, searchfacet=facet) for facet in (manual, listed)]
        )
        mechanisms.objects.bulk_create(
            [mechanisms(searchentry=entry, mechanism=extradition) for entry in (tool, paragraph)]
        )

        apps = self.migrate(AFTER)
        SearchEntry = apps.get_model("instruments", "SearchEntry")
        SearchFacet = apps.get_model("instruments", "SearchFacet")
        mechanism_facet = SearchFacet.objects.get(name="mechanism", value=str(extradition.pk))
        self.assertEqual(mechanism_facet.pk, listed.pk)  # the tools' value, reused
        self.assertEqual(
            SearchEntry.objects.get(pk=tool.pk).facet_ids, sorted([manual.pk, listed.pk])
        )
        self.assertEqual(SearchEntry.objects.get(pk=paragraph.pk).facet_ids, [listed.pk])

        apps = self.migrate(BEFORE)
        SearchEntry = apps.get_model("instruments", "SearchEntry")
        tool, paragraph = (
            SearchEntry.objects.get(pk=tool.pk),
            SearchEntry.objects.get(pk=paragraph.pk),
        )
        self.assertEqual(set(tool.facets.values_list("pk", flat=True)), {manual.pk, listed.pk})
        self.assertEqual(list(tool.mechanisms.values_list("pk", flat=True)), [extradition.pk])
        self.assertEqual(list(paragraph.facets.all()), [])
        self.assertEqual(list(paragraph.mechanisms.values_list("pk", flat=True)), [extradition.pk])


def executor_leaf_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
