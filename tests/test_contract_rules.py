"""The contract's staging: structure, then types, then the table of rules, each run only when what it needs held;
and the collector that fills in file, rule, column and rows for every check."""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest

from cpb_dash import contract
from cpb_dash.contract import validate_frame
from cpb_dash.findings import Collector, Finding, render_report
from tests.conftest import ROOT
from tests.contract_helpers import TODAY, action_plan, care_population, errors, one

FILE = "care_population_2025Q2.csv"


def check(frame: pd.DataFrame, dataset: str = "care_population", **kwargs) -> list[Finding]:
    return validate_frame(frame, dataset, FILE, today=TODAY, **kwargs)


def test_the_collector_fills_in_file_rule_column_and_rows():
    say = Collector("q2.csv").bind("symbol_gss", "symbol")
    say.error("'N/A' is refused.", [2, 6, 8])
    say.warning("About the whole file.", column=None)
    say.passed("Held.", column="value")
    first, second, third = say.findings
    assert (first.level, first.file, first.rule, first.column, first.row) == (
        "error",
        "q2.csv",
        "symbol_gss",
        "symbol",
        "rows 3, 7, 9",
    )
    assert (second.level, second.column, second.row) == ("warning", None, None)
    assert (third.level, third.column, third.message) == ("pass", "value", "Held.")
    assert say.failed("symbol_gss") and not say.failed("value_range")


def test_many_distinct_bad_values_are_listed_up_to_a_limit_then_counted():
    frame = care_population()
    extra = pd.DataFrame(
        {
            "period_end": frame["period_end"].iloc[0],
            "measure": [f"made_up_{i}" for i in range(25)],
            "breakdown_topic": "Total",
            "breakdown": "Total",
            "value": 1.0,
            "symbol": None,
        }
    )
    findings = [f for f in errors(check(pd.concat([frame, extra], ignore_index=True))) if f.rule == "measure_known"]
    assert len(findings) == 21  # 20 named, then one line for the other 5
    assert findings[-1].message == "... and 5 more unknown measures (not listed)."
    assert findings[-1].column == "measure"


def test_a_column_with_the_wrong_type_is_left_out_of_every_rule_that_needs_it():
    frame = care_population()
    frame["value"] = frame["value"].astype(object)
    frame.loc[0, "value"] = "forty"  # text in a number column
    findings = check(frame)
    assert [f.rule for f in errors(findings)] == ["column_type"]
    said = {f.rule for f in findings}
    # Rules reading 'value' neither fail nor claim to have passed; those not reading it still run.
    assert not said & {"value_xor_symbol", "non_negative", "value_range", "whole_number", "breakdown_sum"}
    assert {"measure_known", "breakdown_allowed", "duplicate_row", "symbol_gss"} <= said


def test_a_breakdown_not_allowed_is_reported_once_not_again_as_a_gap():
    frame = care_population()
    frame.loc[1, "breakdown"] = "Under one"  # an age-group row with a label the catalogue does not have
    findings = check(frame)
    assert [f.rule for f in errors(findings)] == ["breakdown_allowed"]
    assert not [f for f in findings if f.rule == "breakdown_sum"]


def test_a_single_row_off_from_its_total_is_called_a_row():
    frame = care_population()
    sex = pd.DataFrame(
        {
            "period_end": frame["period_end"].iloc[0],
            "measure": "cla",
            "breakdown_topic": "Sex",
            "breakdown": ["Male"],
            "value": [22.0],
            "symbol": None,
        }
    )
    finding = one(check(pd.concat([frame, sex], ignore_index=True)), "breakdown_sum")
    # Age groups add up to the Total of 40; Sex has one row (row 18) with 22: that row is named, in the singular.
    assert finding.row == 18
    assert "a figure in the 'Sex' row (18) is off: correct it so they add up to 40." in finding.message


@pytest.mark.parametrize(
    "dataset, frame",
    [("care_population", care_population()), ("action_plan", action_plan())],
)
def test_no_report_says_row_rows(dataset, frame):
    bad = frame.copy()
    bad["period_end"] = pd.Timestamp("2025-08-15")  # every row off a quarter end
    report = render_report(check(bad, dataset), FILE, dataset)
    assert "period_quarter_end" in report and "rows 1, 2, 3" in report
    assert not re.search(r"\brows? rows?\b", report)


def test_every_rule_in_the_table_is_in_the_officers_guide():
    guide = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    rules = {r.id for table in (contract.COMMON_RULES, contract.COUNT_RULES, contract.ACTION_RULES) for r in table}
    assert sorted(r for r in rules if f"| `{r}` |" not in guide) == []


def test_a_file_of_repeated_rows_is_reported_in_bounded_time():
    """100,000 rows repeating one snapshot (a paste gone wrong): one duplicate_row error per repeated key, quickly.
    Reading the repeated keys row by row took over a minute; the bound is loose for a shared machine."""
    frame = pd.concat([care_population()] * 6000, ignore_index=True)  # 102,000 rows, each key 6,000 times
    started = time.perf_counter()
    findings = check(frame)
    assert time.perf_counter() - started < 20
    duplicates = [f for f in errors(findings) if f.rule == "duplicate_row"]
    assert len(duplicates) == 17  # the 17 distinct keys of the snapshot, at most 20 listed
    assert duplicates[0].row == "rows 1, 18, 35, 52, 69 and 5995 more"
    assert "appears 6000 times" in duplicates[0].message
