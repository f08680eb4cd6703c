"""Hostile files and a hostile data directory through the Upload page and the board pages (issue 15, items 3, 4, 5,
7, 9, 10): a clear message, no exception, the store byte-for-byte unchanged, and the pages still drawing."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from cpb_dash import cli
from cpb_dash.store import Store
from cpb_dash.ui.upload import CHECK_KEY
from tests.app.page_helpers import page_test, rewrite_snapshot
from tests.app.test_upload import file_hashes, latest_care_population, signed_in, with_more_children_in_care
from tests.conftest import FIXTURES
from tests.contract_helpers import care_population, csv_bytes, parquet_bytes
from tests.test_hostile_files import (
    dictionary_bomb,
    float16_dates,
    reader_killer,
    table_bytes,
    with_column,
    with_period_end,
)

BOARD_PAGES = [
    "app.py",
    "pages/1_Care_population.py",
    "pages/2_Placement_stability.py",
    "pages/3_Workforce.py",
    "pages/4_Action_plan.py",
]


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(FIXTURES, dest)
    monkeypatch.setenv("CPB_DATA_DIR", str(dest))
    return dest


def pages_draw() -> None:
    for page in BOARD_PAGES:
        at = (page_test(page) if page != "app.py" else page_test("app.py")).run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])


def upload(at, name: str, data: bytes):
    return at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()


def error_text(at) -> str:
    return " ".join(str(e.value) for e in at.error) + " " + " ".join(str(t.value) for t in at.text)


def no_publish_button(at) -> bool:
    return all(b.key != "upload-publish-0" for b in at.button)


@pytest.mark.parametrize(
    "case, make, words",
    [
        ("empty", lambda: parquet_bytes(care_population().head(0)), "The file has no rows"),
        ("heading only", lambda: csv_bytes(care_population()).splitlines(keepends=True)[0], "The file has no rows"),
        ("year 1677", lambda: with_period_end(dt.date(1677, 9, 30), pa.date32()), "'period_end' holds the date"),
        ("float16 dates", float16_dates, "half-precision float"),
        ("a dictionary bomb", dictionary_bomb, "200,000 rows"),
        ("a footer that aborts pyarrow", reader_killer, "made the reader fail"),
    ],
)
def test_a_hostile_file_gets_a_clear_message_and_publishes_nothing(data_dir, case, make, words):
    before = file_hashes(data_dir)
    at = signed_in()
    upload(at, f"{case}.parquet" if case != "heading only" else "q.csv", make())
    assert not at.exception
    assert words in error_text(at), error_text(at)
    assert no_publish_button(at)
    assert "Every check passed" not in " ".join(s.value for s in at.success)
    assert file_hashes(data_dir) == before
    pages_draw()


def test_an_absurd_count_is_refused_on_the_page(data_dir):
    period, frame = latest_care_population(data_dir)
    frame.loc[(frame["measure"] == "cla") & (frame["breakdown_topic"] == "Total"), "value"] = 8.988e307
    before = file_hashes(data_dir)
    at = signed_in()
    upload(at, "q.parquet", parquet_bytes(frame))
    assert not at.exception
    assert "larger than any local authority could report" in error_text(at)
    assert no_publish_button(at) and file_hashes(data_dir) == before


def test_a_period_end_with_a_time_zone_previews_and_publishes(data_dir):
    """Item 5: the preview used to crash on a zoned period end; the reader now keeps its local date."""
    period, frame = latest_care_population(data_dir)
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    london = pa.timestamp("us", tz="Europe/London")
    zoned = pa.array([pd.Timestamp(period, tz="Europe/London")] * table.num_rows, london)
    at = signed_in()
    upload(at, "zoned.parquet", table_bytes(with_column(table, "period_end", zoned)))
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "already current" not in error_text(at)
    # the same figures as the current version: publishing changes nothing, and says so
    at.button(key="upload-publish-0").click().run()
    assert not at.exception and "already current" in at.success[0].value


def test_an_uploaded_file_is_checked_once_not_on_every_rerun(data_dir):
    """Item 7: the check is kept in session state under the file's SHA-256; a rerun (any click) reuses it."""
    period, frame = latest_care_population(data_dir)
    at = signed_in()
    upload(at, "q.parquet", parquet_bytes(frame))
    first = at.session_state[CHECK_KEY]
    at.run()  # a rerun, as any widget would cause
    assert at.session_state[CHECK_KEY][1] is first[1]
    frame.loc[frame["measure"] == "cla_started", "value"] += 1
    upload(at, "q.parquet", parquet_bytes(frame))
    assert at.session_state[CHECK_KEY][0][0] != first[0][0]  # another file, another check


def test_pages_draw_a_huge_value_already_in_the_store(data_dir):
    """Item 3: a value the contract now refuses may already be in a store (published before, or a seed file);
    no page may break on it. Formatting never raises."""
    period = max(p.name for p in (data_dir / "care_population").iterdir())

    def absurd(frame: pd.DataFrame) -> None:
        frame.loc[(frame["measure"] == "cla") & (frame["breakdown_topic"] == "Total"), "value"] = 8.988e307
        frame.loc[(frame["measure"] == "cla_started") & (frame["breakdown_topic"] == "Total"), "value"] = 1e28
        frame.loc[(frame["measure"] == "population_0_17") & (frame["breakdown_topic"] == "Total"), "value"] = float(
            "inf"
        )

    rewrite_snapshot(data_dir, "care_population", period, absurd)
    for page in ("app.py", "pages/1_Care_population.py"):
        at = page_test(page).run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])
    out = data_dir.parent / "pack.html"
    assert cli.main(["pack", "--out", str(out)]) == 0 and "Children" in out.read_text(encoding="utf-8")


def test_a_stray_folder_is_ignored_by_pages_history_and_publish(data_dir):
    """Item 10: 'care_population/2025-09-30 copy' (an officer's copy in a file manager) is not ours."""
    period, frame = latest_care_population(data_dir)
    stray = data_dir / "care_population" / f"{period} copy"
    shutil.copytree(data_dir / "care_population" / period, stray)
    (data_dir / "workforce" / "notes").mkdir()
    stray_before = file_hashes(stray)
    pages_draw()
    at = signed_in()
    assert not at.exception
    assert any("not period folders" in w.value for w in at.warning)
    assert any(f"care_population/{period} copy" in str(t.value) for t in at.text)
    upload(at, "q.parquet", with_more_children_in_care(frame, 1))  # breakdowns still add up
    assert not at.exception
    if at.checkbox:
        at.checkbox[0].check().run()
    at.button(key="upload-publish-0").click().run()
    assert not at.exception and "published version" in at.success[0].value
    assert Store(data_dir).history("care_population").iloc[0]["period_end"] == period
    assert file_hashes(stray) == stray_before  # left alone
    pages_draw()
