"""Make N realistic synthetic tools, to measure search at scale (``make bench-search``).

    python -m bench synthetic-tools 100000 [--seed 1] [--delete]

Not a fixture and never real data: every synthetic tool's slug starts with ``synthetic-`` and
its description says it is synthetic; ``--delete`` removes them all. Titles and descriptions
are composed from the vocabulary of the paper (forms of cooperation, audiences, regions, the
kinds of tool), each with a few rarer words, so that searches hit a realistic mix of common and
rare terms. Tools are written with ``bulk_create`` (no signals) and indexed in batches.
"""

import random

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from instruments.models import Mechanism, MechanismCategory, Organization
from search.index import BATCH_SIZE, index_objects, remove_objects

PREFIX = "synthetic-"

TOPICS = [
    "victim identification", "victim protection", "witness protection", "financial investigations",
    "asset recovery", "border management", "labour exploitation", "child trafficking",
    "online exploitation", "forced labour", "sexual exploitation", "trafficking for organ removal",
    "smuggling of migrants", "document fraud", "case management", "data collection",
    "referral mechanisms", "shelters", "compensation for victims", "non-punishment of victims",
    "parallel financial investigations", "evidence gathering", "interviewing victims",
    "cross-border investigations", "prosecution strategies", "judicial training",
    "awareness-raising campaigns", "supply chains", "recruitment agencies", "domestic servitude",
    "forced begging", "forced criminality", "debt bondage", "corruption", "cybercrime",
]  # fmt: skip
AUDIENCES = [
    "prosecutors", "judges", "police officers", "labour inspectors", "central authorities",
    "border guards", "consular staff", "social workers", "victim service providers",
    "immigration officers", "policymakers", "legislators", "financial intelligence units",
]  # fmt: skip
REGIONS = [
    "West Africa", "East Africa", "Southern Africa", "North Africa", "the Middle East",
    "Central Asia", "South Asia", "South-East Asia", "the Pacific", "the Caribbean",
    "Central America", "South America", "the Western Balkans", "Eastern Europe",
    "the Baltic Sea region", "the Mekong subregion", "the Gulf", "the Sahel", "the Andes",
]  # fmt: skip
KINDS = {
    "manual": "Manual", "handbook": "Handbook", "toolkit": "Toolkit", "guidelines": "Guidelines",
    "model-law": "Model law", "online-tool": "Online tool", "directory": "Directory",
    "commentary": "Commentary", "model-agreement": "Model agreement",
}  # fmt: skip
TITLES = [
    "{kind} on {topic} for {audience}",
    "{kind} on {mechanism} in trafficking in persons cases",
    "{region}: {kind} on {mechanism} and {topic}",
    "{kind} for {audience} on {mechanism}",
    "{topic_cap}: a {kind_lower} for {audience} in {region}",
]
SENTENCES = [
    "This {kind_lower} helps {audience} with {mechanism} in trafficking in persons cases, drawing "
    "on practice from {region}.",
    "It covers {topic}, {topic2} and {mechanism2}, with checklists, templates and case examples.",
    "Chapter {n} sets out the steps for {mechanism} between countries of origin, transit and "
    "destination.",
    "Developed with {audience} and {audience2} from {region}, it was tested in {count} "
    "national workshops.",
    "A module on {topic2} explains how {audience2} can cooperate across borders.",
    "Operation {codename} is discussed as a case study of {topic}.",
    "The annexes include model forms for requests and a glossary of terms.",
]
SYLLABLES = ["ka", "lo", "mi", "ra", "tu", "ve", "zo", "ni", "sa", "do", "pe", "quo", "bri", "xan"]


