"""Untrusted files through the publishing path (`python -m cpb_dash publish`, which the page shares with the store):
each gets a clear message, and a refused file leaves the store byte-for-byte unchanged."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cpb_dash import cli, periods
from cpb_dash.store import Store, content_hash
from tests.contract_helpers import PERIOD, action_plan, care_population, csv_bytes, parquet_bytes, varint

OFFICER = "officer@hackney.gov.uk"


def file_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): content_hash(p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def store_dir(tmp_path, monkeypatch) -> Path:
    """A store with one published care_population quarter (so store.sqlite exists too)."""
    root = tmp_path / "store"
    monkeypatch.setenv("CPB_DATA_DIR", str(root))
    Store(root).publish(parquet_bytes(care_population()), "care_population", PERIOD, "first.parquet", by=OFFICER)
    return root


def publish_named(tmp_path, data, name, capsys, dataset="care_population", *extra):
    """As `publish`, but the file on disk carries `name` (as an upload's label would)."""
    folder = tmp_path / "uploads" / "a" / "b"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(name).name
    path.write_bytes(data)
    code = cli.main(["publish", str(path), "--dataset", dataset, "--by", OFFICER, *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


def footer_claiming_50_million_rows() -> bytes:
    data = parquet_bytes(care_population().head(3))
    length = int.from_bytes(data[-8:-4], "little")
    footer = data[-8 - length : -8]
    old = b"\x16" + varint(6)
    at = footer.index(old)
    patched = footer[:at] + b"\x16" + varint(100_000_000) + footer[at + len(old) :]
    return data[: -8 - length] + patched + len(patched).to_bytes(4, "little") + b"PAR1"


def table_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def with_extension_column() -> bytes:
    table = pa.Table.from_pandas(care_population().head(2), preserve_index=False)
    return table_bytes(table.append_column("breakdown_id", pa.array([b"0" * 16, b"1" * 16], pa.uuid())))


def duplicated() -> bytes:
    frame = care_population()
    return parquet_bytes(pd.concat([frame, frame.head(1)], ignore_index=True))


def duplicated_column_parquet() -> bytes:
    table = pa.Table.from_pandas(care_population(), preserve_index=False)
    return table_bytes(table.append_column("value", table.column("value")))


def duplicated_column_csv() -> bytes:
    text = csv_bytes(care_population()).decode("utf-8").splitlines()
    return "\n".join(f"{line},{line.split(',')[4]}" for line in text).encode("utf-8")


def future_quarter() -> bytes:
    future = periods.shift_quarters(periods.latest_complete_quarter_end(dt.date.today()), 2)
    return parquet_bytes(care_population(future))


def invalid_utf8_csv() -> bytes:
    text = csv_bytes(care_population())
    at = text.index(b"1 to 4 years")
    return text[:at] + b"\xe9" + text[at:]


REFUSED = {
    "a 0-byte file": (b"", "q2.parquet", "empty (0 bytes)"),
    "a CSV renamed .parquet": (csv_bytes(care_population()), "q2.parquet", "CSV"),
    "a truncated file": (parquet_bytes(care_population())[:700], "q2.parquet", ""),
    "5,000 columns": (table_bytes(pa.table({f"c{i}": [1] for i in range(5_000)})), "q2.parquet", "5,000 columns"),
    "a footer claiming 50 million rows": (footer_claiming_50_million_rows(), "q2.parquet", "50,000,000 rows"),
    "an Arrow extension type": (with_extension_column(), "q2.parquet", "arrow.uuid"),
    "duplicate keys": (duplicated(), "q2.parquet", "uplicate"),
    "a column twice in a parquet file": (duplicated_column_parquet(), "q2.parquet", "'value' appears 2 times"),
    "a column twice in a CSV heading": (duplicated_column_csv(), "q2.csv", "'value' appears 2 times in the heading"),
    "a future quarter": (future_quarter(), "q2.parquet", "future"),
    "invalid UTF-8 in a CSV": (invalid_utf8_csv(), "q2.csv", "UTF-8"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_refused_file_gets_a_clear_message_and_changes_nothing(store_dir, tmp_path, capsys, case):
    data, name, expected = REFUSED[case]
    before = file_hashes(store_dir)
    code, output = publish_named(tmp_path, data, name, capsys)
    assert code == 1
    assert "Nothing was published" in output
    assert expected in output
    assert file_hashes(store_dir) == before


def test_the_store_itself_refuses_what_the_contract_refuses(store_dir):
    """The page and the CLI check first, but the store re-checks: no caller can publish a bad file."""
    before = file_hashes(store_dir)
    for case, (data, name, _) in REFUSED.items():
        with pytest.raises(Exception, match="Not published") as refused:
            Store(store_dir).publish(data, "care_population", None, name, by=OFFICER)
        assert refused.value.findings, case
    assert file_hashes(store_dir) == before


def test_a_file_name_like_a_path_is_only_a_label(store_dir, tmp_path):
    outside = tmp_path / "x.parquet"
    data = parquet_bytes(care_population(dt.date(2025, 6, 30)))
    result = Store(store_dir).publish(data, "care_population", None, "../../x.parquet", by=OFFICER)
    assert result.changed
    assert not outside.exists() and not list(tmp_path.rglob("x.parquet"))
    stored = store_dir / "care_population" / "2025-06-30" / f"{result.version}.parquet"
    assert stored.exists()
    assert Store(store_dir).history().iloc[0]["file_name"] == "../../x.parquet"  # recorded as text


def test_a_reupload_of_a_published_quarter_is_a_revision(store_dir, tmp_path, capsys):
    frame = care_population()
    frame.loc[frame["measure"] == "cla_started", "value"] = 9.0
    code, output = publish_named(tmp_path, parquet_bytes(frame), "q2-revised.parquet", capsys)
    assert code == 0, output
    assert "This is a revision" in output and "a revision replacing" in output
    history = Store(store_dir).history()
    assert history["status"].tolist() == ["current", "superseded"]


def test_the_same_file_twice_is_already_current(store_dir, tmp_path, capsys):
    code, output = publish_named(tmp_path, parquet_bytes(care_population()), "again.parquet", capsys)
    assert code == 0 and "already current" in output
    assert len(Store(store_dir).history()) == 1


def test_script_in_text_is_stored_as_text(store_dir, tmp_path, capsys):
    plan = action_plan()
    plan.loc[0, "update"] = "<script>alert('x')</script> training booked"
    code, output = publish_named(
        tmp_path, parquet_bytes(plan), "plan.parquet", capsys, "action_plan", "--confirm-warnings"
    )
    assert code == 0, output
    stored = Store(store_dir).read_current("action_plan")
    assert stored.loc[stored["action_id"] == plan.loc[0, "action_id"], "update"].item() == plan.loc[0, "update"]


def test_a_csv_with_a_bom_is_converted_to_parquet_on_publish(store_dir, tmp_path, capsys):
    frame = care_population(dt.date(2025, 6, 30))
    code, output = publish_named(tmp_path, b"\xef\xbb\xbf" + csv_bytes(frame), "q1.csv", capsys)
    assert code == 0, output
    (stored,) = (store_dir / "care_population" / "2025-06-30").glob("*.parquet")
    assert stored.read_bytes()[:4] == b"PAR1" and content_hash(stored.read_bytes()) == stored.stem
    assert Store(store_dir).read_current("care_population")["measure"].nunique() == frame["measure"].nunique()


def test_warnings_need_confirmation_on_the_command_line(store_dir, tmp_path, capsys):
    frame = care_population()
    frame.loc[frame["measure"] == "cla_ceased", "value"] = 6.5  # a fraction of a child: a warning to confirm
    before = file_hashes(store_dir)
    code, output = publish_named(tmp_path, parquet_bytes(frame), "q2.parquet", capsys)
    assert code == 1 and "--confirm-warnings" in output
    assert file_hashes(store_dir) == before
    code, output = publish_named(
        tmp_path, parquet_bytes(frame), "q2.parquet", capsys, "care_population", "--confirm-warnings"
    )
    assert code == 0, output


def test_a_breakdown_that_does_not_add_up_is_refused_even_with_confirm_warnings(store_dir, tmp_path, capsys):
    frame = care_population()
    frame.loc[(frame["measure"] == "cla") & (frame["breakdown"] == "Under 1 year"), "value"] = 4.0  # sum off by 1
    before = file_hashes(store_dir)
    code, output = publish_named(
        tmp_path, parquet_bytes(frame), "q2.parquet", capsys, "care_population", "--confirm-warnings"
    )
    assert code == 1 and "'cla' by 'Age group' adds up to '41', but its Total (row 1) is '40'" in output
    assert "Nothing was published" in output
    assert file_hashes(store_dir) == before


def test_history_and_rollback_on_the_command_line(store_dir, tmp_path, capsys):
    first = Store(store_dir).current_version("care_population", PERIOD)
    frame = care_population()
    frame.loc[frame["measure"] == "cla_started", "value"] = 9.0
    assert publish_named(tmp_path, parquet_bytes(frame), "q2b.parquet", capsys)[0] == 0
    assert cli.main(["history", "--dataset", "care_population"]) == 0
    listing = capsys.readouterr().out
    assert first[:12] in listing and "q2b.parquet" in listing and "superseded" in listing
    code = cli.main(
        [
            "rollback",
            "--dataset",
            "care_population",
            "--period",
            PERIOD.isoformat(),
            "--to",
            first[:12],
            "--by",
            OFFICER,
        ]
    )
    assert code == 0 and "rolled back" in capsys.readouterr().out
    assert Store(store_dir).current_version("care_population", PERIOD) == first
    assert (
        cli.main(
            [
                "rollback",
                "--dataset",
                "care_population",
                "--period",
                PERIOD.isoformat(),
                "--to",
                "nothing",
                "--by",
                OFFICER,
            ]
        )
        == 1
    )
    assert "not a version" in capsys.readouterr().err


def test_hash_password_makes_a_secrets_entry(monkeypatch, capsys):
    from cpb_dash.auth import verify_password

    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    assert cli.main(["hash-password", "--email", "Officer@Hackney.gov.uk", "--stdin"]) == 0
    line = capsys.readouterr().out.splitlines()[-1]
    email, _, encoded = line.partition(" = ")
    assert email == '"officer@hackney.gov.uk"'
    assert verify_password("a long enough passphrase", encoded.strip('"'))
