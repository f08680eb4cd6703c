"""The schema (columns, kinds, Arrow types) and the one list of true/false words live in cpb_dash.schema, and no
module keeps a copy of its own."""

from __future__ import annotations

import ast
import io
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cpb_dash import catalogue, contract, fixtures, schema, store
from cpb_dash.schema import truth
from tests.conftest import ROOT


@pytest.mark.parametrize(
    "text, expected",
    [
        ("true", True),
        (" TRUE ", True),
        ("Yes", True),
        ("y", True),
        ("1", True),
        ("false", False),
        ("No", False),
        ("N", False),
        ("0", False),
        ("", None),
        ("maybe", None),
        ("on", None),
        ("2", None),
        ("t", None),
    ],
)
def test_true_false_words(text, expected):
    assert truth(text) is expected


def test_no_module_keeps_its_own_list_of_yes_words():
    own_list = re.compile(r"""\{\s*["'](?:1|true|yes|y)["']\s*,\s*["'](?:1|true|yes|y)["']""", re.IGNORECASE)
    copies = [
        p.relative_to(ROOT)
        for p in (ROOT / "src").rglob("*.py")
        if p.name != "schema.py" and own_list.search(p.read_text(encoding="utf-8"))
    ]
    assert copies == []


# -- the schema: one spec per column, read by the contract, the reader, the store and the fixtures --

KIND_NAMES = {"DATE", "TEXT", "NUMBER", "INTEGER", "BOOLEAN"}
ARROW_TYPE_CALLS = {"string", "date32", "float64", "int64", "bool_", "utf8", "large_string", "int32", "timestamp"}


def _is_arrow_type(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "pa"
        and node.func.attr in ARROW_TYPE_CALLS
    )


def _own_copies(path) -> list[str]:
    """What in a module looks like its own copy of the schema: (column, Arrow type) pairs naming three or more
    columns of one dataset, kind constants (DATE = "date"), or a ColumnSpec built outside schema.py."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    paired: set[str] = set()
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2 and _is_arrow_type(node.elts[1]):
            if isinstance(node.elts[0], ast.Constant) and isinstance(node.elts[0].value, str):
                paired.add(node.elts[0].value)
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "ColumnSpec":
            found.append(f"ColumnSpec(...) at line {node.lineno}")
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = [
                t for target in node.targets for t in (target.elts if isinstance(target, ast.Tuple) else [target])
            ]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            if names & KIND_NAMES and any(isinstance(v, ast.Constant) for v in ast.walk(node.value)):
                found.append(f"kind constants {sorted(names & KIND_NAMES)} at line {node.lineno}")
    for dataset in catalogue.UPLOADABLE_DATASETS:
        if len(paired & set(schema.columns_for(dataset))) >= 3:
            found.append(f"Arrow types for {dataset}'s columns {sorted(paired & set(schema.columns_for(dataset)))}")
    return found


def test_no_module_keeps_its_own_copy_of_the_schema():
    copies = {
        str(p.relative_to(ROOT)): own
        for p in (ROOT / "src").rglob("*.py")
        # A return's own spec (intake/ssda903_spec.py: the DfE's SSDA903 tables) is another schema, declared once there.
        if p.name != "schema.py" and not p.name.endswith("_spec.py") and (own := _own_copies(p))
    }
    assert copies == {}


def test_the_copy_finder_finds_a_copy(tmp_path):
    """The test above can fail: each kind of copy it looks for, written into a module, is found."""
    module = tmp_path / "copy.py"
    module.write_text(
        'import pyarrow as pa\nDATE, TEXT = "date", "text"\n'
        'S = pa.schema([("period_end", pa.date32()), ("measure", pa.string()), ("value", pa.float64())])\n'
        'SPEC = ColumnSpec("value", "number", False, "a count")\n',
        encoding="utf-8",
    )
    found = " | ".join(_own_copies(module))
    assert "kind constants ['DATE', 'TEXT']" in found
    assert "Arrow types for care_population's columns ['measure', 'period_end', 'value']" in found
    assert "ColumnSpec(...)" in found


@pytest.mark.parametrize("dataset", catalogue.UPLOADABLE_DATASETS)
def test_store_fixtures_and_contract_write_and_check_the_one_schema(dataset):
    specs = schema.column_specs(dataset)
    assert [s.name for s in specs] == schema.columns_for(dataset) == schema.arrow_schema(dataset).names
    assert store.arrow_schema(dataset) == schema.arrow_schema(dataset)
    assert contract.column_specs(dataset) == specs
    expected_types = {
        "date": pa.date32(),
        "text": pa.string(),
        "number": pa.float64(),
        "whole number": pa.int64(),
        "true/false": pa.bool_(),
    }
    assert [f.type for f in schema.arrow_schema(dataset)] == [expected_types[s.kind] for s in specs]


def test_the_sample_snapshots_are_written_in_the_schema():
    """Every sample file the fixtures write has the stored schema of its dataset, field for field."""
    built = fixtures.build_fixtures(fixtures.read_reference(fixtures.REFERENCE_PATH))
    seen = set()
    for (dataset, _day), frame in built.items():
        if dataset in seen:
            continue
        seen.add(dataset)
        written = pq.read_schema(io.BytesIO(fixtures.parquet_bytes(frame, dataset)))
        assert written.remove_metadata() == schema.arrow_schema(dataset), dataset
    assert seen == set(catalogue.UPLOADABLE_DATASETS)
