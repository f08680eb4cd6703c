"""Targets, ratings, commentary and the comparator table, as a councillor and an officer meet them (AppTest).

Figures expected here come from the committed sample snapshot and the committed benchmark file, read directly
with pyarrow, never from the dashboard's own code."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from cpb_dash.store import Store
from tests.app.conftest import app_test
from tests.app.page_helpers import block_texts, page_test, snapshot, tables, text_of, texts_in_page_order, total
from tests.app.test_upload import data_dir, file_hashes, signed_in  # noqa: F401 (data_dir is a fixture)
from tests.conftest import FIXTURES

WORKFORCE = "pages/3_Workforce.py"
LATEST = "2025-09-30"
HEADINGS = b"period_end,indicator,target,amber_tolerance,set_by,rationale\n"


def markdown(at) -> str:
    """The page's markdown and the words of its cards and folded notes."""
    return text_of(at)


def markdown_sent(at) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def as_sent(at) -> str:
    """The markdown and the HTML blocks as sent to the browser (markup in an officer's words must arrive
    escaped)."""
    return markdown_sent(at) + "\n".join(block.proto.body for block in at.get("html"))


def texts(at) -> str:
    """Plain text as shown: st.text and the words of the HTML blocks (escaped text, never markup)."""
    return "\n".join([*(str(t.value) for t in at.text), *block_texts(at)])


def agency_rate() -> float:
    """Agency workers as a share of all social workers (FTE), the DfE's definition, from the sample snapshot."""
    frame = snapshot("workforce", LATEST)
    return total(frame, "agency_fte") / (total(frame, "agency_fte") + total(frame, "inpost_fte")) * 100


def benchmark(indicator: str, year: int, area_type: str, area_name: str | None = None) -> float:
    bench = pq.read_table(FIXTURES / "benchmarks.parquet").to_pandas()
    rows = bench[(bench["indicator"] == indicator) & (bench["year"] == year) & (bench["area_type"] == area_type)]
    if area_name is not None:
        rows = rows[rows["area_name"] == area_name]
    return float(rows["value"].iloc[0])


def publish_on_the_page(at, name: str, data: bytes, dataset: str):
    at.selectbox(key="upload-dataset").set_value(dataset).run()
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception
    return at


def test_a_target_published_on_the_upload_page_rates_the_card_in_words(data_dir):  # noqa: F811
    rate = agency_rate()
    assert 20 < rate < 23  # the sample: about 21.5%, far above England
    at = signed_in()
    # A target of 25% or less: the agency rate meets it, so the card must say green in words.
    publish_on_the_page(
        at,
        "targets.csv",
        HEADINGS
        + b"2025-06-30,agency_pct,25,2,Head of Workforce Development,Test <img src=x onerror=alert(1)> target\n",
        "targets",
    )
    assert not at.error, [e.value for e in at.error]
    at.button(key="upload-publish-0").click().run()
    assert "published version" in at.success[0].value
    assert Store(data_dir).history("targets").iloc[0]["published_by"] == "officer@hackney.gov.uk"

    page = page_test(WORKFORCE).run()
    assert not page.exception
    shown = markdown(page)
    assert "Green: on target (25.0% or less)" in shown
    # the officer's words shown as they were written, as text: the markup in them is escaped, never run
    assert "from 2025-26 Q1: Test <img src=x onerror=alert(1)> target" in texts(page)
    assert not any("<img src=x" in block.proto.body for block in page.get("html"))


def test_the_sample_target_for_agency_workers_is_missed_and_says_red():
    # The sample targets (fixtures_notes.py): agency workers 15% or less from 2025-26 Q1, amber within 3 points.
    assert agency_rate() > 15 + 3
    page = page_test(WORKFORCE).run()
    assert not page.exception
    assert "Red: off target (15.0% or less)" in markdown(page)


def test_without_a_target_the_verdict_is_the_standing_not_the_change():
    """Vacancies have no sample target: the verdict is where Hackney stands against England and all councils,
    and the change over time is in words without colour (a falling rate no longer reads as good)."""
    frame = snapshot("workforce", LATEST)
    vacancy = total(frame, "vacancy_fte") / (total(frame, "vacancy_fte") + total(frame, "inpost_fte")) * 100
    england = benchmark("vacancy_pct", 2025, "England")
    assert vacancy > england
    page = page_test(WORKFORCE).run()
    shown = markdown(page)
    assert "Worse than England, bottom quarter of councils" in shown
    # the change over time: in words on one grey line per card, no coloured delta on any figure
    assert all(not m.delta for m in page.metric)
    assert "Change over time: -2.3 points since last quarter (better);" in shown
    # no card paints the change over time green or red any more
    assert ":green[" not in shown and ":red[" not in shown


def test_commentary_is_shown_as_text_even_when_it_holds_markup(data_dir):  # noqa: F811
    text = "<script>alert('x')</script> **Agency** use fell; <b>recruitment</b> continues."
    csv = f'period_end,area,author_role,text\n{LATEST},workforce,Head of Workforce Development,"{text}"\n'
    Store(data_dir).publish(csv.encode(), "commentary", None, "commentary.csv", "officer@hackney.gov.uk")

    page = page_test(WORKFORCE).run()
    assert not page.exception
    assert text in texts(page)  # exactly as written: not run, not rendered
    assert "<script>" not in as_sent(page) and "alert(" not in markdown_sent(page)
    assert "Written by: Head of Workforce Development" in texts(page)

    overview = app_test("app.py").run()
    assert not overview.exception
    assert text in texts(overview)
    assert "<script>" not in as_sent(overview)


