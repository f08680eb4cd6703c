import pandas as pd

from cpb_dash.export import csv_bytes


def test_csv_download_escapes_formula_cells_and_keeps_numbers():
    frame = pd.DataFrame(
        {
            "action": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "Plain text"],
            "value": [1.5, 2.0, -3.0, 4.0, 5.0],
        }
    )
    text = csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n'+1," in text and "\n'-2," in text and "\n'@SUM(A1)," in text
    assert "Plain text,5.0" in text
    assert ",-3.0" in text  # numbers are not text: a negative number stays a number


def test_csv_dates_are_iso():
    frame = pd.DataFrame({"period_end": pd.to_datetime(["2025-09-30"]), "value": [1]})
    assert "2025-09-30,1" in csv_bytes(frame).decode("utf-8-sig")
