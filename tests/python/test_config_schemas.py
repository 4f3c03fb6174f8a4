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
    ("solvers/*/*-study.yaml", "study.schema.json"),
    ("ops/slurm/*-study.yaml", "study.schema.json"),
    ("solvers/synthetic/*.yaml", "synthetic-case.schema.json"),
    ("solvers/ns2d/*.yaml", "ns2d-case.schema.json"),
    ("solvers/advection/*.yaml", "advection-case.schema.json"),
    ("solvers/*/*-export.yaml", "export.schema.json"),
    ("solvers/tsunami/*.yaml", "tsunami-case.schema.json"),
    ("solvers/channel/*.yaml", "channel-case.schema.json"),
]


@pytest.mark.parametrize("pattern,schema_name", SHIPPED)
def test_shipped_files_validate(pattern, schema_name):
    files = sorted(glob.glob(os.path.join(ROOT, pattern)))
    if not pattern.endswith(("-study.yaml", "-export.yaml")):  # studies and export specs sit beside their cases
        files = [f for f in files if not f.endswith(("-study.yaml", "-export.yaml"))]
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


NS2D_MINIMAL = {
    "solver": "ns2d", "name": "x", "parameters": {}, "grid": {"points": 64, "length": 1.0},
    "time": {"scheme": "cn-euler", "dt": 1e-4, "end_time": 1.0}, "forcing": "fno",
    "initial_condition": {"kind": "grf"}, "output": {"every": {"steps": 10}, "fields": ["vorticity"]},
}


def with_changes(document, **changes):
    out = json.loads(json.dumps(document))
    for key, value in changes.items():
        out[key] = value
    return out


def test_minimal_ns2d_case_validates():
    validator = jsonschema.Draft202012Validator(schema("ns2d-case.schema.json"))
    assert not list(validator.iter_errors(NS2D_MINIMAL))


@pytest.mark.parametrize("document", [
    with_changes(NS2D_MINIMAL, solver="ns3d"),
    with_changes(NS2D_MINIMAL, grid={"points": 63, "length": 1.0}),
    with_changes(NS2D_MINIMAL, time={"scheme": "cn-euler", "dt": 1e-4, "cfl": {"courant": 0.5, "max_velocity": 7}, "end_time": 1}),
    with_changes(NS2D_MINIMAL, time={"scheme": "rk45", "dt": 1e-4, "end_time": 1}),
    with_changes(NS2D_MINIMAL, time={"scheme": "cn-euler", "dt": 1e-4}),
    with_changes(NS2D_MINIMAL, initial_condition={"kind": "file"}),
    with_changes(NS2D_MINIMAL, parameters={"viscosity": -1}),
    with_changes(NS2D_MINIMAL, parameters={"visc": 1e-3}),
    with_changes(NS2D_MINIMAL, output={"every": {"steps": 1, "simulation_time": 1}, "fields": ["vorticity"]}),
    with_changes(NS2D_MINIMAL, output={"every": {"steps": 1}, "fields": ["pressure"]}),
])
def test_broken_ns2d_cases_are_rejected(document):
    validator = jsonschema.Draft202012Validator(schema("ns2d-case.schema.json"))
    assert list(validator.iter_errors(document)), f"{document} should not validate"


ADVECTION_MINIMAL = {
    "solver": "advection", "name": "x", "parameters": {}, "grid": {"points": 64}, "flow": "swirl",
    "initial_condition": "cone", "scheme": {"method": "finite-volume"}, "time": {"end_time": 1.5},
    "output": {"every": {"simulation_time": 0.1}},
}


def test_minimal_advection_case_validates():
    validator = jsonschema.Draft202012Validator(schema("advection-case.schema.json"))
    assert not list(validator.iter_errors(ADVECTION_MINIMAL))


@pytest.mark.parametrize("document", [
    with_changes(ADVECTION_MINIMAL, flow="shear"),
    with_changes(ADVECTION_MINIMAL, initial_condition="square"),
    with_changes(ADVECTION_MINIMAL, scheme={"method": "finite-volume", "courant": 0.8}),
    with_changes(ADVECTION_MINIMAL, scheme={"method": "finite-volume", "limiter": "koren"}),
    with_changes(ADVECTION_MINIMAL, scheme={"method": "spectral"}, flow="rotation"),
    with_changes(ADVECTION_MINIMAL, time={"end_time": 1, "steps": 10}),
    with_changes(ADVECTION_MINIMAL, parameters={"radius": 0}),
])
def test_broken_advection_cases_are_rejected(document):
    validator = jsonschema.Draft202012Validator(schema("advection-case.schema.json"))
    assert list(validator.iter_errors(document)), f"{document} should not validate"


@pytest.mark.parametrize("document", [
    {"name": "x", "case": "c.yaml"},
    {"name": "x", "case": "c.yaml", "members": 0},
    {"name": "x", "case": "c.yaml", "members": 2, "design": "sobol"},
    {"name": "x", "case": "c.yaml", "members": 2, "parameters": {"nu": {"distribution": "gamma"}}},
    {"name": "x", "case": "c.yaml", "members": 2, "retries": {"on_exhaustion": "retry"}},
    {"name": "bad name", "case": "c.yaml", "members": 2},
])
def test_broken_studies_are_rejected(document):
    validator = jsonschema.Draft202012Validator(schema("study.schema.json"))
    assert list(validator.iter_errors(document)), f"{document} should not validate"


@pytest.mark.parametrize("document", [
    {"filter": {"axes": [{"kind": "box"}]}},
    {"filter": {"axes": [{"kind": "lanczos", "points": 8}]}},
    {"filter": {"axes": [{"kind": "wall"}]}},
    {"compression": {"deflate": 12}},
    {"precision": "float16"},
    {"split": {"train": 2}},
    {"unknown": 1},
])
def test_broken_export_specs_are_rejected(document):
    validator = jsonschema.Draft202012Validator(schema("export.schema.json"))
    assert list(validator.iter_errors(document)), f"{document} should not validate"


def test_channel_export_spec_validates():
    # IFactFormer-m's channel grid: 32 x 33 x 16 on 4 pi x 2 x 4 pi/3, both ends of each axis included.
    document = {"filter": {"axes": [{"kind": "spectral", "points": 32, "endpoint": True},
                                    {"kind": "wall", "points": 33, "distribution": "cosine"},
                                    {"kind": "spectral", "points": 16, "endpoint": True}]},
                "vectors": {"velocity": ["u", "v", "w"]}, "boundaries": ["periodic", "wall", "periodic"]}
    validator = jsonschema.Draft202012Validator(schema("export.schema.json"))
    assert not list(validator.iter_errors(document))