def test_the_sample_commentary_is_on_its_area_page_and_the_overview():
    page = page_test(WORKFORCE).run()
    assert "Agency use has fallen for three quarters" in texts(page)
    overview = app_test("app.py").run()
    assert "Agency use has fallen for three quarters" in texts(overview)


def test_the_comparator_table_holds_the_benchmark_files_figures():
    page = page_test(WORKFORCE).run()
    assert not page.exception
    table = next(t for t in tables(page) if "Hackney (published)" in t.columns)
    row = table[table["Measure"] == "Agency workers"].iloc[0]  # named as its card names it
    assert row["Published at"] == "30 September 2025"
    assert row["Hackney (published)"] == f"{benchmark('agency_pct', 2025, 'Local authority', 'Hackney'):.1f}%"
    assert row["England"] == f"{benchmark('agency_pct', 2025, 'England'):.1f}%"
    assert row["London"] == f"{benchmark('agency_pct', 2025, 'Region', 'London'):.1f}%"
    assert row["Inner London"] == f"{benchmark('agency_pct', 2025, 'Inner London'):.1f}%"
    assert row["Quartile band"].startswith("D")


@pytest.mark.parametrize(
    "page",
    [
        "pages/1_Care_population.py",
        "pages/2_Placement_stability.py",
        "pages/7_Health_and_wellbeing.py",
        "pages/8_Leaving_care.py",
        "pages/9_Childrens_voice.py",
    ],
)
def test_every_area_page_shows_the_comparator_table_without_a_click(page):
    at = page_test(page).run()
    assert not at.exception
    assert any("Statistical neighbours (median of 10)" in t.columns for t in tables(at))
    # open on the page, not folded in an expander a director must find and open
    folded = [b for e in at.expander for b in e.get("html") if "Statistical neighbours" in b.proto.body]
    assert not folded


def test_the_care_population_comparator_table_sits_under_the_headline_cards():
    at = page_test("pages/1_Care_population.py").run()
    texts = texts_in_page_order(at)
    table_heading = texts.index("How Hackney compares with every comparator")
    assert texts.index("Headline figures") < texts.index("Children in care") < table_heading
    assert table_heading < texts.index("Children in care over time")
    table = next(t for t in tables(at) if "Hackney (published)" in t.columns)
    # the figures first, the date last: on a phone the measure and Hackney's figure are what shows first
    assert list(table.columns[:3]) == ["Measure", "Hackney (published)", "England"]
    assert table.columns[-1] == "Published at"


def test_an_indicator_links_to_the_actions_meant_to_move_it():
    plan = snapshot("action_plan", LATEST)
    wanted = set(
        plan.loc[
            plan["objective"] == "Recruit and retain permanent social workers and reduce agency reliance", "action_id"
        ]
    )
    assert wanted  # P5.01 and P5.02 in the sample plan
    page = page_test(WORKFORCE).run()
    for action_id in wanted:
        row = plan[plan["action_id"] == action_id].iloc[0]
        assert f"{action_id} ({row['status']}): {row['action']} Lead: {row['lead']}." in texts(page)


def test_a_bad_targets_file_is_refused_with_its_column_and_row_and_changes_nothing(data_dir):  # noqa: F811
    at = signed_in()
    before = file_hashes(data_dir)
    publish_on_the_page(
        at,
        "targets.csv",
        HEADINGS + b"2025-06-30,agency_pct,15,3,Head of Service,\n2025-06-30,agency,120,,jo.bloggs@hackney.gov.uk,\n",
        "targets",
    )
    assert "cannot be published" in at.error[0].value
    messages = texts(at)
    assert "column indicator, row 2: 'agency' is not an indicator id" in messages
    assert "column set_by, row 2" in messages and "not an e-mail address" in messages
    assert all(b.key != "upload-publish-0" for b in at.button)
    assert file_hashes(data_dir) == before
    history = Store(data_dir).history("targets")
    assert (history["action"] != "publish").all()
    assert pd.Timestamp(Store(data_dir).read_current("targets")["period_end"].max()) == pd.Timestamp("2025-06-30")


def test_the_overview_opens_with_every_verdict_worst_first():
    overview = app_test("app.py").run()
    lines = [link.proto.label for link in overview.get("page_link") if link.proto.label.startswith("**")]
    headings = [str(m.value) for m in overview.markdown if "-background[" in str(m.value)]
    assert "Needs attention (6)" in headings[0]
    assert "**Agency workers 21.5%**: off target (15.0% or less)" in lines[:6]
    assert "**Vacancies 25.5%**: worse than England, bottom quarter of councils" in lines[:6]
    assert "Good (" in headings[-1] and all("on target" not in line for line in lines[:6])


def test_a_commentary_revision_warns_which_areas_it_would_drop(data_dir):  # noqa: F811
    at = signed_in()
    publish_on_the_page(
        at,
        "commentary.csv",
        b"period_end,area,author_role,text\n2025-09-30,workforce,Head of Workforce Development,Only the workforce.\n",
        "commentary",
    )
    assert not at.error
    warning = " ".join(str(w.value) for w in at.warning)
    # the sample commentary for 2025-26 Q2 has all seven areas (fixtures_notes.py): six would go
    assert (
        "also has rows for action_plan, care_population, childrens_voice, health_wellbeing, leaving_care,"
        " placement_stability" in warning
    )
