"""A synthetic SSDA903 extract, Hackney-sized and deterministic: invented children with obviously fake ids.

About 150 children start to be looked after each year (times `scale`), stay from weeks to years, move placement,
change legal status (interim to full care orders, placement orders and adoption), leave and sometimes return;
some have only short breaks (V3), which the DfE's counts exclude. Homes are in Hackney; placements in Hackney,
elsewhere in London and further away, by postcode sector (each child's postcode is a sector plus an invented
unit, so the postcode directory places it at its sector). The parameters are tuned so the derived figures sit
near Hackney's published ones (about 350 looked after, 12% with 3+ placements, 70% long-term stability).

    python -m cpb_dash.intake.synthetic_903 OUT_DIR [--years 7] [--scale 1] [--seed 903] [--zip | --xml]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from cpb_dash.intake import synthetic_903_outcomes
from cpb_dash.intake.ssda903_spec import (
    DATE_FORMAT,
    TABLES,
    XML_CHILD,
    XML_GROUPS,
    XML_HEADER,
    XML_HEADER_TABLES,
    XML_RENAMED,
    XML_ROOT,
    XML_UASC_FLAG,
)

HACKNEY_SECTORS = (
    "E8 1",
    "E8 2",
    "E8 3",
    "E8 4",
    "E5 0",
    "E5 8",
    "E5 9",
    "E9 5",
    "E9 6",
    "E9 7",
    "N16 0",
    "N16 6",
    "N16 7",
    "N16 8",
    "N1 5",
    "E2 8",
)
LONDON_SECTORS = (
    "E17 4",
    "N17 6",
    "E15 4",
    "SE15 5",
    "N9 0",
    "RM8 1",
    "IG1 1",
    "E4 9",
    "N22 5",
    "SE18 6",
    "CR0 1",
    "DA1 1",
    "EN3 4",
    "E6 1",
    "N15 4",
    "E10 5",
    "SE6 4",
    "HA0 1",
    "UB3 1",
    "TW3 1",
)
FAR_SECTORS = (
    "ME1 1",
    "CM1 1",
    "LU1 1",
    "CT1 1",
    "MK9 1",
    "BN1 1",
    "CB1 1",
    "NR1 1",
    "B1 1",
    "CF10 1",
    "SS1 1",
    "CO1 1",
    "OX1 1",
)
ETHNIC_WEIGHTS = {
    "BAFR": 14,
    "BCRB": 14,
    "BOTH": 10,
    "MWBC": 11,
    "MWBA": 4,
    "MWAS": 2,
    "MOTH": 6,
    "WBRI": 12,
    "WOTH": 10,
    "WROM": 1,
    "AIND": 1,
    "ABAN": 3,
    "APKN": 1,
    "AOTH": 3,
    "OOTH": 4,
    "CHNE": 1,
    "REFU": 1,
}
ENTRY_AGE = ((0, 1, 15), (1, 5, 8), (5, 10, 11), (10, 16, 30), (16, 18, 36))  # age band and % of starts


@dataclass(frozen=True)
class Extract:
    tables: dict[str, pd.DataFrame]  # every cell as text, in the DfE's layout
    first_day: dt.date
    last_day: dt.date

    def csv_files(self) -> list[tuple[str, bytes]]:
        return [(f"{name}.csv", frame.to_csv(index=False).encode()) for name, frame in self.tables.items()]

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.csv_files():
                entry = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))  # a fixed date: the same bytes
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, data)
        return buffer.getvalue()

    def xml_bytes(self) -> bytes:
        return xml_from_tables(self.tables)


def xml_from_tables(tables: dict[str, pd.DataFrame]) -> bytes:
    """The same return as the DfE's XML (ssda903_spec's XML layout), from its tables as text: one CHILD per Header
    row, its HEADER holding the Header items, the UASC flag and date, the OC3 and AD1 items and the groups."""
    element_for = {column: element for element, column in XML_RENAMED.items()}
    group_for = {table: element for element, table in XML_GROUPS.items()}
    by_child = {
        name: {child: rows.to_dict("records") for child, rows in frame.groupby("CHILD", sort=False)}
        for name, frame in tables.items()
    }
    root = ElementTree.Element(XML_ROOT)

    def items(parent: ElementTree.Element, row: dict, columns) -> None:
        for column in columns:
            ElementTree.SubElement(parent, element_for.get(column, column)).text = str(row.get(column, "") or "")

    for row in tables["Header"].to_dict("records"):
        child = row["CHILD"]
        node = ElementTree.SubElement(root, XML_CHILD)
        header = ElementTree.SubElement(node, XML_HEADER)
        items(header, row, [c for c in TABLES["Header"].names if c not in ("MOTHER", "MC_DOB")])
        uasc = by_child.get("UASC", {}).get(child)
        ElementTree.SubElement(header, XML_UASC_FLAG).text = "1" if uasc else "0"
        if uasc:
            items(header, uasc[0], ["DUC"])
        for table in XML_HEADER_TABLES:
            for extra in by_child.get(table, {}).get(child, [])[:1]:
                items(header, extra, [c for c in TABLES[table].names if c not in ("CHILD", "DOB")])
        for table in ("Reviews", "Missing"):
            for extra in by_child.get(table, {}).get(child, []):
                group = ElementTree.SubElement(header, group_for[table])
                items(group, extra, [c for c in TABLES[table].names if c not in ("CHILD", "DOB")])
        items(header, row, ["MOTHER", "MC_DOB"])
        for table in ("PrevPerm", "OC2", "PlacedAdoption"):
            for extra in by_child.get(table, {}).get(child, []):
                group = ElementTree.SubElement(header, group_for[table])
                items(group, extra, [c for c in TABLES[table].names if c not in ("CHILD", "DOB")])
        for episode in by_child.get("Episodes", {}).get(child, []):
            group = ElementTree.SubElement(node, group_for["Episodes"])
            items(group, episode, [c for c in TABLES["Episodes"].names if c != "CHILD"])
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _d(day: dt.date | None) -> str:
    return "" if day is None else day.strftime(DATE_FORMAT)


def _birthday(born: dt.date, age: int) -> dt.date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # 29 February
        return dt.date(born.year + age, 3, 1)


def _postcode(rng: random.Random, sector: str) -> str:
    return f"{sector}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def generate(
    years: int = 7,
    scale: float = 1.0,
    seed: int = 903,
    last_day: dt.date = dt.date(2025, 9, 30),
    first_day: dt.date | None = None,
) -> Extract:
    """An extract covering `years` collection years up to `last_day` (earlier episodes that ended are dropped,
    as a return drops them), with `scale` times Hackney's volume."""
    rng = random.Random(seed)
    if first_day is None:
        start_year = last_day.year - years + (0 if last_day.month <= 3 else 1)
        first_day = dt.date(start_year - (0 if last_day.month > 3 else 0), 4, 1)
    burn_in = first_day - dt.timedelta(days=365 * 12)
    span = (last_day - burn_in).days
    starts = int(span / 365.25 * 225 * scale)
    header, episodes, uasc, missing, oc3 = [], [], [], [], []
    serial = 0
    for _ in range(starts):
        serial += 1
        child = f"FAKE{serial:06d}"
        entry = burn_in + dt.timedelta(days=rng.randrange(span))
        if rng.random() > 1 - 0.05 * max(0, entry.year - 2020):  # fewer starts since 2021, as in Hackney
            continue
        low, high, _w = rng.choices(ENTRY_AGE, weights=[w for *_, w in ENTRY_AGE])[0]
        age_days = rng.randrange(low * 365, high * 365 - 20) if high > 1 else rng.randrange(0, 360)
        born = entry - dt.timedelta(days=age_days)
        is_uasc = age_days >= 14 * 365 and rng.random() < 0.35
        # Coded as a return made now codes it (M and F since 2024-25; 1 and 2 before).
        sex = "M" if (is_uasc and rng.random() < 0.9) or rng.random() < 0.53 else "F"
        ethnic = rng.choices(list(ETHNIC_WEIGHTS), weights=list(ETHNIC_WEIGHTS.values()))[0]
        if is_uasc:
            ethnic = rng.choice(("BAFR", "AOTH", "OOTH", "WOTH"))
        home = _postcode(rng, rng.choice(HACKNEY_SECTORS))
        if rng.random() < 0.06:  # short breaks only: a series of V3 episodes, excluded from every count
            day = entry
            for _ in range(rng.randrange(2, 6)):
                if day >= last_day:
                    break
                end = min(day + dt.timedelta(days=rng.randrange(2, 8)), last_day)
                episodes.append(
                    [
                        child,
                        _d(day),
                        "S",
                        "V3",
                        "N1",
                        "K2",
                        "PR1",
                        _d(end),
                        "E13",
                        "",
                        home,
                        _postcode(rng, rng.choice(HACKNEY_SECTORS)),
                        "",
                    ]
                )
                day = end + dt.timedelta(days=rng.randrange(30, 120))
            header.append([child, sex, _d(born), ethnic, "", "", ""])
            continue
        periods_of_care = [entry]
        if rng.random() < 0.07:  # leaves and returns
            periods_of_care.append(None)
        ceased_at = None
        wrote_any = False
        for period_no, begun in enumerate(periods_of_care):
            if begun is None:
                if ceased_at is None:
                    break
                begun = ceased_at + dt.timedelta(days=rng.randrange(60, 700))
            if begun >= last_day:
                break
            age_now = (begun - born).days / 365.25
            eighteen = _birthday(born, 18)
            if begun >= eighteen:
                break
            kind = rng.random()
            if kind < 0.30:
                stay = rng.randrange(14, 180)
            elif kind < 0.62:
                stay = rng.randrange(180, 730)
            else:
                stay = rng.randrange(730, 365 * 14)
            finish = min(begun + dt.timedelta(days=stay), eighteen)
            adopted = age_now < 4 and stay > 500 and rng.random() < 0.25
            rows, ceased_at = _period(rng, child, begun, finish, born, home, age_now, adopted, is_uasc, last_day)
            episodes.extend(rows)
            wrote_any = True
            if period_no == 0 and age_now >= 11:
                _missing(rng, child, born, begun, min(finish, last_day), missing)
            if ceased_at is not None and (ceased_at - begun).days >= 91 and (ceased_at - born).days >= 16 * 365:
                _care_leaver(rng, child, born, last_day, oc3)
        if wrote_any:
            header.append([child, sex, _d(born), ethnic, "", "", ""])
            if is_uasc:
                ceased = _birthday(born, 18)
                uasc.append([child, sex, _d(born), _d(ceased if ceased <= last_day else None)])
    frames = {
        "Header": pd.DataFrame(header, columns=TABLES["Header"].names),
        "Episodes": pd.DataFrame(episodes, columns=TABLES["Episodes"].names),
        "UASC": pd.DataFrame(uasc, columns=TABLES["UASC"].names),
        "Missing": pd.DataFrame(missing, columns=TABLES["Missing"].names),
        # OC3 has one row per young person (the DfE's layout; the XML has room for no more): a child who left
        # care twice keeps the later leaving's row.
        "OC3": pd.DataFrame(oc3, columns=TABLES["OC3"].names).drop_duplicates("CHILD", keep="last"),
    }
    windowed = _window(frames, first_day, last_day)
    windowed.update(synthetic_903_outcomes.outcome_tables(windowed, first_day, last_day, seed))
    return Extract(windowed, first_day, last_day)


