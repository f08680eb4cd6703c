"""The board pack: the overview's figures and sentences, the actions needing attention, the suppression rule and the
snapshot versions, read back out of the HTML as a councillor's browser would show them."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from cpb_dash import catalogue, cli, pack, views
from cpb_dash.store import Store, encode_snapshot
from tests.conftest import FIXTURES


class _Text(HTMLParser):
    """The visible text of a page: tags stripped, character references decoded, <style> dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        elif tag in ("br", "p", "li", "td", "th", "h1", "h2", "h3", "h4", "dt", "dd", "figcaption", "caption"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return re.sub(r"\s+", " ", "".join(parser.parts))


def _bundle(root: Path) -> views.Bundle:
    return views.build_bundle(Store(root), catalogue.SUPPRESSION_THRESHOLD)


@pytest.fixture(scope="module")
def sample() -> tuple[views.Bundle, str]:
    bundle = _bundle(FIXTURES)
    return bundle, pack.build_pack(bundle, bundle.latest_period, produced=dt.date(2025, 11, 3))


def test_the_pack_shows_every_overview_headline_figure_and_sentence(sample):
    bundle, markup = sample
    text = visible_text(markup)
    period = bundle.latest_period
    for area in catalogue.COUNT_DATASETS:
        for view in views.area_headlines(bundle, area, period, catalogue.DEFAULT_COMPARATOR):
            assert view.indicator.label in text
            assert view.figure in text, view.indicator.id
            assert view.sentence in text, view.sentence
            if view.comparison is not None:  # the comparator and the date it is from
                assert f"{view.comparison.name}: {view.comparison.shown} ({view.comparison.date_label})" in text
    assert views.plan_summary(bundle, period).sentence in text


def test_title_page_names_the_board_the_quarter_and_the_day(sample):
    _, markup = sample
    text = visible_text(markup)
    assert "Hackney Corporate Parenting Board" in text
    assert "Board pack for 2025-26 Q2 (Jul-Sep 2025)" in text
    assert "Produced 3 November 2025" in text
    assert '<html lang="en-GB">' in markup
    assert "@page { size: A4" in markup


def test_every_chart_is_a_self_contained_image_with_alt_text_and_a_caption(sample):
    bundle, markup = sample
    images = re.findall(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="([^"]+)">', markup)
    headline_ids = [i for ids in catalogue.HEADLINE_ORDER.values() for i in ids]
    # a trend per headline indicator, and the action plan's progress by priority
    assert len(images) == len(headline_ids) + 1 == markup.count("<figcaption>")
    actions = views.actions_at(bundle, bundle.latest_period)
    progress = views.describe_priority_progress(actions)
    assert progress.startswith("Priority 1: ") and progress in visible_text(markup)
    assert any(alt.startswith("Actions by priority and status") for alt in images)
    hackney, comps = views.trend(bundle, "cla_rate_per_10k", bundle.latest_period, ["England"])
    description = views.describe_trend(hackney, comps, "cla_rate_per_10k")
    assert description in visible_text(markup)
    assert "http://" not in markup.replace("http://www.w3.org", "")  # nothing is fetched when it is opened


def test_the_pack_lists_the_at_risk_off_track_and_overdue_actions(sample):
    bundle, markup = sample
    text = visible_text(markup)
    actions = views.actions_at(bundle, bundle.latest_period)
    attention = actions[actions["status"].isin(["At risk", "Off track"]) | actions["overdue"]]
    assert not attention.empty
    for row in attention.itertuples():
        assert row.action_id in text and row.action in text and row.update in text
    calm = actions[actions["status"].isin(["Complete", "On track"]) & ~actions["overdue"]]
    for row in calm.itertuples():
        assert f"{row.action_id} (priority" not in text


