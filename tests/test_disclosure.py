import datetime as dt

import pandas as pd

from cpb_dash import disclosure
from tests.conftest import count_rows

DAY = dt.date(2025, 3, 31)


def _legal_status(detained: float) -> pd.DataFrame:
    return count_rows(
        DAY,
        [
            ("cla", 352),
            ("cla", "Legal status", "Full care order", 207),
            ("cla", "Legal status", "Interim care order", 63),
            ("cla", "Legal status", "Voluntary agreements under S20 CA 1989", 61),
            ("cla", "Legal status", "Placement order granted", 14),
            ("cla", "Legal status", "Detained for child protection", detained),
            ("cla", "Legal status", "Youth justice legal statuses", 7 - detained),
        ],
    )


def _shown(frame: pd.DataFrame, breakdown: str) -> tuple:
    row = frame[frame["breakdown"] == breakdown].iloc[0]
    return (None if pd.isna(row["value"]) else row["value"], row["symbol"])


def test_a_count_of_3_shows_c_and_the_total_stays():
    safe = disclosure.suppress(_legal_status(3), threshold=5)
    assert _shown(safe, "Detained for child protection") == (None, "c")
    assert _shown(safe, "Total") == (352, None)
    assert disclosure.is_safe(safe, 5)


def test_a_lone_hidden_cell_gets_a_secondary_so_the_total_cannot_reveal_it():
    # 3 detained, 4 youth justice: both under the threshold -> both hidden, no secondary needed
    both = disclosure.suppress(_legal_status(3), threshold=5)
    assert (both["symbol"] == "c").sum() == 2
    # 2 detained, 5 youth justice -> both small; now make only one small:
    one = _legal_status(3)
    one.loc[one["breakdown"] == "Youth justice legal statuses", "value"] = 20
    one.loc[one["breakdown"] == "Total", "value"] = 368
    safe = disclosure.suppress(one, threshold=5)
    hidden = safe[safe["symbol"] == "c"]["breakdown"].tolist()
    # the next smallest (14, placement order) is hidden too, so 352 - others cannot reveal the 3
    assert hidden == ["Placement order granted", "Detained for child protection"]
    assert disclosure.is_safe(safe, 5)
    assert not disclosure.is_safe(one, 5)


def test_zeros_and_large_counts_are_not_suppressed():
    frame = _legal_status(0)
    frame.loc[frame["breakdown"] == "Youth justice legal statuses", "value"] = 7
    safe = disclosure.suppress(frame, threshold=5)
    assert _shown(safe, "Detained for child protection") == (0, None)
    assert _shown(safe, "Youth justice legal statuses") == (7, None)


def test_the_threshold_is_configurable():
    safe = disclosure.suppress(_legal_status(3), threshold=2)
    assert _shown(safe, "Detained for child protection") == (3, None)


def test_the_input_is_not_changed():
    frame = _legal_status(3)
    before = frame.copy()
    disclosure.suppress(frame, threshold=5)
    pd.testing.assert_frame_equal(frame, before)


def test_a_role_by_ethnicity_grid_is_protected_along_rows_and_columns():
    # Practitioner: White 3 is hidden. Its row (practitioners) and its column (White across roles) would each
    # reveal it by subtraction unless another cell in that row and in that column is hidden too.
    cells = {
        ("Practitioner", "White"): 3,
        ("Practitioner", "Asian or Asian British"): 20,
        ("Practitioner", "Other ethnic group"): 30,
        ("Manager", "White"): 12,
        ("Manager", "Asian or Asian British"): 9,
        ("Manager", "Other ethnic group"): 15,
    }
    rows = [("inpost_headcount", 89)]
    rows += [
        ("inpost_headcount", "Role and ethnicity", f"{role}: {group}", value) for (role, group), value in cells.items()
    ]
    safe = disclosure.suppress(count_rows(DAY, rows), threshold=5)
    hidden = set(safe.loc[safe["symbol"] == "c", "breakdown"])
    assert "Practitioner: White" in hidden
    assert any(h.startswith("Practitioner:") and h != "Practitioner: White" for h in hidden)
    assert any(h.endswith(": White") and h != "Practitioner: White" for h in hidden)
    assert disclosure.is_safe(safe, 5)
    assert _shown(safe, "Total") == (89, None)


def test_the_sample_data_is_safe_after_suppression_in_every_dataset():
    from cpb_dash import catalogue
    from cpb_dash.store import Store
    from tests.conftest import FIXTURES

    store = Store(FIXTURES)
    for dataset in catalogue.COUNT_DATASETS:
        assert disclosure.is_safe(disclosure.suppress(store.read_current(dataset), 5), 5), dataset


def test_role_by_group_hides_enough_cells_that_no_hidden_one_can_be_worked_out():
    # Hand calculation, threshold 5. Headcount by role (A, B) x group (X, Y, Z):
    #   A: X=3 Y=20 Z=25      B: X=10 Y=30 Z=40      group totals X=13 Y=50 Z=65 (shown, all above 5)
    # A:X is small (c). Row A would give it away: hide A's smallest other, Y. Column X then has one hidden: hide
    # B:X. Column Y has one hidden (A:Y): hide B:Y. Nothing else is needed; Z stays shown.
    from cpb_dash.disclosure import suppress_role_by_group

    values = {("A", "X"): 3, ("A", "Y"): 20, ("A", "Z"): 25, ("B", "X"): 10, ("B", "Y"): 30, ("B", "Z"): 40}

    def frame(hide_small: bool) -> pd.DataFrame:
        rows = [
            {
                "period_end": pd.Timestamp("2025-09-30"),
                "measure": "inpost_headcount",
                "breakdown_topic": "Role and ethnicity",
                "breakdown": f"{r}: {g}",
                "value": float("nan") if hide_small and v <= 5 else float(v),
                "symbol": "c" if hide_small and v <= 5 else None,
            }
            for (r, g), v in values.items()
        ]
        return pd.DataFrame(rows)

    grid, symbols, totals, total_symbols = suppress_role_by_group(
        frame(False), frame(True), ["A", "B"], ["X", "Y", "Z"], 5
    )
    hidden = {(r, g) for r in "AB" for g in "XYZ" if symbols.loc[r, g] == "c"}
    assert hidden == {("A", "X"), ("A", "Y"), ("B", "X"), ("B", "Y")}
    assert symbols.loc["A", "Z"] is None and grid.loc["A", "Z"] == 25
    assert totals.to_dict() == {"X": 13, "Y": 50, "Z": 65} and total_symbols.isna().all()
