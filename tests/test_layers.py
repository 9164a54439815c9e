"""The apps are layers: each imports only the layers below it, none holds an import circle, the
apps' migrations depend on each other without a cycle, and test modules import no other test
module. Read from the source (every import, those inside functions included), not at run time.
"""

import ast
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from django.test import SimpleTestCase

ROOT = Path(settings.BASE_DIR)

# Lowest first. An app may import the apps of the layers below its own, never those of its own
# layer or above (README.md, "Where things live").
LAYERS = [
    {"editorial", "search"},  # what every record shares, and the search engine: no content app
    {"paper"},  # the source paper and what it cites
    {"instruments"},  # instruments, provisions, forms of cooperation, organizations
    {"resources", "guidance", "countries"},  # tools; the paper's guidance; States
    {"api"},  # the read-only JSON API over the content apps
    {"portal"},  # the site shell
    {"bench"},  # development tools (not an app): may use every app
]
LAYER_OF = {package: depth for depth, layer in enumerate(LAYERS) for package in layer}


def modules(package):
    """{dotted module name: path} of every Python module of ``package``, migrations included."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imported_names(path, module):
    """The dotted names ``module`` imports, anywhere in it (functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, up level - 1
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names]  # submodules, if any
    return names


def import_graph():
    """{module: set of the project's modules it imports}, for every app and bench."""
    every = {}
    for package in LAYER_OF:
        every.update(modules(package))
    graph = {}
    for module, path in every.items():
        targets = set()
        for name in imported_names(path, module):
            if name in every and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def cycles(graph):
    """The strongly connected components of ``graph`` with more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def package_of(module):
    return module.split(".")[0]


class Layers(SimpleTestCase):
    def test_every_app_of_the_project_has_a_layer(self):
        ours = {
            config.name
            for config in apps.get_app_configs()
            if Path(config.path).resolve().parent == ROOT.resolve()
        }
        self.assertEqual(ours, set(LAYER_OF) - {"bench"})

    def test_apps_import_only_the_layers_below_them(self):
        wrong = []
        for module, targets in import_graph().items():
            mine = package_of(module)
            for target in targets:
                theirs = package_of(target)
                if theirs != mine and LAYER_OF[theirs] >= LAYER_OF[mine]:
                    wrong.append(f"{module} imports {target}")
        self.assertEqual(wrong, [], "imports that point up a layer, or across one")

    def test_no_import_circle_inside_an_app(self):
        graph = import_graph()
        for package in LAYER_OF:
            with self.subTest(package=package):
                inside = {
                    module: {t for t in targets if package_of(t) == package}
                    for module, targets in graph.items()
                    if package_of(module) == package
                }
                self.assertEqual(cycles(inside), [])

    def test_the_checks_find_what_they_look_for(self):
        # The graph readers on known cases: a circle, and an import inside a function.
        self.assertEqual(
            cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}), [["a", "b", "c"]]
        )
        self.assertEqual(cycles({"a": {"b"}, "b": set()}), [])
        index = ROOT / "search" / "__init__.py"
        self.assertIn("search.index", imported_names(index, "search"))  # inside rebuild()
        self.assertIn("search.registry.register", imported_names(index, "search"))

    def test_each_app_says_in_one_sentence_what_it_is_for(self):
        for package in sorted(set(LAYER_OF) - {"bench"}):
            with self.subTest(package=package):
                doc = (apps.get_app_config(package).__class__.__doc__ or "").strip()
                self.assertTrue(doc, f"{package}/apps.py: the AppConfig has no docstring")
                self.assertTrue(doc.endswith("."), doc)


class MigrationGraph(SimpleTestCase):
    def test_the_apps_migrations_depend_on_each_other_without_a_cycle(self):
        graph = MigrationLoader(None, ignore_no_migrations=True).graph
        depends = defaultdict(set)
        ours = set(LAYER_OF)
        for (app, _), node in graph.node_map.items():
            for parent in node.parents:
                if app in ours and parent.key[0] in ours and parent.key[0] != app:
                    depends[app].add(parent.key[0])
        self.assertEqual(cycles(depends), [])
        # And they follow the layers: an app's migrations depend only on lower apps'.
        for app, lower in depends.items():
            for other in lower:
                self.assertLess(LAYER_OF[other], LAYER_OF[app], f"{app} depends on {other}")


class TestModules(SimpleTestCase):
    def test_no_test_module_imports_another(self):
        tests = {}
        for path in sorted((ROOT / "tests").rglob("test_*.py")):
            tests[".".join(path.relative_to(ROOT).with_suffix("").parts)] = path
        wrong = [
            f"{module} imports {name}"
            for module, path in tests.items()
            for name in imported_names(path, module)
            if any(name == other or name.startswith(other + ".") for other in tests)
        ]
        self.assertEqual(wrong, [])
