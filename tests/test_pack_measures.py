"""The board pack carries the health and wellbeing, leaving care and permanence, and children's voice headlines:
each figure (worked out here from the sample file's counts) with its sentence, the annual ones at their 31 March,
and a trend chart for each."""

from __future__ import annotations

import datetime as dt

from cpb_dash import catalogue, pack, views
from cpb_dash.formatting import format_number
from cpb_dash.store import Store
from tests.app.page_helpers import snapshot, total
from tests.conftest import FIXTURES
from tests.test_pack import visible_text


def test_the_pack_has_the_new_areas_headlines_and_trends():
    bundle = views.build_bundle(Store(FIXTURES), catalogue.SUPPRESSION_THRESHOLD)
    markup = pack.build_pack(bundle, dt.date(2025, 9, 30), produced=dt.date(2025, 11, 3))
    text = visible_text(markup)
    for area in ("health_wellbeing", "leaving_care", "childrens_voice"):
        assert f"{catalogue.DATASET_LABELS[area]}: trends" in text
    march = snapshot("health_wellbeing", "2025-03-31")
    health = total(march, "oc2_health_assessment") / total(march, "oc2_cohort") * 100
    assert (
        f"Children looked after with an up-to-date health assessment: {format_number(health)}% at 31 March 2025"
        " (annual)"
    ) in text
    assert "published once a year" in text  # in place of a change since last quarter
    # in the headline table too, whose figure column is headed 30 September 2025
    assert f'<td class="num">{format_number(health)}% at 31 March 2025 (annual)</td>' in markup
    voice = snapshot("childrens_voice", "2025-09-30")
    on_time = total(voice, "reviews_on_time") / total(voice, "reviews_due") * 100
    assert f"Looked-after reviews held on time: {format_number(on_time)}% in 2025-26 Q2 (Jul-Sep 2025)" in text
    leaving = snapshot("leaving_care", "2025-09-30")
    eet = total(leaving, "cl_17_18_eet") / total(leaving, "cl_17_18_total") * 100
    assert f"Care leavers aged 17 to 18 in education, employment or training: {format_number(eet)}%" in text


def test_every_indicator_of_the_new_areas_is_in_the_pack():
    """Not only the headlines: each of the pages' measures, with its figure, sentence and comparator."""
    bundle = views.build_bundle(Store(FIXTURES), catalogue.SUPPRESSION_THRESHOLD)
    text = visible_text(pack.build_pack(bundle, dt.date(2025, 9, 30), produced=dt.date(2025, 11, 3)))
    for area in ("health_wellbeing", "leaving_care", "childrens_voice"):
        for ind in catalogue.indicators_for(area):
            view = views.headline_view(bundle, ind.id, dt.date(2025, 9, 30), catalogue.DEFAULT_COMPARATOR)
            assert ind.label in text and view.sentence in text, ind.id
    march = snapshot("health_wellbeing", "2025-03-31")
    score = total(march, "oc2_sdq_score_total") / total(march, "oc2_sdq_completed")
    assert f"Average SDQ score of children looked after: {format_number(score, 1)} at 31 March 2025" in text
    assert "England: 14.9 (31 March 2025)" in text  # LAIT Emotional_LAC, England 2025
