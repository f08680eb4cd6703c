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
    assert format_change(1, "%") == "+1 point" and format_change(-0.5, "%") == "-1 point"
    assert format_change(2, "%") == "+2 points"


def test_one_exact_half_up_for_every_kind_of_number():
    from decimal import Decimal
    from fractions import Fraction

    assert round_half_up(1.005, 2) == 1.01  # the float written 1.005 stands for 1.005
    assert round_half_up(Decimal("1.005"), 2) == 1.01
    assert round_half_up(Fraction(115, 2)) == 58  # 46 / 80 x 100, exactly
    assert round_half_up(Fraction(-115, 2)) == -58  # half away from zero
    assert round_half_up(Fraction(1, 3), 2) == 0.33
    assert round_half_up(7) == 7


def test_a_figure_that_rounds_to_zero_but_is_not_zero_shows_low():
    # csww_indicators_2017_to_2025.csv, 2021, Rutland: 1 day lost over 21.7 FTE x 253 days is 0.018%: published `low`
    assert format_value(1 / (21.7 * 253) * 100, "%", 1) == "low"
    assert format_value(0.0, "%", 1) == "0.0%"
    assert format_value(0.05, "%", 1) == "0.1%"
