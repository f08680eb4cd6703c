"""Templates: generated from the contract and the catalogue, they read back through the upload path, and once
the figures are filled in they pass every check."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from cpb_dash import catalogue, templates
from cpb_dash.safe_read import read_snapshot, validate_file
from tests.xlsx_helpers import workbook_bytes

TODAY = dt.date(2025, 11, 15)


@pytest.mark.parametrize("dataset", catalogue.UPLOADABLE_DATASETS)
def test_both_templates_read_back_with_the_contracts_headings(dataset):
    for data, name in (
        (templates.template_xlsx(dataset, TODAY), "t.xlsx"),
        (templates.template_csv(dataset, TODAY), "t.csv"),
    ):
        frame, findings = read_snapshot(data, dataset, name)
        assert [f for f in findings if f.level == "error"] == [], findings
        assert list(frame.columns) == list(templates.template_frame(dataset, TODAY).columns)
        assert set(frame["period_end"]) == {pd.Timestamp("2025-09-30")}


@pytest.mark.parametrize("dataset", catalogue.COUNT_DATASETS)
def test_a_count_template_lists_every_measure_and_allowed_breakdown_once(dataset):
    frame = templates.template_frame(dataset, TODAY)
    for measure in catalogue.measures_for(dataset):
        mine = frame[frame["measure"] == measure.id]
        assert ((mine["breakdown_topic"] == "Total") & (mine["breakdown"] == "Total")).sum() == 1
        for topic in measure.topics:
            assert list(mine.loc[mine["breakdown_topic"] == topic, "breakdown"]) == list(
                catalogue.BREAKDOWN_TOPICS[topic]
            )
    assert not frame.duplicated(["measure", "breakdown_topic", "breakdown"]).any()


def test_a_filled_in_template_passes_every_check():
    frame = templates.template_frame("workforce", TODAY)
    # Every Total 10; in each topic, the first value 10 and the others 0, so every breakdown adds up.
    frame["value"] = 0.0
    frame.loc[frame["breakdown_topic"] == "Total", "value"] = 10.0
    firsts = frame[frame["breakdown_topic"] != "Total"].groupby(["measure", "breakdown_topic"]).head(1).index
    frame.loc[firsts, "value"] = 10.0
    findings = validate_file(workbook_bytes(frame), "workforce", "filled.xlsx", today=TODAY)
    assert [f for f in findings if f.level == "error"] == []


def test_the_xlsx_template_holds_allowed_values_guidance_and_drop_downs():
    book = openpyxl.load_workbook(io.BytesIO(templates.template_xlsx("care_population", TODAY)))
    assert book.sheetnames == ["Data", "Allowed values", "Columns", "Guidance"]
    allowed = {(r[0], r[1]) for r in book["Allowed values"].iter_rows(min_row=2, values_only=True)}
    assert {("symbol", s) for s in catalogue.SYMBOLS} <= allowed
    assert ("breakdown", "Senior practitioner") not in allowed  # a workforce value
    assert ("breakdown", "Under 1 year") in allowed
    lists = {str(v.sqref).split(":")[0] for v in book["Data"].data_validations.dataValidation}
    assert {"B2", "C2", "D2", "F2"} <= lists
    guidance = " ".join(str(c) for row in book["Guidance"].iter_rows(values_only=True) for c in row if c)
    assert "Every measure has one Total row" in guidance and "cla_started" in guidance
