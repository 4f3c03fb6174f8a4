"""Every configuration file that ships validates against its JSON Schema in schemas/config/, and broken ones do not."""
import glob
import json
import os

import jsonschema
import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def schema(name):
    with open(os.path.join(ROOT, "schemas", "config", name)) as f:
        s = json.load(f)
    jsonschema.Draft202012Validator.check_schema(s)
    return s


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


# (glob of files, schema) pairs; later issues add case and study schemas here.
SHIPPED = [
    ("ops/config/*.yaml", "server.schema.json"),
]


@pytest.mark.parametrize("pattern,schema_name", SHIPPED)
def test_shipped_files_validate(pattern, schema_name):
    files = sorted(glob.glob(os.path.join(ROOT, pattern)))
    assert files, f"no files match {pattern}"
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    for path in files:
        errors = sorted(validator.iter_errors(load(path)), key=lambda e: e.path)
        assert not errors, f"{path}: {[e.message for e in errors]}"


@pytest.mark.parametrize("document", [
    {"heartbeat_msec": 10},
    {"reservoir": {"policy": "lifo", "capacity_bytes": 4096}},
    {"reservoir": {"policy": "fifo"}},
    {"solver_endpoint": "http://example.org"},
    {"non_finite": "maybe"},
])
def test_broken_server_configs_are_rejected(document):
    validator = jsonschema.Draft202012Validator(schema("server.schema.json"))
    assert list(validator.iter_errors(document)), f"{document} should not validate"
