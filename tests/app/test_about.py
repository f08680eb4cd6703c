"""About the data in AppTest: every catalogue indicator and measure, the symbols, the suppression rule with the
configured threshold, the neighbours and model year, the snapshot versions, and the glossary."""

from __future__ import annotations

import io

import pandas as pd

from cpb_dash import benchmarks, catalogue
from cpb_dash.ui.about import SECTION_KEY, SECTIONS
from tests.app.conftest import app_test, latest_period
from tests.app.page_helpers import chart_downloads, static_tables, table_with_column, text_of
from tests.conftest import FIXTURES

PAGE = "pages/5_About_the_data.py"


def open_page(section: str | None = None):
    """The page as a visitor opens it, or (section) by a link to one of its sections: ?section=..."""
    at = app_test("app.py")
    if section is not None:
        at.query_params[SECTION_KEY] = section
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def page_text(at) -> str:
    parts = [text_of(at)]  # markdown, captions and the words of the HTML blocks
    parts += [d.value.to_csv() for d in at.dataframe] + [t.value.to_csv() for t in at.table]
    parts += [t.to_csv() for t in static_tables(at)]
    return "\n".join(parts)


def wording(text: str) -> list[str]:
    """A definition's words between its abbreviations: the page may spell an abbreviation out where it first
    uses it ('DfE' -> 'Department for Education (DfE)'), and every other word must stand as the catalogue has it."""
    import re

    pattern = r"\b(?:" + "|".join(map(re.escape, catalogue.ABBREVIATIONS)) + r")\b(?:'s)?"
    return [part.strip(" ()") for part in re.split(pattern, text) if len(part.strip(" ()")) > 3]


def every_section(at):
    """Choose each section's tab in turn, as a visitor clicks it; yields the page as drawn for that section."""
    for name in SECTIONS:
        at.session_state[SECTION_KEY] = name
        at.run()
        assert not at.exception, at.exception
        yield at


def test_only_the_open_section_is_drawn_and_a_link_opens_one():
    at = open_page()
    text = page_text(at)
    assert all(part in text for part in wording(catalogue.INDICATORS["cla_count"].definition))  # the first section
    assert not any(f"**{term}**" in text for term in catalogue.GLOSSARY)  # the glossary waits for its tab
    linked = open_page("Words we use")
    text = page_text(linked)
    assert all(f"**{term}**" in text for term in catalogue.GLOSSARY)
    assert catalogue.INDICATORS["cla_count"].definition not in text
    assert linked.query_params[SECTION_KEY] == "Words we use"


def test_every_catalogue_indicator_and_measure_is_listed():
    at = open_page()
    text = page_text(at)
    for ind in catalogue.INDICATORS.values():
        assert ind.label in text, ind.id
        assert all(part in text for part in wording(ind.definition)), ind.id
    shown = table_with_column(at, "Worked out as")  # under "Every indicator as one table"
    assert list(shown["Indicator"]) == [i.label for i in catalogue.INDICATORS.values()]
    # the CSV beside it holds the same table, as a spreadsheet reads it
    table = pd.read_csv(io.StringIO(chart_downloads(at)["indicator-definitions.csv"]))
    assert list(table["Indicator"]) == list(shown["Indicator"])
    measures = table_with_column(open_page("Measures uploaded"), "Measure id")
    assert set(measures["Measure id"]) == set(catalogue.MEASURES)
    absence = table[table["Indicator"] == catalogue.INDICATORS["absence_pct"].label].iloc[0]
    assert "× 253 working days" in absence["Worked out as"]
    # DfE workforce methodology (lait_data_dictionary.csv): "The rate for a leap year is based on 254 working days"
    assert "254 when the 12 months include 29 February" in absence["Worked out as"]
    assert absence["Decimal places"] == 1
    assert absence["Direction"] == "Lower is better"


def test_symbols_rule_neighbours_and_glossary(monkeypatch):
    monkeypatch.setenv("CPB_SUPPRESSION_THRESHOLD", "7")
    at = open_page()
    text, subheaders = "", ""
    for drawn in every_section(at):
        text += page_text(drawn)
        subheaders += " ".join(str(s.value) for s in drawn.subheader)
    for symbol, meaning in catalogue.PUBLISHED_SYMBOLS.items():
        assert meaning in text, symbol
    assert catalogue.SUPPRESSION_RULE.format(threshold=7) in text
    for name in catalogue.STATISTICAL_NEIGHBOURS:
        assert name in text
    assert f"DfE {catalogue.SN_MODEL_YEAR} model" in subheaders
    assert benchmarks.SN_MEDIAN_NOTE in text and benchmarks.RANK_QUARTILE_NOTE in text
    for term in catalogue.GLOSSARY:
        assert f"**{term}**" in text


def test_snapshot_versions_in_use_for_the_chosen_quarter():
    latest = latest_period("workforce")
    at = open_page("Snapshot versions")
    versions = table_with_column(at, "Version")  # the chosen quarter's, shown open
    (path,) = list((FIXTURES / "workforce" / latest).glob("*.parquet"))
    workforce = versions[versions["Dataset"] == catalogue.DATASET_LABELS["workforce"]]
    assert list(workforce["Version"]) == [path.stem[:12]]


def test_a_link_to_an_unknown_section_opens_the_first():
    at = open_page("No such section")
    text = page_text(at)
    assert catalogue.INDICATORS["cla_count"].definition in text
    assert at.query_params.get(SECTION_KEY) in (None, "Indicators")