def _period(
    rng: random.Random,
    child: str,
    begun: dt.date,
    finish: dt.date,
    born: dt.date,
    home: str,
    age: float,
    adopted: bool,
    is_uasc: bool,
    last_day: dt.date,
) -> tuple[list[list[str]], dt.date | None]:
    """One period of care as episodes: placements and legal-status changes from `begun` to `finish`."""
    rows: list[list[str]] = []
    if is_uasc:
        legal = "V2"
    else:
        legal = rng.choices(("C1", "V2", "L2", "J2"), weights=(62, 28, 7, 3))[0]
    day, rne = begun, "S"
    place = _placement_type(rng, age, legal)
    where = _where(rng, home, place)
    legal_change = (
        begun + dt.timedelta(days=rng.randrange(150, 420))
        if legal in ("C1", "L2") or (legal == "V2" and not is_uasc and rng.random() < 0.4)
        else None
    )
    placed_for_adoption = begun + dt.timedelta(days=rng.randrange(300, 500)) if adopted else None
    if placed_for_adoption:  # adoption orders follow placement within months
        finish = min(finish, placed_for_adoption + dt.timedelta(days=rng.randrange(120, 400)))
    while True:
        years_in = (day - begun).days / 365.25
        rate = 1.7 if years_in < 1 else 0.09  # placement moves a year: most come early in care
        next_move = day + dt.timedelta(days=max(1, int(rng.expovariate(rate) * 365)))
        events = [(finish, "end")]
        if not adopted or (placed_for_adoption and day >= placed_for_adoption):
            events.append((next_move, "move"))
        if legal_change and legal_change > day:
            events.append((legal_change, "legal"))
        if placed_for_adoption and placed_for_adoption > day:
            events.append((placed_for_adoption, "adopt"))
        when, what = min(events)
        if what == "move" and place in ("A3", "A4", "A5", "A6"):
            when, what = finish, "end"
        ended = when if when <= last_day else None
        reason = ""
        if what == "end":
            rec = (
                "E11"
                if place.startswith("A")
                else ("E8" if when >= _birthday(born, 18) else rng.choice(("E13", "E13", "E45", "E41", "E8")))
            )
        else:
            rec = "X1"
        if ended is None:
            rec = ""
        if rne == "P":
            reason = rng.choice(("CARPL", "CHILD", "LAREQ", "STAND", "OTHER"))
        place = _code_in_force(place, day)
        rows.append(
            [
                child,
                _d(day),
                rne,
                legal,
                "N8" if is_uasc else rng.choice(("N1", "N1", "N2", "N4", "N5")),
                place,
                "PR4" if place in ("K2", "H5", "P2", "K3") else rng.choice(("PR1", "PR1", "PR4")),
                _d(ended),
                rec,
                reason,
                home,
                where,
                "",
            ]
        )
        if ended is None or what == "end":
            return rows, ended
        day = when
        if what == "legal":
            legal, rne = ("E1" if adopted else "C2"), "L"
            legal_change = None
        elif what == "adopt":
            legal, rne, place = "E1", "B", rng.choice(("A5", "A6", "A3"))
            where = _where(rng, home, place)
        else:
            rne = "P"
            place = _placement_type(rng, (day - born).days / 365.25, legal)
            where = _where(rng, home, place)


