from cpb_dash.formatting import format_change, format_number, format_value, round_half_up


def test_round_half_up_matches_the_dfe_not_python():
    assert round(10.25, 1) == 10.2  # Python rounds half to even...
    assert round_half_up(10.25, 1) == 10.3  # ...the DfE shows 10.3
    assert round_half_up(2.5) == 3
    # Hackney's 2025 vacancy rate: 66 / (66 + 193.3) = 25.4532... published 25.5 (csww_indicators_2017_to_2025.csv)
    assert round_half_up(66 / (66 + 193.3) * 100, 1) == 25.5
    assert round_half_up(25.45, 1) == 25.5


def test_british_formatting():
    assert format_number(1234.4) == "1,234"
    assert format_value(12.345, "%", 1) == "12.3%"
    assert format_value(64.96, "per 10,000", 0) == "65 per 10,000"
    assert format_value(None, "%", 1, "c") == "c"
    assert format_value(float("nan"), "%", 1) == "x"


def test_changes_say_points_for_percentages():
    assert format_change(1.25, "%", 1) == "+1.3 points"
    assert format_change(-32, "children") == "-32"
    assert format_change(0.04, "%", 1) == "no change"