def codename(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


class Command(BaseCommand):
    help = "Create N synthetic tools (slug prefix 'synthetic-') and index them for search."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, nargs="?", default=0)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--delete", action="store_true", help="Delete every synthetic tool instead."
        )

    def handle(self, *args, count=0, seed=1, delete=False, **options):
        Tool = apps.get_model("resources", "Tool")
        if delete:
            with transaction.atomic():
                tools = Tool.objects.filter(slug__startswith=PREFIX)
                remove_objects("resources.tool", list(tools.values_list("pk", flat=True)))
                deleted, _ = tools.delete()
            self.stdout.write(f"Deleted {deleted:,} synthetic records.")
            return
        if count <= 0:
            raise CommandError("Give the number of tools to make, e.g. 100000.")
        rng = random.Random(seed)
        start = Tool.objects.filter(slug__startswith=PREFIX).count()
        publishers = list(Organization.objects.values_list("pk", flat=True)) or [
            self.synthetic_publisher().pk
        ]
        mechanisms = list(Mechanism.objects.values_list("pk", "name")) or [
            self.synthetic_mechanism()
        ]
        made = 0
        while made < count:
            size = min(BATCH_SIZE * 2, count - made)
            numbers = range(start + made, start + made + size)
            with transaction.atomic():
                pks = self.make_batch(Tool, rng, numbers, publishers, mechanisms)
                for at in range(0, len(pks), BATCH_SIZE):
                    index_objects("resources.tool", pks[at : at + BATCH_SIZE])
            made += size
            if options["verbosity"] > 1 or made == count:
                self.stdout.write(f"{made:,} of {count:,} synthetic tools made and indexed")

    def make_batch(self, Tool, rng, numbers, publishers, mechanisms):
        tools = []
        links = []
        for number in numbers:
            chosen = rng.sample(mechanisms, k=min(len(mechanisms), rng.randint(1, 3)))
            kind = rng.choice(list(KINDS))
            words = {
                "kind": KINDS[kind],
                "kind_lower": KINDS[kind].lower(),
                "topic": rng.choice(TOPICS),
                "topic2": rng.choice(TOPICS),
                "audience": rng.choice(AUDIENCES),
                "audience2": rng.choice(AUDIENCES),
                "region": rng.choice(REGIONS),
                "mechanism": chosen[0][1].lower(),
                "mechanism2": chosen[-1][1].lower(),
                "n": rng.randint(1, 12),
                "count": rng.randint(2, 9),
                "codename": codename(rng),
            }
            words["topic_cap"] = words["topic"].capitalize()
            title = rng.choice(TITLES).format(**words)
            title = title[0].upper() + title[1:]
            sentences = rng.sample(SENTENCES, k=rng.randint(3, 5))
            description = " ".join(s.format(**words) for s in sentences)
            tools.append(
                Tool(
                    slug=f"{PREFIX}{number}",
                    title=title[:300],
                    kind=kind,
                    publisher_id=rng.choice(publishers),
                    year=rng.randint(1995, 2011),
                    description=f"{description}\n\n*Synthetic record for performance tests.*",
                    status="published",
                )
            )
            links.append([pk for pk, _ in chosen])
        Tool.objects.bulk_create(tools)
        through = Tool.mechanisms.through
        through.objects.bulk_create(
            through(tool_id=tool.pk, mechanism_id=mechanism_id)
            for tool, chosen in zip(tools, links, strict=True)
            for mechanism_id in chosen
        )
        return [tool.pk for tool in tools]

    def synthetic_publisher(self):
        organization, _ = Organization.objects.get_or_create(
            slug=f"{PREFIX}publisher",
            defaults={"name": "Synthetic publisher", "kind": Organization.Kind.INTERNATIONAL},
        )
        return organization

    def synthetic_mechanism(self):
        category, _ = MechanismCategory.objects.get_or_create(
            slug=f"{PREFIX}category", defaults={"name": "Synthetic category"}
        )
        mechanism, _ = Mechanism.objects.get_or_create(
            slug=f"{PREFIX}mechanism",
            defaults={"name": "Extradition", "category": category, "summary": "Synthetic."},
        )
        return (mechanism.pk, mechanism.name)