def _code_in_force(place: str, day: dt.date) -> str:
    """The independent and semi-independent codes as the return had them when the episode began: P2 invalid from
    28 October 2023 (recorded as H5, with the provider's Ofsted number), K3 (supported accommodation) for both
    from the 2024-25 collection (ssda903_spec.PLACE)."""
    if place in ("H5", "P2") and day >= dt.date(2024, 4, 1):
        return "K3"
    if place == "P2" and day >= dt.date(2023, 10, 28):
        return "H5"
    return place


def _placement_type(rng: random.Random, age: float, legal: str) -> str:
    if legal == "J2":
        return rng.choice(("K1", "R5", "U4"))
    if age >= 16:
        return rng.choices(("U4", "U1", "H5", "P2", "K2", "P1", "Z1"), weights=(38, 8, 30, 8, 9, 2, 3))[0]
    if age >= 11:
        return rng.choices(("U4", "U1", "U6", "K2", "R1", "S1", "P1", "Z1"), weights=(58, 12, 6, 14, 3, 2, 2, 3))[0]
    return rng.choices(("U4", "U1", "U6", "U3", "P1", "R3", "K2"), weights=(60, 20, 8, 4, 3, 3, 2))[0]


def _where(rng: random.Random, home: str, place: str) -> str:
    r = rng.random()
    if place in ("P1",) or r < 0.27:
        return _postcode(rng, rng.choice(HACKNEY_SECTORS)) if place != "P1" else home
    if r < 0.91:
        return _postcode(rng, rng.choice(LONDON_SECTORS))
    return _postcode(rng, rng.choice(FAR_SECTORS))


