"""The workforce page: service areas, role by ethnicity (suppressed), and the comparison with the people served."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cpb_dash import catalogue, disclosure, indicators
from cpb_dash.catalogue import TOTAL
from cpb_dash.formatting import format_value
from cpb_dash.views.bundle import Bundle, per_bundle
from cpb_dash.views.trends import breakdown_table

WORKFORCE_INDICATORS: tuple[str, ...] = (
    "inpost_fte",
    "turnover_pct",
    "agency_pct",
    "vacancy_pct",
    "caseload_avg",
    "absence_pct",
)


SERVICE_AREA = "Service area"


ALL_SERVICE_AREAS = "All service areas"


@per_bundle
def service_area_breakdown(bundle: Bundle, indicator_id: str, period_end: dt.date) -> pd.DataFrame:
    """One workforce indicator by service area for a quarter: service_area, value, symbol, shown.

    Derived by the catalogue formula from the disclosure-controlled counts at each service area (a hidden count
    hides the figure built from it), in the catalogue's order, with Hackney's overall figure last.
    """
    ind = catalogue.INDICATORS[indicator_id]
    rows = bundle.indicators[
        (bundle.indicators["indicator"] == indicator_id) & (bundle.indicators["period_end"] == pd.Timestamp(period_end))
    ]
    by_area = rows[rows["breakdown_topic"] == SERVICE_AREA].set_index("breakdown")
    total = rows[rows["breakdown_topic"] == TOTAL]
    records = []
    if by_area.empty:
        return pd.DataFrame(columns=["service_area", "value", "symbol", "shown"])
    for area in (*catalogue.SERVICE_AREAS, ALL_SERVICE_AREAS):
        source = total if area == ALL_SERVICE_AREAS else (by_area.loc[[area]] if area in by_area.index else None)
        if source is None or source.empty:
            value, symbol = float("nan"), "x"  # not in the upload: not available, never zero
        else:
            value = float(source["value"].iloc[0]) if pd.notna(source["value"].iloc[0]) else float("nan")
            raw_symbol = source["symbol"].iloc[0]
            symbol = raw_symbol if isinstance(raw_symbol, str) else None
        records.append(
            {
                "service_area": area,
                "value": value,
                "symbol": symbol,
                "shown": format_value(value, ind.unit, ind.dps, symbol),
            }
        )
    return pd.DataFrame.from_records(records, columns=["service_area", "value", "symbol", "shown"])


@per_bundle
def service_area_summary(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """Every workforce indicator by service area, as a councillor reads it: one row per service area, one
    column per indicator (figures formatted, symbols kept)."""
    table = pd.DataFrame({"Service area": [*catalogue.SERVICE_AREAS, ALL_SERVICE_AREAS]})
    for indicator_id in WORKFORCE_INDICATORS:
        ind = catalogue.INDICATORS[indicator_id]
        breakdown = service_area_breakdown(bundle, indicator_id, period_end)
        shown = dict(zip(breakdown["service_area"], breakdown["shown"], strict=True))
        table[ind.short_label] = [shown.get(area, "x") for area in table["Service area"]]
    return table


ROLE_COLUMNS = ["role", "group", "count", "symbol", "shown"]


ALL_SOCIAL_WORKERS = "All social workers"


POPULATION_LABEL = "Hackney population (Census 2021, all ages)"


CHILDREN_IN_CARE_LABEL = "Children in care"


ETHNICITY_COLUMNS = ["series", "group", "count", "share_pct", "symbol", "shown_count", "shown_share"]


def _symbol_or_none(symbol: object) -> str | None:
    return symbol if isinstance(symbol, str) else None


@per_bundle
def workforce_by_role_and_ethnicity(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """Social workers' headcount by role and ethnic group, and all social workers by ethnic group, for a
    quarter, made safe to show (ETHNICITY_COLUMNS; `series` is a role or "All social workers").

    Starts from the disclosure-controlled counts (bundle.safe_counts), then hides more cells where a role's
    total or an ethnic group's total across roles would let a reader work a hidden cell out. A share is of
    the role's (or the whole workforce's) headcount, including people whose ethnicity is not recorded.
    """
    day = pd.Timestamp(period_end)
    safe = bundle.safe_counts["workforce"]
    raw = bundle.counts["workforce"]
    safe = safe[(safe["period_end"] == day) & (safe["measure"] == "inpost_headcount")]
    raw = raw[(raw["period_end"] == day) & (raw["measure"] == "inpost_headcount")]
    if safe["breakdown_topic"].ne("Role and ethnicity").all():
        return pd.DataFrame(columns=ETHNICITY_COLUMNS)
    grid, symbols, group_totals, group_symbols = disclosure.suppress_role_by_group(
        raw, safe, list(catalogue.ROLES), list(catalogue.ETHNICITIES), bundle.threshold
    )

    role_totals = safe[safe["breakdown_topic"] == "Role"].set_index("breakdown")
    headcount = safe.loc[safe["breakdown_topic"] == TOTAL, "value"]
    headcount = float(headcount.iloc[0]) if not headcount.empty else float("nan")
    records = []
    for role in catalogue.ROLES:
        role_total = float(role_totals["value"].get(role, np.nan)) if role in role_totals.index else np.nan
        for group in catalogue.ETHNICITIES:
            symbol = symbols.loc[role, group]
            count = np.nan if symbol else float(grid.loc[role, group])
            records.append((role, group, count, indicators.percent(count, role_total), symbol))
    for group in catalogue.ETHNICITIES:
        symbol = group_symbols[group]
        count = np.nan if symbol else float(group_totals[group])
        records.append((ALL_SOCIAL_WORKERS, group, count, indicators.percent(count, headcount), symbol))
    out = pd.DataFrame.from_records(records, columns=["series", "group", "count", "share_pct", "symbol"])
    out["symbol"] = pd.Series([_symbol_or_none(s) for s in out["symbol"]], dtype="object")
    out["shown_count"] = [format_value(v, "", 0, s) for v, s in zip(out["count"], out["symbol"], strict=True)]
    out["shown_share"] = [format_value(v, "%", 0, s) for v, s in zip(out["share_pct"], out["symbol"], strict=True)]
    return out[ETHNICITY_COLUMNS]


@per_bundle
def children_in_care_by_ethnicity(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """Children in care by ethnic group at the quarter end, disclosure-controlled (ETHNICITY_COLUMNS)."""
    table = breakdown_table(bundle, "care_population", "cla", "Ethnicity", period_end)
    out = pd.DataFrame(
        {
            "series": CHILDREN_IN_CARE_LABEL,
            "group": table["breakdown"],
            "count": table["value"],
            "share_pct": table["share_pct"],
            "symbol": table["symbol"],
        }
    )
    out["symbol"] = pd.Series([_symbol_or_none(s) for s in out["symbol"]], dtype="object")
    out["shown_count"] = [format_value(v, "", 0, s) for v, s in zip(out["count"], out["symbol"], strict=True)]
    out["shown_share"] = [format_value(v, "%", 0, s) for v, s in zip(out["share_pct"], out["symbol"], strict=True)]
    return out[ETHNICITY_COLUMNS]


def population_by_ethnicity() -> pd.DataFrame:
    """Hackney's residents of all ages by ethnic group, Census 2021, as the DfE publishes it beside the
    workforce (ETHNICITY_COLUMNS; shares only)."""
    groups = list(catalogue.CENSUS_2021_ETHNICITY_PCT)
    shares_pct = [catalogue.CENSUS_2021_ETHNICITY_PCT[g] for g in groups]
    return pd.DataFrame(
        {
            "series": POPULATION_LABEL,
            "group": groups,
            "count": np.nan,
            "share_pct": shares_pct,
            "symbol": None,
            "shown_count": "",
            "shown_share": [format_value(v, "%", 1) for v in shares_pct],
        }
    )[ETHNICITY_COLUMNS]


def _ratio_text(ratio: float, symbol: str | None = None) -> str:
    """Two decimal places (1.00 = parity); the symbol of a hidden share; blank where nothing is compared."""
    if symbol:
        return symbol
    return "" if pd.isna(ratio) else format_value(ratio, "", 2)


@per_bundle
def workforce_ethnicity_table(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """The anti-racist lens as a table: each ethnic group's share at each role and of all social workers,
    with its disproportionality ratio (1.00 = parity) against all social workers, Hackney's population
    (Census 2021, all ages) and the children in care. Only groups the population has (not "refused")."""
    staff = workforce_by_role_and_ethnicity(bundle, period_end)
    if staff.empty:
        return pd.DataFrame()
    cla_rows = children_in_care_by_ethnicity(bundle, period_end).set_index("group")
    cla, cla_symbol = cla_rows["share_pct"], cla_rows["symbol"]
    population = pd.Series(catalogue.CENSUS_2021_ETHNICITY_PCT)
    all_sw = staff[staff["series"] == ALL_SOCIAL_WORKERS].set_index("group")
    all_sw, all_sw_symbol = all_sw["share_pct"], all_sw["symbol"]
    rows = []
    for series in (*catalogue.ROLES, ALL_SOCIAL_WORKERS):
        part = staff[staff["series"] == series].set_index("group")
        for group in catalogue.POPULATION_ETHNICITIES:
            symbol = _symbol_or_none(part.loc[group, "symbol"])
            share = np.nan if symbol else part.loc[group, "share_pct"]
            # Ratios of shares, exactly as the shares are written (no float drift before the one rounding).
            vs_all = indicators.percent(share, all_sw.get(group, np.nan), 1) if series != ALL_SOCIAL_WORKERS else np.nan
            vs_population = indicators.percent(share, population.get(group, np.nan), 1)
            vs_cla = indicators.percent(share, cla.get(group, np.nan), 1)
            rows.append(
                {
                    "Ethnic group": group,
                    "Social workers": series,
                    "Headcount": part.loc[group, "shown_count"],
                    "Share": part.loc[group, "shown_share"],
                    "Ratio to all social workers": _ratio_text(
                        vs_all,
                        None if series == ALL_SOCIAL_WORKERS else symbol or _symbol_or_none(all_sw_symbol[group]),
                    ),
                    "Ratio to population (Census 2021, all ages)": _ratio_text(vs_population, symbol),
                    "Ratio to children in care": _ratio_text(vs_cla, symbol or _symbol_or_none(cla_symbol.get(group))),
                }
            )
    return pd.DataFrame(rows)


_GROUP_SHORT = {
    "Black, African, Caribbean or Black British": "Black",
    "White": "White",
    "Mixed or Multiple ethnic groups": "Mixed-heritage",
    "Asian or Asian British": "Asian",
    "Other ethnic group": "Other ethnic group",
}


@per_bundle
def describe_role_ethnicity(bundle: Bundle, period_end: dt.date) -> str:
    """The finding of the grade-by-ethnicity chart, computed: the ethnic group whose share falls most from
    practitioners to managers ('Black staff are 45% of practitioners but 16% of managers'). Groups with a
    hidden share at either grade are left out, so a suppressed figure is never revealed by the sentence."""
    staff = workforce_by_role_and_ethnicity(bundle, period_end)
    if staff.empty:
        return ""
    shares = staff[staff["share_pct"].notna()].pivot(index="group", columns="series", values="shown_share")
    values = staff[staff["share_pct"].notna()].pivot(index="group", columns="series", values="share_pct")
    if not {"Practitioner", "Manager"} <= set(values.columns):
        return ""
    gap = (values["Practitioner"] - values["Manager"]).dropna()
    gap = gap[gap.index.isin(list(_GROUP_SHORT))]
    if gap.empty:
        return ""
    group = gap.idxmax()
    if gap[group] <= 0:
        return "No ethnic group is a smaller share of managers than of practitioners."
    name = _GROUP_SHORT[group]
    return (
        f"{name} staff are {shares.loc[group, 'Practitioner']} of practitioners but"
        f" {shares.loc[group, 'Manager']} of managers."
    )


@per_bundle
def ethnicity_comparison(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """Shares by ethnic group for the charts (ETHNICITY_COLUMNS): each role, all social workers, the
    population (Census 2021, all ages) and the children in care; groups the population has."""
    staff = workforce_by_role_and_ethnicity(bundle, period_end)
    if staff.empty:
        return pd.DataFrame(columns=ETHNICITY_COLUMNS)
    frame = pd.concat(
        [staff, population_by_ethnicity(), children_in_care_by_ethnicity(bundle, period_end)], ignore_index=True
    )
    return frame[frame["group"].isin(catalogue.POPULATION_ETHNICITIES)].reset_index(drop=True)
