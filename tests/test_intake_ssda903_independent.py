"""An independent check: the synthetic extract's children counted by a plain, slow method (the csv module, dates,
one child and one quarter at a time) agree with the pipeline for every quarter end it derives."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict

import pytest

from cpb_dash.intake.derive903 import derive
from cpb_dash.intake.ssda903 import read_return
from cpb_dash.intake.synthetic_903 import generate

TODAY = dt.date(2026, 1, 15)


def _date(text: str) -> dt.date | None:
    return dt.datetime.strptime(text, "%d/%m/%Y").date() if text else None


def _quarter_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    out, year = [], first.year
    while True:
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            q = dt.date(year, month, day)
            if q > last:
                return out
            if q >= first:
                out.append(q)
        year += 1


def _minus_months(day: dt.date, months: int) -> dt.date:
    year, month = day.year, day.month - months
    while month < 1:
        month += 12
        year -= 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class SlowCount:
    """The DfE's rules, written out one child at a time, without pandas."""

    def __init__(self, files: dict[str, bytes]):
        header = list(csv.DictReader(io.StringIO(files["Header.csv"].decode())))
        self.born = {r["CHILD"]: _date(r["DOB"]) for r in header}
        episodes = defaultdict(list)
        for r in csv.DictReader(io.StringIO(files["Episodes.csv"].decode())):
            if r["LS"] in ("V3", "V4"):
                continue
            episodes[r["CHILD"]].append(
                {"start": _date(r["DECOM"]), "end": _date(r["DEC"]), "rne": r["RNE"], "place": r["PLACE"]}
            )
        self.episodes = {c: sorted(e, key=lambda x: x["start"]) for c, e in episodes.items()}
        self.uasc = {r["CHILD"]: _date(r["DUC"]) for r in csv.DictReader(io.StringIO(files["UASC.csv"].decode()))}

    @staticmethod
    def _continues(eps: list[dict], i: int) -> bool:
        return i > 0 and eps[i - 1]["end"] == eps[i]["start"]

    def _placement_begins(self, eps: list[dict], i: int) -> int:
        while self._continues(eps, i) and eps[i]["rne"] not in ("S", "P", "B"):
            i -= 1
        return i

    def _period_begins(self, eps: list[dict], i: int) -> int:
        while self._continues(eps, i):
            i -= 1
        return i

    def open_on(self, day: dt.date) -> dict[str, int]:
        out = {}
        for c, eps in self.episodes.items():
            for i, e in enumerate(eps):
                if e["start"] <= day and (e["end"] is None or e["end"] > day):
                    out[c] = i
        return out

    def quarter(self, q: dt.date) -> dict[str, int]:
        first = dt.date(q.year, q.month - 2, 1)  # the first day of the quarter
        now = self.open_on(q)
        started = {
            c
            for c, eps in self.episodes.items()
            for i, e in enumerate(eps)
            if first <= e["start"] <= q and not self._continues(eps, i)
        }
        ceased = {
            c
            for c, eps in self.episodes.items()
            for i, e in enumerate(eps)
            if e["end"] is not None
            and first <= e["end"] <= q
            and not (i + 1 < len(eps) and eps[i + 1]["start"] == e["end"])
        }
        uasc = sum(1 for c in now if c in self.uasc and (self.uasc[c] is None or self.uasc[c] > q))
        moves = sum(
            1
            for eps in self.episodes.values()
            for i, e in enumerate(eps)
            if first <= e["start"] <= q and self._continues(eps, i) and e["rne"] in ("P", "B")
        )
        year_start = _minus_months(q, 12) + dt.timedelta(days=1)
        many = 0
        for c in now:
            eps = self.episodes[c]
            placements = {
                self._placement_begins(eps, i)
                for i, e in enumerate(eps)
                if e["start"] <= q and (e["end"] is None or e["end"] >= year_start)
            }
            many += len(placements) >= 3
        cohort = same = 0
        for c, i in now.items():
            eps = self.episodes[c]
            if _age(self.born[c], q) >= 16 or eps[self._period_begins(eps, i)]["start"] > _minus_months(q, 30):
                continue
            cohort += 1
            begins = self._placement_begins(eps, i)
            since = eps[begins]["start"]
            if eps[i]["place"] in ("A3", "A4", "A5", "A6") and self._continues(eps, begins):
                since = eps[self._placement_begins(eps, begins - 1)]["start"]
            same += since <= _minus_months(q, 24)
        return {
            "cla": len(now),
            "cla_started": len(started),
            "cla_ceased": len(ceased),
            "uasc": uasc,
            "placement_moves_in_quarter": moves,
            "stab_3plus_placements": many,
            "ltstab_cohort": cohort,
            "ltstab_same_carer_2y": same,
        }


@pytest.fixture(scope="module")
def extract():
    return generate(years=4, seed=11, last_day=dt.date(2025, 9, 30))


def test_the_pipeline_agrees_with_a_slow_count_for_every_quarter(extract):
    files = dict(extract.csv_files())
    ret = read_return(list(files.items()), today=TODAY)
    assert ret.ok
    derived = derive(ret.tables, today=TODAY)
    slow = SlowCount(files)
    quarters = _quarter_ends(extract.first_day, dt.date(2025, 9, 30))
    assert sorted({q for _, q in derived.frames}) == quarters
    compared: set[tuple[str, dt.date]] = set()
    for (dataset, q), frame in derived.frames.items():
        totals = frame[frame["breakdown_topic"] == "Total"].set_index("measure")["value"]
        expected = slow.quarter(q)
        for measure, value in totals.items():
            if measure in expected:
                assert value == expected[measure], (dataset, q, measure)
                compared.add((measure, q))
    # Every rule the slow count knows was compared, stock and flow measures at every quarter end.
    assert {m for m, _ in compared} == set(slow.quarter(quarters[-1]))
    assert {q for m, q in compared if m == "cla"} == set(quarters)
    # The sample is Hackney-sized: about 350 looked after at a time.
    assert 250 <= slow.quarter(quarters[-1])["cla"] <= 450