def _missing(
    rng: random.Random, child: str, born: dt.date, begun: dt.date, finish: dt.date, rows: list[list[str]]
) -> None:
    if rng.random() > 0.35:
        return
    day = begun
    while True:
        day = day + dt.timedelta(days=int(rng.expovariate(4.0) * 365) + 1)
        if day >= finish:
            return
        back = day + dt.timedelta(days=rng.randrange(0, 4))
        rows.append([child, _d(born), "M" if rng.random() < 0.8 else "A", _d(day), _d(min(back, finish))])


def _care_leaver(rng: random.Random, child: str, born: dt.date, last_day: dt.date, rows: list[list[str]]) -> None:
    """OC3 row for the last collection year, for a young person who left care at 18 and is 17 to 21 then."""
    year_end = dt.date(last_day.year if last_day.month > 3 else last_day.year - 1, 3, 31)
    if not any(dt.date(year_end.year - 1, 4, 1) <= _birthday(born, a) <= year_end for a in (17, 18, 19, 20, 21)):
        return
    touch = rng.choices(("YES", "NO", "REFU"), weights=(92, 5, 3))[0]
    activ = rng.choices(("F1", "F2", "F5", "P5", "F4", "G4", "G5", "G6"), weights=(8, 16, 18, 9, 6, 9, 28, 6))[0]
    accom = rng.choice("BCDEGHKRSTUVWXYZ") + ("1" if rng.random() < 0.86 else "2")
    rows.append([child, _d(born), touch, activ if touch == "YES" else "0", accom if touch == "YES" else "0"])


