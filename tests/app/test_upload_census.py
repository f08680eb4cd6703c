"""The census section of the Upload page: an HR officer derives and publishes the workforce snapshot from the census
worker table; the audit log names the extract, and no worker id reaches the store or the page; a bad table is
refused with the column and row, nothing published."""

from __future__ import annotations

import datetime as dt

from cpb_dash.store import Store
from tests.app.test_upload import data_dir, file_hashes, signed_in  # noqa: F401
from tests.conftest import FIXTURES
from tests.test_census import table

SAMPLE = (FIXTURES / "census" / "workforce_census_sample.csv").read_bytes()
PERIOD = dt.date(2025, 9, 30)
IDS = ("ZZ0000000001", "ZZ0000000100", "ZZ0000000291")


def page_text(at) -> str:
    return " ".join(
        str(e.value)
        for kind in ("text", "error", "markdown", "caption", "info", "warning", "success")
        for e in at.get(kind)
    ) + " ".join(d.value.to_string() for d in at.dataframe)


def census_form(at, data: bytes, vacancies: float | None = 66.0):
    at.selectbox(key="upload-dataset").set_value("workforce").run()
    at.selectbox(key="census-period").set_value(PERIOD).run()
    if vacancies is not None:
        at.number_input(key="census-vacancies").set_value(vacancies).run()
    uploader = next(u for u in at.file_uploader if "census" in u.label.lower())
    uploader.set_value(("census 2025.csv", data, "text/csv")).run()
    return at


def test_an_officer_publishes_the_snapshot_derived_from_the_census(data_dir):  # noqa: F811
    at = census_form(signed_in(), SAMPLE)
    assert not at.exception
    assert "Derived figures for" in page_text(at)
    if at.checkbox:
        at.checkbox[0].check().run()
    at.button(key="census-publish-0").click().run()
    assert not at.exception
    assert "published version" in at.success[0].value
    newest = Store(data_dir).history("workforce").iloc[0]
    assert newest["file_name"].startswith("Workforce census extract, 291 worker rows, sha256 ")
    assert newest["period_end"] == "2025-09-30" and newest["status"] == "current"
    for path in data_dir.rglob("*"):
        if path.is_file() and "census" not in path.parts:
            content = path.read_bytes()
            assert not any(i.encode() in content for i in IDS), path
    assert not any(i in page_text(at) for i in IDS)


def test_a_bad_census_table_is_refused_on_the_page_with_its_column_and_row(data_dir):  # noqa: F811
    at = signed_in()
    before = file_hashes(data_dir)
    census_form(at, table({}, {"OrgRole": "9"}))
    assert not at.exception
    assert "no snapshot can be derived" in at.error[0].value
    text = page_text(at)
    assert "• column OrgRole, row 2: OrgRole must be a census role code, 1 to 6, not '9'" in text
    assert "ZZ0000000002" not in text
    assert all(b.key != "census-publish-0" for b in at.button)
    assert file_hashes(data_dir) == before


def test_without_the_vacancy_count_nothing_is_derived(data_dir):  # noqa: F811
    at = census_form(signed_in(), SAMPLE, vacancies=None)
    assert "Give the number of vacant posts" in page_text(at)
    assert all(b.key != "census-publish-0" for b in at.button)


def test_the_census_xml_brings_its_own_vacancy_count(data_dir):  # noqa: F811
    from tests.test_census import census_xml

    at = census_form(signed_in(), census_xml(), vacancies=None)
    assert not at.exception and not at.error, [e.value for e in at.error]
    derived = next(d.value for d in at.dataframe if "Derived" in d.value.columns)
    assert derived.loc[derived["Measure"] == "Social worker vacancies (FTE)", "Derived"].item() == "66"
