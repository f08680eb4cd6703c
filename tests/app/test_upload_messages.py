"""Messages on the Upload page: a file for another dataset or layout gets one message naming what it looks like;
a breakdown that does not add up is an error naming the figure, with no "row rows"; nothing is published and the
store is unchanged."""

from __future__ import annotations

import pytest

from tests.app.test_upload import data_dir, file_hashes, latest_care_population, signed_in  # noqa: F401
from tests.contract_helpers import parquet_bytes
from tests.test_messages import LOOKALIKES


def bullets(at) -> list[str]:
    return [t.value for t in at.text if t.value.startswith("•")]


@pytest.mark.parametrize("case", list(LOOKALIKES))
def test_a_file_for_another_dataset_gets_one_message_on_the_page(data_dir, case):  # noqa: F811
    data, name, dataset, says = LOOKALIKES[case]
    at = signed_in()
    at.selectbox(key="upload-dataset").set_value(dataset).run()
    before = file_hashes(data_dir)
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception
    assert "1 error(s)" in at.error[0].value
    (message,) = bullets(at)
    assert says in message
    assert all(b.key != "upload-publish-0" for b in at.button)
    assert file_hashes(data_dir) == before


def test_a_breakdown_that_does_not_add_up_is_an_error_naming_the_rows(data_dir):  # noqa: F811
    _, frame = latest_care_population(data_dir)
    frame = frame.copy()
    age = (frame["measure"] == "cla") & (frame["breakdown_topic"] == "Age group") & frame["value"].notna()
    frame.loc[frame.index[age][0], "value"] += 3
    at = signed_in()
    before = file_hashes(data_dir)
    at.file_uploader[0].set_value(("q2.parquet", parquet_bytes(frame), "application/octet-stream")).run()
    assert not at.exception
    texts = bullets(at)
    gap = next(t for t in texts if "'cla' by 'Age group' adds up to" in t)
    assert gap.startswith("• column value, rows 2, 3, 4, 5, 6: ") and "row rows" not in " ".join(texts)
    assert "3 over (a gap of 3)" in gap
    assert "so a figure in the 'Age group' rows" in gap  # the other breakdowns agree with the Total
    assert all(b.key != "upload-publish-0" for b in at.button) and not at.checkbox
    assert file_hashes(data_dir) == before