def _window(frames: dict[str, pd.DataFrame], first_day: dt.date, last_day: dt.date) -> dict[str, pd.DataFrame]:
    """Keep what a return covering first_day..last_day holds: episodes open on or after first_day."""
    episodes = frames["Episodes"]
    ended = pd.to_datetime(episodes["DEC"], format=DATE_FORMAT, errors="coerce")
    kept = episodes[ended.isna() | (ended >= pd.Timestamp(first_day))].reset_index(drop=True)
    children = set(kept["CHILD"]) | set(frames["OC3"]["CHILD"])
    out = {
        "Header": frames["Header"][frames["Header"]["CHILD"].isin(children)].reset_index(drop=True),
        "Episodes": kept,
    }
    for name in ("UASC", "Missing", "OC3"):
        frame = frames[name][frames[name]["CHILD"].isin(children)]
        if name == "Missing":
            frame = frame[pd.to_datetime(frame["MIS_START"], format=DATE_FORMAT) >= pd.Timestamp(first_day)]
        out[name] = frame.reset_index(drop=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cpb_dash.intake.synthetic_903", description=__doc__)
    parser.add_argument("out")
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=903)
    parser.add_argument("--zip", action="store_true", help="write one zip instead of one CSV per table")
    parser.add_argument("--xml", action="store_true", help="write the DfE's XML (one file) instead of CSV files")
    args = parser.parse_args(argv)
    extract = generate(args.years, args.scale, args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.zip:
        (out / "ssda903.zip").write_bytes(extract.zip_bytes())
    elif args.xml:
        (out / "ssda903.xml").write_bytes(extract.xml_bytes())
    else:
        for name, data in extract.csv_files():
            (out / name).write_bytes(data)
    print(
        f"Wrote a synthetic SSDA903 extract ({len(extract.tables['Header']):,} children,"
        f" {len(extract.tables['Episodes']):,} episodes) to {out}."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
