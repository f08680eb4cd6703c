"""The plain HTML tables shown open on pages (ui/static_table.py): every cell escaped, figures lined up on the
right and words on the left, sentences wrapped where asked."""

from __future__ import annotations

import pandas as pd

from cpb_dash.ui.static_table import table_html


def test_cells_and_headings_are_escaped_text():
    frame = pd.DataFrame({"Measure <b>": ["<script>alert(1)</script>"], "Value": ["5 & 6"]})
    html = table_html(frame, 'Label "quoted"')
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Measure &lt;b&gt;" in html and "5 &amp; 6" in html
    assert 'aria-label="Label &quot;quoted&quot;"' in html


def test_figures_line_up_on_the_right_and_words_on_the_left():
    frame = pd.DataFrame(
        {
            "Measure": ["Rate", "EET"],
            "Hackney": ["65 per 10,000", "58%"],
            "Rank": ["", "47 of 152"],
            "Band": ["", "B: second quarter of councils"],
            "What will be done": ["Hold a review.", "Write to every family."],
        }
    )
    html = table_html(frame, "t", wrap=("What will be done",))
    assert '<th scope="row">Rate</th>' in html  # the first column heads each row
    assert "<td>65 per 10,000</td>" in html and "<td>47 of 152</td>" in html  # figures: right (the default)
    assert '<td class="words">B: second quarter of councils</td>' in html
    assert '<td class="long">Hold a review.</td>' in html
