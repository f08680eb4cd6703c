"""The one list of true/false words (cpb_dash.schema) and that no module keeps a copy of its own."""

from __future__ import annotations

import re

import pytest

from cpb_dash.schema import truth
from tests.conftest import ROOT


@pytest.mark.parametrize(
    "text, expected",
    [
        ("true", True),
        (" TRUE ", True),
        ("Yes", True),
        ("y", True),
        ("1", True),
        ("false", False),
        ("No", False),
        ("N", False),
        ("0", False),
        ("", None),
        ("maybe", None),
        ("on", None),
        ("2", None),
        ("t", None),
    ],
)
def test_true_false_words(text, expected):
    assert truth(text) is expected


def test_no_module_keeps_its_own_list_of_yes_words():
    own_list = re.compile(r"""\{\s*["'](?:1|true|yes|y)["']\s*,\s*["'](?:1|true|yes|y)["']""", re.IGNORECASE)
    copies = [
        p.relative_to(ROOT)
        for p in (ROOT / "src").rglob("*.py")
        if p.name != "schema.py" and own_list.search(p.read_text(encoding="utf-8"))
    ]
    assert copies == []
