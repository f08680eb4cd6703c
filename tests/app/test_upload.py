"""The Upload page in AppTest: closed to non-officers; an officer signs in, uploads, previews and publishes, and the
overview shows the new figure at once; a bad file publishes nothing; a rollback is recorded like a publish."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from cpb_dash.auth import hash_password
from cpb_dash.catalogue import MEASURES
from cpb_dash.formatting import format_number
from cpb_dash.store import Store, content_hash
from tests.app.conftest import app_test, overview_figures
from tests.conftest import FIXTURES

OFFICER = "officer@hackney.gov.uk"
PASSWORD = "correct horse battery staple"
OFFICER_SECRETS = {"cpb": {"officers": {OFFICER: hash_password(PASSWORD)}}}
UPLOAD_PAGE = "pages/6_Upload.py"


def upload_page(secrets: dict | None = None):
    """The Upload page as a visitor reaches it: the app's entry point, then the page (its links need the entry)."""
    at = app_test("app.py")
    if secrets:
        at.secrets.update(secrets)
    at.switch_page(UPLOAD_PAGE)
    return at


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A private copy of the sample data: these tests publish."""
    dest = tmp_path / "data"
    shutil.copytree(FIXTURES, dest)
    monkeypatch.setenv("CPB_DATA_DIR", str(dest))
    return dest


def file_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): content_hash(p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file()}


def latest_care_population(root: Path) -> tuple[str, pd.DataFrame]:
    folder = max((root / "care_population").iterdir())
    (path,) = folder.glob("*.parquet")
    return folder.name, pq.read_table(path).to_pandas()


def with_more_children_in_care(frame: pd.DataFrame, extra: int) -> bytes:
    """The same snapshot with `extra` more children in care: the Total and one value of every breakdown topic,
    so breakdowns still add up."""
    frame = frame.copy()
    cla = frame["measure"] == "cla"
    frame.loc[cla & (frame["breakdown_topic"] == "Total"), "value"] += extra
    for topic in frame.loc[cla & (frame["breakdown_topic"] != "Total"), "breakdown_topic"].unique():
        rows = frame.index[cla & (frame["breakdown_topic"] == topic) & frame["value"].notna() & (frame["value"] >= 10)]
        frame.loc[rows[0], "value"] += extra
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def signed_in(secrets: dict = OFFICER_SECRETS):
    at = upload_page(secrets).run()
    at.text_input(key="cpb-sign-in-email").input(OFFICER)
    at.text_input(key="cpb-sign-in-password").input(PASSWORD)
    at.button[0].click().run()  # the form's Sign in button
    assert not at.exception
    return at


def test_without_sign_in_configured_the_page_is_closed(data_dir):
    at = upload_page().run()
    assert not at.exception
    assert len(at.file_uploader) == 0 and len(at.dataframe) == 0  # no upload control, no history
    assert "Publishing is closed" in at.info[0].value


def test_a_visitor_who_is_not_signed_in_sees_only_the_sign_in_form(data_dir):
    at = upload_page(OFFICER_SECRETS).run()
    assert len(at.file_uploader) == 0 and len(at.dataframe) == 0
    assert at.text_input(key="cpb-sign-in-password") is not None


def test_a_wrong_password_does_not_open_the_page(data_dir):
    at = upload_page(OFFICER_SECRETS).run()
    at.text_input(key="cpb-sign-in-email").input(OFFICER)
    at.text_input(key="cpb-sign-in-password").input("guess")
    at.button[0].click().run()
    assert len(at.file_uploader) == 0
    assert "do not match" in at.error[0].value


def test_five_wrong_passwords_lock_the_account_in_every_session_not_just_this_one(data_dir):
    target, other = "locked-out@hackney.gov.uk", "colleague@hackney.gov.uk"  # not OFFICER: the count is per server
    secrets = {"cpb": {"officers": {target: hash_password(PASSWORD), other: hash_password(PASSWORD)}}}
    guesser = upload_page(secrets).run()
    for attempt in range(5):
        guesser.text_input(key="cpb-sign-in-email").input(target)
        guesser.text_input(key="cpb-sign-in-password").input(f"guess {attempt}")
        guesser.button[0].click().run()
        assert "do not match" in guesser.error[0].value
    # A new browser session does not buy more guesses: even the right password is refused for now.
    fresh = upload_page(secrets).run()
    fresh.text_input(key="cpb-sign-in-email").input(target)
    fresh.text_input(key="cpb-sign-in-password").input(PASSWORD)
    fresh.button[0].click().run()
    assert len(fresh.file_uploader) == 0
    assert "Too many failed attempts" in fresh.error[0].value
    # Another officer's account is not locked by someone guessing at this one.
    colleague = upload_page(secrets).run()
    colleague.text_input(key="cpb-sign-in-email").input(other)
    colleague.text_input(key="cpb-sign-in-password").input(PASSWORD)
    colleague.button[0].click().run()
    assert not colleague.exception and len(colleague.file_uploader) == 1


def test_an_identity_provider_user_not_on_the_allow_list_sees_no_upload_control(data_dir):
    at = upload_page(
        {
            "auth": {
                "redirect_uri": "http://localhost:8501/oauth2callback",
                "cookie_secret": "x",
                "client_id": "x",
                "client_secret": "x",
                "server_metadata_url": "https://login.example/.well-known/openid-configuration",
            },
            "cpb": {"oidc": {"allowed_emails": [OFFICER]}},
        }
    )
    at.user = {"is_logged_in": True, "email": "member@hackney.gov.uk"}
    at.run()
    assert not at.exception
    assert len(at.file_uploader) == 0 and len(at.dataframe) == 0
    assert "not on the list of officers" in at.error[0].value
    at.user = {"is_logged_in": True, "email": OFFICER}
    at.run()
    assert len(at.file_uploader) == 1


def test_an_officer_uploads_previews_and_publishes_and_the_overview_shows_it(data_dir):
    period, frame = latest_care_population(data_dir)
    cla_before = frame.loc[(frame["measure"] == "cla") & (frame["breakdown_topic"] == "Total"), "value"].item()
    overview = app_test("app.py").run()
    assert overview_figures(overview)["Children in care"] == format_number(cla_before)

    at = signed_in()
    at.file_uploader[0].set_value(
        ("care q2 <b>revised</b>.parquet", with_more_children_in_care(frame, 9), "application/octet-stream")
    ).run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    texts = " ".join(str(i.value) for i in at.info)
    assert "This is a revision" in texts
    headline = at.dataframe[0].value if len(at.dataframe) else None
    assert headline is not None
    preview = next(d.value for d in at.dataframe if "With this file" in d.value.columns)
    row = preview[preview["Indicator"] == "Children in care"].iloc[0]
    assert row["With this file"] == format_number(cla_before + 9)
    assert row["Published now"] == format_number(cla_before)
    if at.checkbox:  # warnings need an explicit confirmation first
        assert at.button(key="upload-publish-0").disabled
        at.checkbox[0].check().run()
    at.button(key="upload-publish-0").click().run()
    assert not at.exception
    assert "published version" in at.success[0].value

    history = Store(data_dir).history("care_population")
    newest = history.iloc[0]
    assert (newest["published_by"], newest["action"], newest["status"], newest["period_end"]) == (
        OFFICER,
        "publish",
        "current",
        period,
    )
    assert newest["file_name"] == "care q2 <b>revised</b>.parquet"  # a label, kept as text

    overview = app_test("app.py").run()
    assert overview_figures(overview)["Children in care"] == format_number(cla_before + 9)

    # roll back from the history: recorded, and the overview returns to the old figure
    at.selectbox(key="history-version").set_value(1).run()
    at.button(key="history-rollback").click().run()
    # Asked first: what will change, for whom; nothing is rolled back yet.
    assert Store(data_dir).history("care_population").iloc[0]["action"] == "publish"
    asked = next(d.value for d in at.dataframe if "After the rollback" in d.value.columns)
    change = asked[asked["Figure"] == MEASURES["cla"].label].iloc[0]
    assert (change["Members see now"], change["After the rollback"]) == (
        format_number(cla_before + 9),
        format_number(cla_before),
    )
    assert any("Every Member and visitor sees the change" in str(m.value) for m in at.markdown)
    at.button(key="history-rollback-confirm").click().run()
    assert "rolled back" in at.success[0].value
    assert Store(data_dir).history("care_population").iloc[0]["action"] == "rollback"
    overview = app_test("app.py").run()
    assert overview_figures(overview)["Children in care"] == format_number(cla_before)


def test_a_bad_file_publishes_nothing(data_dir):
    at = signed_in()
    before = file_hashes(data_dir)
    at.file_uploader[0].set_value(("x.parquet", b"name,dob\nA,2010-01-01\n", "application/octet-stream")).run()
    assert not at.exception
    assert "cannot be published" in at.error[0].value
    assert len(at.button) == 0 or all(b.key != "upload-publish-0" for b in at.button)
    assert file_hashes(data_dir) == before


def test_the_preview_flags_a_large_change_exactly_when_the_validator_warns(data_dir):
    # The preview once flagged changes of exactly +5 and +25% (>=) that the validator let pass (>): one rule now.
    from tests.app.page_helpers import rewrite_snapshot

    def previous_at_twenty(frame: pd.DataFrame) -> None:
        for measure in ("uasc", "cla_ceased"):
            frame.loc[(frame["measure"] == measure) & (frame["breakdown_topic"] == "Total"), "value"] = 20.0

    rewrite_snapshot(data_dir, "care_population", "2025-06-30", previous_at_twenty)
    period, frame = latest_care_population(data_dir)
    assert period == "2025-09-30"
    frame.loc[(frame["measure"] == "uasc") & (frame["breakdown_topic"] == "Total"), "value"] = 25.0  # +5, +25%
    frame.loc[(frame["measure"] == "cla_ceased") & (frame["breakdown_topic"] == "Total"), "value"] = 26.0  # +6, +30%
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    at = signed_in()
    at.file_uploader[0].set_value(("q2.parquet", buffer.getvalue(), "application/octet-stream")).run()
    assert not at.exception
    changes = next(d.value for d in at.dataframe if "Flag" in d.value.columns)
    flags = {row["Measure"]: str(row["Flag"]) for _, row in changes.iterrows()}
    uasc, ceased = (MEASURES["uasc"].label, MEASURES["cla_ceased"].label)
    assert "large change" not in flags[uasc] and "large change" in flags[ceased]
    report = [d.value for d in at.dataframe if "Message" in d.value.columns or "message" in d.value.columns]
    messages = " ".join(str(v) for d in report for v in d.astype(str).to_numpy().ravel())
    large = [m for m in messages.split(" warning ") + [messages] if "change_vs_previous" in m]
    assert "'cla_ceased' changed from '20'" in messages and "'uasc' changed" not in messages, large


def test_an_upload_is_read_and_validated_once_from_preview_to_publish(data_dir, monkeypatch):
    import cpb_dash.contract as contract
    import cpb_dash.safe_read as safe_read

    reads, validations = [], []
    real_read, real_validate = safe_read.read_untrusted, contract.validate_frame

    def counting_read(*args, **kwargs):
        reads.append(args[2] if len(args) > 2 else kwargs.get("file_name"))
        return real_read(*args, **kwargs)

    def counting_validate(*args, **kwargs):
        validations.append(1)
        return real_validate(*args, **kwargs)

    monkeypatch.setattr(safe_read, "read_untrusted", counting_read)  # counts calls; the real reader does the work
    monkeypatch.setattr(contract, "validate_frame", counting_validate)
    period, frame = latest_care_population(data_dir)
    at = signed_in()
    at.file_uploader[0].set_value(
        ("once.parquet", with_more_children_in_care(frame, 3), "application/octet-stream")
    ).run()
    at.run()  # a rerun, as any click makes
    if at.checkbox:
        at.checkbox[0].check().run()
    at.button(key="upload-publish-0").click().run()
    assert "published version" in at.success[0].value
    assert reads == ["once.parquet"] and len(validations) == 1


def test_the_history_shows_status_quarter_who_and_when_first_with_a_short_version(data_dir):
    at = signed_in()
    table = next(d.value for d in at.dataframe if "Version" in d.value.columns)
    assert list(table.columns[:5]) == ["Status", "Quarter", "What", "Who", "When (UTC)"]
    newest = Store(data_dir).history("care_population").iloc[0]
    first = table.iloc[0]
    assert first["Version"] == newest["version"][:12] and first["Quarter"] == "2025-26 Q2"
    assert first["Status"] == "Current"
    assert any(newest["version"] in str(t.value) for t in at.text)  # the full SHA-256, in the details