def test_the_pack_states_the_suppression_rule_the_neighbours_and_the_versions(sample):
    bundle, markup = sample
    text = visible_text(markup)
    assert catalogue.SUPPRESSION_RULE.format(threshold=bundle.threshold) in text
    for name in catalogue.STATISTICAL_NEIGHBOURS:
        assert name in text
    assert "median" in text
    assert len(bundle.versions) > 50
    # A short appendix, not a page and a half of hashes: each dataset's latest quarter's version, one row each.
    latest = bundle.versions.sort_values("period_end").groupby("dataset").tail(1)
    for version in latest["version"]:
        assert version[:12] in text
    earlier = bundle.versions[~bundle.versions["version"].isin(latest["version"])]
    assert not any(v[:12] in text for v in earlier["version"])
    assert "Appendix: the data versions behind these figures" in text


def test_an_earlier_quarter_lists_only_the_versions_it_was_built_from():
    bundle = _bundle(FIXTURES)
    text = visible_text(pack.build_pack(bundle, dt.date(2020, 3, 31)))
    later = bundle.versions[bundle.versions["period_end"] > pd.Timestamp("2020-03-31")]
    assert not any(v[:12] in text for v in later["version"])
    assert "No action plan update was published for this quarter." in text


def test_markup_in_an_action_update_is_shown_as_text_never_run(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(FIXTURES, root)
    bundle = _bundle(root)
    period = bundle.latest_period
    plan = views.actions_at(bundle, period)
    target = plan[plan["status"] == "Off track"].iloc[0]["action_id"]
    hostile = '<script>alert("pwned")</script><img src=x onerror=alert(1)> & <b>bold</b>'
    frame = bundle.action_plan[bundle.action_plan["period_end"] == pd.Timestamp(period)].copy()
    frame.loc[frame["action_id"] == target, "update"] = hostile
    Store(root).publish(
        encode_snapshot(frame, catalogue.ACTION_PLAN),
        catalogue.ACTION_PLAN,
        period,
        "plan.parquet",
        by="officer@hackney.gov.uk",
    )

    markup = pack.build_pack(_bundle(root), period)
    assert "<script" not in markup.lower()
    assert "<img src=x" not in markup and "<b>bold" not in markup
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in markup  # markupsafe writes " as &#34;
    assert hostile in visible_text(markup)  # the officer's words survive, as text


def test_an_unknown_quarter_or_comparator_is_refused_with_a_message():
    bundle = _bundle(FIXTURES)
    with pytest.raises(ValueError, match="no figures for 2031-03-31"):
        pack.build_pack(bundle, dt.date(2031, 3, 31))
    with pytest.raises(ValueError, match="not a comparator"):
        pack.build_pack(bundle, bundle.latest_period, comparator="Mars")


def test_cli_writes_the_pack_and_exits_0(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CPB_DATA_DIR", str(FIXTURES))
    out = tmp_path / "pack.html"
    assert cli.main(["pack", "--period", "2025-03-31", "--out", str(out), "--compare", "London"]) == 0
    text = visible_text(out.read_text(encoding="utf-8"))
    assert "Board pack for 2024-25 Q4 (Jan-Mar 2025)" in text
    assert "London" in text
    assert "Wrote the board pack" in capsys.readouterr().out


def test_cli_refuses_an_unknown_file_type(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CPB_DATA_DIR", str(FIXTURES))
    assert cli.main(["pack", "--out", str(tmp_path / "pack.docx")]) == 2
    assert ".html" in capsys.readouterr().err
    assert not (tmp_path / "pack.docx").exists()


def test_an_annual_indicator_s_trend_in_the_pack_says_once_a_year_as_the_page_does(sample):
    # The pack once drew every trend as "Quarter by quarter", while the page said "Once a year, at 31 March" for
    # an annual measure: the two are now one figure (views.trend_figure).
    import base64

    bundle, _ = sample
    markup = pack.trend_figure(bundle, "health_assessment_pct", bundle.latest_period, catalogue.DEFAULT_COMPARATOR)
    svg = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", markup).group(1)).decode("utf-8")
    assert "Once a year, at 31 March" in svg and "Quarter by quarter" not in svg
    page = views.trend_figure(bundle, "health_assessment_pct", bundle.latest_period, catalogue.DEFAULT_COMPARATOR)
    assert page is not None and page.description in visible_text(markup)
