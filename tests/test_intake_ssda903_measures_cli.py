"""`python -m cpb_dash import-903` publishes the health and wellbeing, leaving care and children's voice quarters
the sample return derives, with the figures the deriver gives; no child's identifier and no social worker's
identifier reaches the store, the output or a log."""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd

from cpb_dash.intake.derive903 import derive
from cpb_dash.intake.derive903_measures import add_measures
from cpb_dash.intake.ssda903 import read_return
from cpb_dash.store import Store
from tests.test_intake_ssda903_cli import OFFICER, SAMPLE, data_dir, run, sample_tables, store_text  # noqa: F401


def test_the_new_datasets_publish_from_the_command_line_and_no_identifier_persists(data_dir, capsys, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    code, output = run(capsys, str(SAMPLE), "--by", OFFICER, "--publish", "--confirm-warnings")
    assert code == 0, output
    store = Store(data_dir)
    history = store.history()
    ours = history[history["file_name"].str.startswith("SSDA903 extract, ")]
    assert ours.groupby("dataset").size().to_dict() == {
        "care_population": 26,
        "placement_stability": 23,
        "health_wellbeing": 23,
        "leaving_care": 23,
        "childrens_voice": 26,
    }
    # What is published is what the deriver gives (checked by hand in the known-answer tests).
    ret = read_return([(SAMPLE.name, SAMPLE.read_bytes())])
    derived = derive(ret.tables)
    add_measures(ret.tables, derived)
    march = pd.Timestamp(2025, 3, 31)
    for dataset, measure in (
        ("health_wellbeing", "oc2_health_assessment"),
        ("health_wellbeing", "children_missing_12m"),
        ("leaving_care", "cl_17_18_eet"),
        ("leaving_care", "ceased_sgo_12m"),
        ("childrens_voice", "sw_3plus_12m"),
        ("childrens_voice", "reviews_participated"),
    ):
        published = store.read_current(dataset)
        row = published[
            (published["period_end"] == march)
            & (published["measure"] == measure)
            & (published["breakdown_topic"] == "Total")
        ]
        frame = derived.frames[(dataset, dt.date(2025, 3, 31))]
        expected = frame[(frame["measure"] == measure) & (frame["breakdown_topic"] == "Total")]["value"].iloc[0]
        assert row["value"].iloc[0] == expected, (dataset, measure)
    # Privacy: no child's identifier, and no social worker's, anywhere.
    held = store_text(data_dir) + "\n".join(
        p.read_bytes().decode("latin-1") for p in data_dir.rglob("*") if p.is_file()
    )
    said = output + caplog.text
    tables = sample_tables()
    for row in tables["OC2"][::23] + tables["Reviews"][::401] + tables["SWEpisodes"][::97]:
        assert row["CHILD"] not in held and row["CHILD"] not in said
    for row in tables["SWEpisodes"][::97]:
        assert row["SW_ID"] not in held and row["SW_ID"] not in said
