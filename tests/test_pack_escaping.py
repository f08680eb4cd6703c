"""Officers' words reach the board pack as text, whatever they hold: the pack's Jinja2 templates autoescape, and a
template expression typed into commentary or an action is printed, never evaluated (issue 10)."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd

from cpb_dash import catalogue, pack, views
from cpb_dash.store import Store, encode_snapshot
from tests.conftest import FIXTURES
from tests.test_pack import _bundle, visible_text

LATEST = dt.date(2025, 9, 30)
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(document.cookie)>"
EXPRESSION = "{{ 7*7 }}"
HOSTILE = f"Agency use fell {SCRIPT} {IMAGE} {EXPRESSION} & more"


def _publish_hostile(tmp_path) -> tuple[str, str]:
    """Publish hostile commentary and a hostile action through the store, as the Publish page does."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES, root)
    csv = f'period_end,area,author_role,text\n2025-09-30,workforce,Head of Workforce Development,"{HOSTILE}"\n'
    Store(root).publish(csv.encode(), "commentary", None, "c.csv", "officer@hackney.gov.uk")
    bundle = _bundle(root)
    plan = views.actions_at(bundle, LATEST)
    target = plan[plan["status"] == "Off track"].iloc[0]["action_id"]
    frame = bundle.action_plan[bundle.action_plan["period_end"] == pd.Timestamp(LATEST)].copy()
    chosen = frame["action_id"] == target
    frame.loc[chosen, "action"] = f"Recruit {EXPRESSION} carers {IMAGE}"
    frame.loc[chosen, "lead"] = f"Lead {SCRIPT}"
    frame.loc[chosen, "update"] = HOSTILE
    Store(root).publish(
        encode_snapshot(frame, catalogue.ACTION_PLAN), catalogue.ACTION_PLAN, LATEST, "plan.parquet", by="officer@x"
    )
    markup = pack.build_pack(_bundle(root), LATEST, "England", produced=dt.date(2025, 11, 3))
    return markup, target


def test_hostile_commentary_and_actions_are_shown_as_text_never_run_or_evaluated(tmp_path):
    markup, target = _publish_hostile(tmp_path)
    # Nothing the officers typed became an element: no script, no image with a handler.
    assert "<script" not in markup.lower()
    assert "<img src=x" not in markup and "onerror=alert(document.cookie)>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "&lt;img src=x onerror=alert(document.cookie)&gt;" in markup
    # A councillor reads exactly what was typed, the template expression included and not worked out.
    text = visible_text(markup)
    assert f"Commentary (Head of Workforce Development) {HOSTILE}" in text
    assert f"{target} (priority" in text and f"Recruit {EXPRESSION} carers {IMAGE}" in text
    assert f"Lead: Lead {SCRIPT}" in text
    assert text.count(HOSTILE) == 2  # the commentary and the action's latest update
    assert "Recruit 49 carers" not in text and "fell 49" not in text
