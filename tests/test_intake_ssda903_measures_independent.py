"""An independent check of the health, missing, leaving care and children's voice measures: the synthetic
extract counted by a plain, slow method (the csv module, dates, one child at a time) agrees with the pipeline for
every quarter end it derives; and the sample's figures sit near Hackney's published ones where the DfE publishes
them (data/reference/hackney_published_measures.csv, taken from LAIT)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict

import pandas as pd
import pytest

from cpb_dash.intake.derive903 import derive
from cpb_dash.intake.derive903_measures import add_measures
from cpb_dash.intake.ssda903 import read_return
from cpb_dash.intake.synthetic_903 import generate
from tests.conftest import ROOT

TODAY = dt.date(2026, 1, 15)


def _date(text: str) -> dt.date | None:
    return dt.datetime.strptime(text, "%d/%m/%Y").date() if text else None


def _year_before(day: dt.date) -> dt.date:
    """The first day of the 12 months to `day` (a quarter end)."""
    back = day.replace(year=day.year - 1)
    return back + dt.timedelta(days=1)


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _rows(files: dict[str, bytes], name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[f"{name}.csv"].decode())))


class SlowCount:
    def __init__(self, files: dict[str, bytes]):
        self.born = {r["CHILD"]: _date(r["DOB"]) for r in _rows(files, "Header")}
        self.episodes = defaultdict(list)  # child -> [(start, end, rec, place)] without short breaks
        self.short_breaks = defaultdict(list)
        for r in _rows(files, "Episodes"):
            row = (_date(r["DECOM"]), _date(r["DEC"]), r["REC"], r["PLACE"])
            (self.short_breaks if r["LS"] in ("V3", "V4") else self.episodes)[r["CHILD"]].append(row)
        for eps in self.episodes.values():
            eps.sort()
        self.missing = _rows(files, "Missing")
        self.oc2 = {r["CHILD"]: r for r in _rows(files, "OC2")}
        self.sw = _rows(files, "SWEpisodes")
        self.reviews = _rows(files, "Reviews")

    def looked_after(self, child: str, day: dt.date) -> bool:
        return any(s <= day and (e is None or e > day) for s, e, _r, _p in self.episodes[child])

    def during(self, child: str, first: dt.date, last: dt.date) -> bool:
        return any(s <= last and (e is None or e >= first) for s, e, _r, _p in self.episodes[child])

    def care_began(self, child: str, day: dt.date) -> dt.date:
        """The start of the period of care the child is in on `day`: walk back while episodes join end to start."""
        eps = self.episodes[child]
        i = next(n for n, (s, e, _r, _p) in enumerate(eps) if s <= day and (e is None or e > day))
        while i > 0 and eps[i - 1][1] == eps[i][0]:
            i -= 1
        return eps[i][0]

    def missing_12m(self, q: dt.date) -> dict[str, int]:
        first = _year_before(q)
        cla = {c for c in self.episodes if self.during(c, first, q)}
        went = defaultdict(set)
        for r in self.missing:
            start, end = _date(r["MIS_START"]), _date(r["MIS_END"])
            if start <= q and (end is None or end >= first) and r["CHILD"] in cla:
                went[r["MISSING"]].add(r["CHILD"])
        return {"cla_during_12m": len(cla), "children_missing_12m": len(went["M"]), "children_away_12m": len(went["A"])}

    def ceased_12m(self, q: dt.date) -> dict[str, int]:
        first = _year_before(q)
        last_reason = {}
        for child, eps in self.episodes.items():
            for i, (_s, e, rec, _p) in enumerate(eps):
                ends_period = e is not None and (i + 1 == len(eps) or eps[i + 1][0] != e)
                if ends_period and first <= e <= q:
                    last_reason[child] = rec  # episodes are in date order: the last one stays
        reasons = list(last_reason.values())
        return {
            "ceased_12m": len(reasons),
            "ceased_adoption_12m": sum(r in ("E11", "E12") for r in reasons),
            "ceased_sgo_12m": sum(r in ("E43", "E44", "E45", "E46", "E47", "E48") for r in reasons),
        }

    def health(self, march: dt.date) -> dict[str, int]:
        first = _year_before(march)
        cohort = [
            c
            for c in self.episodes
            if self.looked_after(c, march)
            and self.care_began(c, march) <= first
            and not any(s <= march and (e is None or e >= first) for s, e, _r, _p in self.short_breaks[c])
        ]
        out = defaultdict(int)
        for c in cohort:
            age, row = _age(self.born[c], march), self.oc2.get(c, {})
            out["oc2_cohort"] += 1
            for column, measure in (
                ("HEALTH_ASSESSMENT", "oc2_health_assessment"),
                ("TEETH_CHECK", "oc2_dental_check"),
                ("IMMUNISATIONS", "oc2_immunised"),
                ("SUBSTANCE_MISUSE", "oc2_substance_misuse"),
            ):
                out[measure] += row.get(column) == "1"
            if 5 <= age <= 16:
                out["oc2_sdq_cohort"] += 1
                if row.get("SDQ_SCORE"):
                    out["oc2_sdq_completed"] += 1
                    out["oc2_sdq_score_total"] += int(row["SDQ_SCORE"])
                    out["oc2_sdq_concern"] += int(row["SDQ_SCORE"]) >= 17
            if age >= 10:
                out["oc2_aged_10_plus"] += 1
                out["oc2_convicted"] += row.get("CONVICTED") == "1"
        return dict(out)

    def social_workers(self, q: dt.date) -> dict[str, int]:
        first = _year_before(q)
        workers = defaultdict(set)
        for r in self.sw:
            start, end = _date(r["SW_DECOM"]), _date(r["SW_DEC"])
            if start <= q and (end is None or end >= first):
                workers[r["CHILD"]].add(r["SW_ID"])
        cla = [c for c in self.episodes if self.looked_after(c, q)]
        return {"sw_cohort": len(cla), "sw_3plus_12m": sum(len(workers[c]) >= 3 for c in cla)}

    def reviews_held(self, q: dt.date) -> dict[str, int]:
        first = dt.date(q.year, q.month - 2, 1)  # the quarter's first day
        held = [r for r in self.reviews if first <= _date(r["REVIEW"]) <= q]
        return {
            "reviews_held": len(held),
            "reviews_held_aged_4_plus": sum(r["REVIEW_CODE"] in {f"PN{n}" for n in range(1, 8)} for r in held),
            "reviews_participated": sum(r["REVIEW_CODE"] in {f"PN{n}" for n in range(1, 7)} for r in held),
        }


@pytest.fixture(scope="module")
def sample():
    extract = generate()
    files = dict(extract.csv_files())
    ret = read_return(list(files.items()), today=TODAY)
    assert ret.ok
    derived = derive(ret.tables, today=TODAY)
    add_measures(ret.tables, derived)
    return SlowCount(files), derived


def _totals(derived, dataset: str, q: dt.date) -> dict[str, float]:
    frame = derived.frames[(dataset, q)]
    return frame[frame["breakdown_topic"] == "Total"].set_index("measure")["value"].to_dict()


def test_every_quarter_agrees_with_a_slow_count(sample):
    slow, derived = sample
    health = sorted(q for d, q in derived.frames if d == "health_wellbeing")
    voice = sorted(q for d, q in derived.frames if d == "childrens_voice")
    assert len(health) == 23 and len(voice) == 26  # 12 months of episodes first; reviews every quarter
    for q in health:
        mine = _totals(derived, "health_wellbeing", q)
        assert {m: mine[m] for m in slow.missing_12m(q)} == slow.missing_12m(q), q
        leaving = _totals(derived, "leaving_care", q)
        assert {m: leaving[m] for m in slow.ceased_12m(q)} == slow.ceased_12m(q), q
    for q in voice:
        mine = _totals(derived, "childrens_voice", q)
        assert {m: mine[m] for m in slow.reviews_held(q)} == slow.reviews_held(q), q
        if "sw_cohort" in mine:
            assert {m: mine[m] for m in slow.social_workers(q)} == slow.social_workers(q), q
    assert sum("sw_cohort" in _totals(derived, "childrens_voice", q) for q in voice) == 7  # since 2023-24
    march = dt.date(2025, 3, 31)
    mine = _totals(derived, "health_wellbeing", march)
    expected = slow.health(march)
    assert {m: mine[m] for m in expected} == expected


def test_the_sample_sits_near_hackneys_published_figures(sample):
    """31 March 2025: within a few points of LAIT's Hackney percentages."""
    _slow, derived = sample
    published = pd.read_csv(ROOT / "data" / "reference" / "hackney_published_measures.csv")
    pub = published[published["date"] == "2025-03-31"].set_index("figure")["value"]
    march = dt.date(2025, 3, 31)
    health = _totals(derived, "health_wellbeing", march)
    voice = _totals(derived, "childrens_voice", march)
    leaving = _totals(derived, "leaving_care", march)

    def pct(numerator: float, denominator: float) -> float:
        return 100 * numerator / denominator

    assert abs(pct(health["oc2_health_assessment"], health["oc2_cohort"]) - pub["health_assessment_pct"]) < 4
    assert abs(pct(health["oc2_dental_check"], health["oc2_cohort"]) - pub["dental_check_pct"]) < 5
    assert abs(pct(health["oc2_immunised"], health["oc2_cohort"]) - pub["immunisations_pct"]) < 7
    assert abs(health["oc2_sdq_score_total"] / health["oc2_sdq_completed"] - pub["sdq_average_score"]) < 1.5
    assert abs(pct(health["oc2_substance_misuse"], health["oc2_cohort"]) - pub["substance_misuse_pct"]) < 4
    assert abs(pct(health["oc2_convicted"], health["oc2_aged_10_plus"]) - pub["convictions_pct"]) < 4
    assert abs(pct(health["children_missing_12m"], health["cla_during_12m"]) - pub["children_missing_pct"]) < 6
    # LAIT has Hackney's social worker changes for the year to 31 March 2024 only (first published that year).
    sw_2024 = published[(published["date"] == "2024-03-31") & (published["figure"] == "sw_3plus_pct")]["value"]
    assert abs(pct(voice["sw_3plus_12m"], voice["sw_cohort"]) - float(sw_2024.iloc[0])) < 6
    assert abs(pct(leaving["staying_put"], leaving["staying_put_cohort"]) - pub["staying_put_pct"]) < 10
    assert abs(leaving["ceased_12m"] - pub["ceased_12m"]) / pub["ceased_12m"] < 0.25
