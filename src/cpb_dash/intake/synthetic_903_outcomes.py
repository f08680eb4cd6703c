"""The synthetic SSDA903 extract's outcome tables: OC2, Reviews, SWEpisodes, AD1, PlacedAdoption and PrevPerm.

Made from the episodes synthetic_903 already wrote, with a random generator of their own (so the older tables stay
byte for byte the same), and anchored near Hackney's published figures for the year to 31 March 2025 (LAIT, in
data/reference/hackney_published_measures.csv): health assessments 97%, dental checks 88%, immunisations 62%,
average SDQ score 15.5, substance misuse 5%, convictions 4%, 3 or more social workers 18%, staying put 27%.
Reviews on time (about 93%) and participation (about 85%) are realistic, not published. Identifiers are fake
(social workers SWFAKE...). It also moves a few care leavers' accommodation to "with former foster carers" (Z),
keeping whether it is suitable, so that staying put sits near the published share.
"""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd

from cpb_dash.intake.ssda903_spec import DATE_FORMAT, TABLES

HEALTH_ASSESSMENT, DENTAL, IMMUNISED, SUBSTANCE, CONVICTED = 0.97, 0.88, 0.62, 0.05, 0.04
SDQ_RETURNED, SDQ_MEAN, SDQ_SPREAD = 0.8, 14.0, 6.5
REVIEW_LATE, SW_CHANGES_A_YEAR, STAYING_PUT = 0.07, 1.0, 0.25
PARTICIPATION = {"PN1": 52, "PN2": 4, "PN3": 5, "PN4": 5, "PN5": 4, "PN6": 15, "PN7": 15}
SW_RECORDS_FROM = dt.date(2023, 4, 1)  # SWEpisodes joined the return in 2023-24
SW_REASONS = ("LEFTRL", "ORGRST", "MANAGE", "OTHERS")  # the DfE's codes (a worker left the role, reorganisation)


def _date(text: str) -> dt.date | None:
    return dt.datetime.strptime(text, DATE_FORMAT).date() if text else None


