"""The API's OpenAPI schema: valid OpenAPI 3, every operation in it answers, and Schemathesis,
generating requests from the schema against the WSGI application in-process (on the real
fixtures and participation data), finds no 5xx and no answer that breaks the schema."""

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.helpers import FixtureTestCase, load_fixtures, load_participation

# Examples per operation: kept modest, as the suite runs on both backends in CI.
POSITIVE_EXAMPLES = 15
NEGATIVE_EXAMPLES = 8
# A real record for each operation that takes one (its path parameter).
EXAMPLES = {
    "get_instrument": "tip-protocol",
    "get_mechanism": "extradition",
    "get_category": "judicial-cooperation",
    "get_organization": "unodc",
    "get_tool": "unodc-model-law-tip",
    "get_guidance": "limits-of-national-systems",
    "get_document": "a-res-64-293",
    "get_passage": "para-7",
    "get_participant": "nga",
}


@override_settings(ALLOWED_HOSTS=["testserver", "localhost"])  # localhost: Schemathesis
class OpenApiSchema(FixtureTestCase):
    @classmethod
    def setUpTestData(cls):
        load_fixtures()
        load_participation()

    def setUp(self):
        # Requests go through Django's WSGI handler, in this thread and this test's transaction:
        # as Django's test client does, keep the handler's signals from closing the connection.
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)
        self.schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())

    def operations(self):
        found = [result.ok() for result in self.schema.get_all_operations()]
        self.assertGreaterEqual(len(found), 20)
        return found

    def test_the_schema_is_valid_openapi_3(self):
        self.schema.validate()  # against the OpenAPI meta-schema of its version
        raw = self.client.get(reverse("api-v1:openapi-json")).json()
        self.assertTrue(raw["openapi"].startswith("3."))
        ids = [op["operationId"] for path in raw["paths"].values() for op in path.values()]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(set(EXAMPLES) | {"index"}, {i for i in ids if not i.startswith("list_")})

    def test_every_operation_answers(self):
        raw = self.client.get(reverse("api-v1:openapi-json")).json()
        for path, methods in raw["paths"].items():
            operation = methods["get"]
            with self.subTest(operation=operation["operationId"]):
                url = path
                for parameter in operation["parameters"]:
                    if parameter["in"] == "path":
                        example = EXAMPLES[operation["operationId"]]
                        url = url.replace("{" + parameter["name"] + "}", example)
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, f"{url}: {response.content[:300]}")
                self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
                body = response.json()
                if operation["operationId"].startswith("list_"):
                    self.assertGreater(body["count"], 0, url)
                    self.assertTrue(body["results"], url)

    def test_schemathesis_finds_no_server_error_and_no_answer_off_the_schema(self):
        checks = [
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
        for operation in self.operations():
            name = operation.definition.raw["operationId"]
            runs = [("positive", GenerationMode.POSITIVE, POSITIVE_EXAMPLES, checks, {})]
            if operation.query:  # values off the schema (a path's slug can be any text)
                runs.append(
                    ("negative", GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES, checks[:3], {})
                )
            if name in EXAMPLES:  # and with a real record, whose answer is a record
                path = {parameter.name: EXAMPLES[name] for parameter in operation.path_parameters}
                runs.append(("a record", GenerationMode.POSITIVE, 3, checks, path))
            for label, mode, examples, run_checks, path in runs:
                with self.subTest(operation=name, run=label):
                    self.run_schemathesis(operation, mode, examples, run_checks, path)

    def run_schemathesis(self, operation, mode, examples, checks, path_parameters):
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

        @hypothesis_settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case):
            response = case.call()
            case.validate_response(response, checks=checks)

        check()
