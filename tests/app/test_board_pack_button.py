"""The Overview's board pack: nothing is built until asked; then a download for the chosen quarter."""

from tests.app.conftest import app_test


def test_the_pack_is_prepared_only_when_asked_then_offered_as_a_download():
    at = app_test("app.py").run()
    assert not at.exception
    assert at.button(key="prepare-pack").label == "Prepare board pack"
    assert not at.get("download_button") or all(
        d.proto.label != "Download board pack" for d in at.get("download_button")
    )
    at.button(key="prepare-pack").click().run()
    assert not at.exception
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Download board pack" in labels
    assert not [b for b in at.button if b.key == "prepare-pack"]


def test_choosing_another_quarter_asks_again_for_that_quarter():
    at = app_test("app.py").run()
    at.button(key="prepare-pack").click().run()
    at.selectbox(key="period").set_value("2025-03-31").run()
    assert not at.exception
    assert at.button(key="prepare-pack").label == "Prepare board pack"
    assert "Board pack for 2024-25 Q4" in "\n".join(m.value for m in at.markdown)


def test_the_pack_is_offered_as_pdf_too_where_chromium_is_installed():
    import pytest

    from cpb_dash.ui.pack import pdf_available

    if not pdf_available():
        pytest.skip("Chromium is not installed: the page offers the HTML pack only")
    at = app_test("app.py").run()
    at.button(key="prepare-pack").click().run()
    assert not at.exception
    pdf = next(d for d in at.get("download_button") if d.proto.label == "Download as PDF")
    assert pdf.proto.label == "Download as PDF"
