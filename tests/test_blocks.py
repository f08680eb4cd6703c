"""ui/blocks.py: every text in a block of HTML arrives as text, never as markup."""

from __future__ import annotations

import base64
import re

from cpb_dash.ui import blocks

HOSTILE = "<img src=x onerror=alert(1)> \"quoted\" & 'single'"


def test_a_folded_note_escapes_its_summary_and_paragraphs():
    html = blocks.details(HOSTILE, blocks.paragraphs(HOSTILE, grey=True))
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &#x27;single&#x27;") == 2
    assert html.startswith('<details class="cpb-details"><summary>')


def test_a_section_heading_is_escaped_and_links_by_its_slug():
    html = blocks.section("Care leavers <b>aged</b> 19 to 21")
    assert html == (
        '<h2 class="cpb-section" id="care-leavers-b-aged-b-19-to-21">Care leavers &lt;b&gt;aged&lt;/b&gt; 19 to 21</h2>'
    )


def test_a_csv_link_outside_a_server_carries_its_file_and_an_escaped_name():
    html = blocks.download_link(b"Quarter,Hackney\r\n2025-26 Q2,64\r\n", 'x".csv', HOSTILE)
    href = re.search(r'href="data:text/csv;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(href) == b"Quarter,Hackney\r\n2025-26 Q2,64\r\n"  # no server here: the file inline
    assert 'download="x&quot;.csv"' in html and "<img" not in html
    assert ">Download CSV<" in html
