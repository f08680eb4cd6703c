"""Sample targets and commentary for the bundled data: what officers would publish, written for the sample
quarters. Synthetic: the roles are generic and no person is named. Kept apart from fixtures.py (and its random
seed) so adding these leaves every other sample file byte-identical."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cpb_dash import board_notes, catalogue

HOS = "Head of Corporate Parenting"
WORKFORCE_LEAD = "Head of Workforce Development"

# (applies from, indicator, target, amber tolerance, set by, rationale). A later file replaces the targets it
# names: the 2025-26 targets tighten placement stability and the agency rate; the others stand from 2024-25.
TARGETS: tuple[tuple[dt.date, str, float, float | None, str, str | None], ...] = (
    (dt.date(2024, 6, 30), "agency_pct", 18.0, 3.0, WORKFORCE_LEAD, "Halve the gap to England over two years."),
    (dt.date(2024, 6, 30), "turnover_pct", 14.0, 2.0, WORKFORCE_LEAD, None),
    (dt.date(2024, 6, 30), "caseload_avg", 15.0, 1.0, WORKFORCE_LEAD, "Manageable caseloads (action P5.06)."),
    (dt.date(2024, 6, 30), "ltstab_pct", 68.0, 4.0, HOS, None),
    (dt.date(2024, 6, 30), "health_assessment_pct", 90.0, 5.0, HOS, "The health partnership's agreed standard."),
    (dt.date(2024, 6, 30), "reviews_on_time_pct", 95.0, 3.0, HOS, None),
    (
        dt.date(2025, 6, 30),
        "agency_pct",
        15.0,
        3.0,
        WORKFORCE_LEAD,
        "Tightened for 2025-26: the permanent recruitment campaign (action P5.01) is under way.",
    ),
    (dt.date(2025, 6, 30), "ltstab_pct", 70.0, 5.0, HOS, "Tightened for 2025-26, towards the best London councils."),
    (dt.date(2025, 6, 30), "stab_3plus_pct", 9.0, 2.0, HOS, "At or better than England."),
    (dt.date(2025, 6, 30), "cl_19_21_eet_pct", 60.0, 5.0, HOS, "Care leavers' education and work offer."),
)

COMMENTARY: dict[dt.date, dict[str, tuple[str, str]]] = {
    dt.date(2025, 9, 30): {
        "care_population": (
            HOS,
            "The number of children in care is steady. Fewer unaccompanied children arrived"
            " this quarter. We are reviewing why Black and mixed-heritage children are still"
            " over-represented, as the action plan's first priority sets out.",
        ),
        "placement_stability": (
            HOS,
            "Long-term stability is above target. Children placed more than 20 miles away"
            " remain a concern: two new local foster carers were approved this quarter.",
        ),
        "health_wellbeing": (
            "Designated Nurse for Children in Care",
            "Health assessments recovered after the"
            " summer. Dental checks are still below where we want them; a dental pathway with"
            " the local trust starts next quarter.",
        ),
        "leaving_care": (
            "Head of Leaving Care",
            "More care leavers aged 17 to 18 are in education, employment or"
            " training. Staying put arrangements are stable.",
        ),
        "childrens_voice": (
            "Head of Independent Reviewing Service",
            "Most reviews happened on time. We are"
            " working with the Children in Care Council on how children take part.",
        ),
        "workforce": (
            WORKFORCE_LEAD,
            "Agency use has fallen for three quarters but is still well above England"
            " and our target. Vacancies remain high; a recruitment campaign for permanent social"
            " workers runs until March.",
        ),
        "action_plan": (
            "Children's Action Plan programme lead",
            "Most actions are on track. The actions at risk"
            " depend on recruitment; the Board will hear an update at its next meeting.",
        ),
    },
    dt.date(2025, 6, 30): {
        "workforce": (WORKFORCE_LEAD, "Agency use is falling slowly. New targets for 2025-26 apply from this quarter."),
        "placement_stability": (HOS, "Placement stability improved this quarter."),
    },
}


def build() -> dict[tuple[str, dt.date], pd.DataFrame]:
    """The sample targets and commentary files, one per (dataset, quarter end)."""
    out: dict[tuple[str, dt.date], pd.DataFrame] = {}
    for day in sorted({t[0] for t in TARGETS}):
        rows = [t for t in TARGETS if t[0] == day]
        frame = pd.DataFrame(rows, columns=board_notes.TARGET_COLUMNS)
        frame["period_end"] = pd.Timestamp(day)
        out[(catalogue.TARGETS, day)] = frame
    for day, areas in COMMENTARY.items():
        frame = pd.DataFrame(
            [(day, area, role, text) for area, (role, text) in areas.items()], columns=board_notes.COMMENTARY_COLUMNS
        )
        frame["period_end"] = pd.Timestamp(day)
        out[(catalogue.COMMENTARY, day)] = frame
    return out