def _d(day: dt.date | None) -> str:
    return "" if day is None else day.strftime(DATE_FORMAT)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _age(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _periods(episodes: pd.DataFrame) -> list[dict]:
    """Each child's periods of care (episodes joined where one ends the day the next begins), short breaks out."""
    rows = [r for r in episodes.itertuples(index=False) if r.LS not in ("V3", "V4")]
    rows.sort(key=lambda r: (r.CHILD, _date(r.DECOM)))
    out: list[dict] = []
    current: dict | None = None
    for row in rows:
        begun, ended = _date(row.DECOM), _date(row.DEC)
        if current is not None and current["child"] == row.CHILD and current["end"] == begun:
            current["end"] = ended
            current["episodes"].append(row)
            continue
        current = {"child": row.CHILD, "begun": begun, "end": ended, "episodes": [row], "rne": row.RNE}
        out.append(current)
    return out


def outcome_tables(
    frames: dict[str, pd.DataFrame], first_day: dt.date, last_day: dt.date, seed: int
) -> dict[str, pd.DataFrame]:
    rng = random.Random(seed * 31 + 12)
    born = {c: _date(d) for c, d in zip(frames["Header"]["CHILD"], frames["Header"]["DOB"], strict=True)}
    care = _periods(frames["Episodes"])
    year_end = dt.date(last_day.year if last_day.month > 3 else last_day.year - 1, 3, 31)
    year_start = _add_months(year_end, -12) + dt.timedelta(days=1)

    oc2 = []
    for period in care:
        child = period["child"]
        open_at_end = period["end"] is None or period["end"] > year_end
        if period["begun"] > year_start or not open_at_end or rng.random() < 0.01:  # a few rows left out
            continue
        age = _age(born[child], year_end)
        sdq = ""
        reason = ""
        if 4 <= age <= 17:
            if rng.random() < SDQ_RETURNED:
                sdq = str(max(0, min(40, round(rng.gauss(SDQ_MEAN, SDQ_SPREAD)))))
            else:
                reason = rng.choice(("SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"))
        misuse = rng.random() < SUBSTANCE
        oc2.append(
            [
                child,
                _d(born[child]),
                sdq,
                reason,
                ("1" if rng.random() < CONVICTED else "0") if age >= 10 else "",
                ("1" if rng.random() < 0.9 else "0") if age < 5 else "",
                "1" if rng.random() < IMMUNISED else "0",
                "1" if rng.random() < DENTAL else "0",
                "1" if rng.random() < HEALTH_ASSESSMENT else "0",
                "1" if misuse else "0",
                ("1" if rng.random() < 0.6 else "0") if misuse else "",
                "",
            ]
        )

    reviews, sw, prev = [], [], []
    worker_serial = 0
    for period in care:
        child, begun = period["child"], period["begun"]
        end = period["end"] or last_day
        # Reviews: 20 working days (about 28 days), 3 months, then 6-monthly; a few late.
        due = begun + dt.timedelta(days=26)
        step = 3
        while due < end and due <= last_day:
            held = due - dt.timedelta(days=rng.randrange(0, 12))
            if rng.random() < REVIEW_LATE:
                held = due + dt.timedelta(days=rng.randrange(3, 40))
            if held >= end or held > last_day:
                break
            if held >= first_day:
                age = _age(born[child], held)
                code = "PN0" if age < 4 else rng.choices(list(PARTICIPATION), weights=list(PARTICIPATION.values()))[0]
                reviews.append([child, _d(born[child]), _d(held), code])
            due = _add_months(held, step)
            step = 6
        # Social workers: from when the return records them; each change ends one episode and begins the next.
        day = max(begun, SW_RECORDS_FROM)
        workers: list[str] = []
        while day < end and day <= last_day:
            change = day + dt.timedelta(days=max(7, int(rng.expovariate(SW_CHANGES_A_YEAR) * 365)))
            stop = min(change, end)
            if workers and rng.random() < 0.1:
                worker = rng.choice(workers)  # a worker who returns
            else:
                worker_serial += 1
                worker = f"SWFAKE{worker_serial:05d}"
                workers.append(worker)
            finished = stop if stop <= last_day else None
            sw.append(
                [child, _d(born[child]), worker, _d(day), _d(finished), rng.choice(SW_REASONS) if finished else ""]
            )
            day = stop
        if period["rne"] == "S" and begun >= first_day:
            kind = rng.choices(("Z1", "P1", "P2", "P3"), weights=(93, 2, 3, 2))[0]
            when = f"zz/{rng.randrange(1, 13):02d}/{begun.year - rng.randrange(1, 6)}" if kind != "Z1" else ""
            prev.append([child, _d(born[child]), kind, "204" if kind != "Z1" else "", when])

    ad1, placed = [], []
    for period in care:
        rows = period["episodes"]
        if rows[-1].REC not in ("E11", "E12"):
            continue
        child = period["child"]
        order = next((_date(r.DECOM) for r in rows if r.LS in ("E1", "D1")), None)
        placed_on = next((_date(r.DECOM) for r in rows if r.PLACE in ("A3", "A4", "A5", "A6")), None)
        if order is None or placed_on is None:
            continue
        decided = order - dt.timedelta(days=rng.randrange(30, 150))
        match = max(order, placed_on - dt.timedelta(days=rng.randrange(14, 90)))
        foster = "1" if rng.random() < 0.1 else "0"
        ad1.append(
            [
                child,
                _d(born[child]),
                _d(decided),
                _d(match),
                foster,
                rng.choice(("1", "2", "2")),
                rng.choice(("MF", "MF", "FF", "MM", "F1")),
                rng.choice(("L0", "L1", "L2")),
            ]
        )
        placed.append([child, _d(born[child]), _d(decided), _d(period["end"]), rows[-1].REC])

    oc3 = frames["OC3"].copy()
    left_foster_at_18 = {
        p["child"]
        for p in care
        if p["end"] is not None
        and p["episodes"][-1].PLACE.startswith("U")
        and born[p["child"]] is not None
        and p["end"] == _birthday(born[p["child"]], 18)
    }
    for index, child, accom in zip(oc3.index, oc3["CHILD"], oc3["ACCOM"], strict=True):
        if child in left_foster_at_18 and accom not in ("", "0") and rng.random() < STAYING_PUT:
            oc3.loc[index, "ACCOM"] = "Z" + accom[-1]

    def frame(name: str, rows: list[list[str]]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=TABLES[name].names)

    return {
        "OC3": oc3,
        "OC2": frame("OC2", oc2),
        "Reviews": frame("Reviews", reviews),
        "SWEpisodes": frame("SWEpisodes", sw),
        "AD1": frame("AD1", ad1),
        "PlacedAdoption": frame("PlacedAdoption", placed),
        "PrevPerm": frame("PrevPerm", prev),
    }


def _birthday(born: dt.date, age: int) -> dt.date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # 29 February
        return dt.date(born.year + age, 3, 1)
