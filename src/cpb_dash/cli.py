"""Command line for officers and pipelines: python -m cpb_dash COMMAND ... (see --help)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cpb_dash import catalogue, periods
from cpb_dash.config import settings

if TYPE_CHECKING:
    from cpb_dash.store import SnapshotStore


def _cmd_validate(args: argparse.Namespace) -> int:
    from cpb_dash.findings import render_report
    from cpb_dash.safe_read import validate_file

    path = Path(args.file)
    findings = validate_file(path.read_bytes(), args.dataset, file_name=path.name)
    print(render_report(findings, file_name=path.name, dataset=args.dataset))
    return 1 if any(f.level == "error" for f in findings) else 0


def _cmd_fixtures(args: argparse.Namespace) -> int:
    from cpb_dash.fixtures import write_fixtures

    written = write_fixtures(Path(args.out) if args.out else settings().data_dir)
    print(f"Wrote {len(written)} sample snapshot files.")
    return 0


def _cmd_benchmarks(args: argparse.Namespace) -> int:
    from cpb_dash.benchmarks import build_benchmarks, write_benchmarks

    table = build_benchmarks(Path(args.source_dir))
    out = write_benchmarks(table, Path(args.out) if args.out else settings().data_dir)
    print(f"Wrote {len(table):,} benchmark rows to {out}.")
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from cpb_dash.findings import render_report
    from cpb_dash.publishing import check_upload
    from cpb_dash.store import open_store

    store = open_store()
    path = Path(args.file)
    data = path.read_bytes()
    check = check_upload(store, data, args.dataset, path.name)
    print(render_report(check.findings, file_name=check.file_name, dataset=args.dataset))
    if not check.publishable:
        print(f"Nothing was published: {check.why_not_publishable}", file=sys.stderr)
        return 1
    if args.period and periods.parse_period(args.period) != check.period_end:
        print(
            f"Nothing was published: the file is for {check.period_end.isoformat()}, not {args.period}.",
            file=sys.stderr,
        )
        return 1
    if check.warnings and not args.confirm_warnings:
        print(
            f"Nothing was published: {len(check.warnings)} warning(s) above need a look. If the figures are"
            " right, publish again with --confirm-warnings.",
            file=sys.stderr,
        )
        return 1
    if check.is_revision:
        print(
            f"This is a revision: it replaces version {check.current_version[:12]} for {check.period_end.isoformat()}."
        )
    result = store.publish(
        data,
        args.dataset,
        check.period_end,
        path.name,
        by=args.by,
        expected_current=check.current_version,
        checked=(check.frame, check.findings),
    )
    print(result.message)
    return 0


def _cmd_import_903(args: argparse.Namespace) -> int:
    from cpb_dash.intake.import903 import check_903, publish_903, render_report
    from cpb_dash.store import open_store

    store = open_store()
    files = [(Path(name).name, Path(name).read_bytes()) for name in args.files]
    result = check_903(store, files)
    print(render_report(result))
    if not result.publishable:
        why = (
            "correct the errors above and try again"
            if result.errors or not result.ret.ok
            else "every derived snapshot is already published"
        )
        print(f"Nothing was published: {why}.", file=sys.stderr)
        return 1 if result.errors or not result.ret.ok else 0
    if not args.publish:
        print("\nThis was a preview: nothing was published. Add --publish to publish every changed snapshot above.")
        return 0
    if result.warnings and not args.confirm_warnings:
        print(
            f"Nothing was published: {len(result.warnings)} warning(s) above need a look. If the figures are"
            " right, run again with --confirm-warnings.",
            file=sys.stderr,
        )
        return 1
    published = [r for r in publish_903(store, result, by=args.by) if r.changed]
    print(f"Published {len(published)} version(s) at once, each recorded as '{result.file_label}'.")
    return 0


def _cmd_import_census(args: argparse.Namespace) -> int:
    """The census worker file -> the workforce snapshot, previewed, then published only with --publish."""
    from cpb_dash.findings import render_report
    from cpb_dash.intake.census import DATASET, derive_workforce, snapshot_bytes
    from cpb_dash.publishing import check_upload, measure_changes
    from cpb_dash.store import open_store

    path = Path(args.file)
    period = periods.parse_period(args.period)
    result = derive_workforce(path.read_bytes(), path.name, period, args.vacancies)  # worker rows: memory only
    if result.frame is None:
        print(render_report(result.findings, file_name=result.file_name, dataset="workforce census"))
        print("Nothing was published: correct the errors above and try again.", file=sys.stderr)
        return 1
    store = open_store()
    data = snapshot_bytes(result.frame)
    check = check_upload(store, data, DATASET, result.audit_label)
    print(render_report(result.findings + check.findings, file_name=result.file_name, dataset=DATASET))
    if not check.publishable:
        print("Nothing was published: correct the errors above and try again.", file=sys.stderr)
        return 1
    changes = measure_changes(store.read_current(DATASET), check)
    print(f"Workforce snapshot for {periods.quarter_label(period)} (Totals; breakdowns in the published file):")
    print(changes[["label", "this_file", "previous_quarter", "current_version", "flag"]].to_string(index=False))
    if check.is_revision:
        print(f"This is a revision: it replaces version {check.current_version[:12]} for {period.isoformat()}.")
    if not args.publish:
        print("Nothing was published (a preview). Run again with --publish to publish it.")
        return 0
    if check.warnings and not args.confirm_warnings:
        print(
            f"Nothing was published: {len(check.warnings)} warning(s) above need a look. If the figures are"
            " right, publish again with --confirm-warnings.",
            file=sys.stderr,
        )
        return 1
    published = store.publish(
        data, DATASET, period, result.audit_label, by=args.by, expected_current=check.current_version
    )
    print(published.message)
    return 0


def _cmd_pack(args: argparse.Namespace) -> int:
    import tempfile

    from cpb_dash import pack
    from cpb_dash.store import open_store
    from cpb_dash.views import build_bundle

    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm", ".pdf"):
        print(
            "cpb_dash: the pack is written as .html (or .pdf, printed by Chromium): name the file so.", file=sys.stderr
        )
        return 2
    bundle = build_bundle(open_store(), settings().suppression_threshold)
    if bundle.latest_period is None:
        print("cpb_dash: there are no published snapshots to build a pack from.", file=sys.stderr)
        return 1
    period = periods.parse_period(args.period) if args.period else bundle.latest_period
    text = pack.build_pack(bundle, period, comparator=args.compare)
    if out.suffix.lower() == ".pdf":
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / pack.pack_file_name(period)
            page.write_text(text, encoding="utf-8")
            pack.print_to_pdf(page, out)
    else:
        out.write_text(text, encoding="utf-8")
    print(f"Wrote the board pack for {periods.quarter_label(period)} to {out}.")
    return 0


def _cmd_history(args: argparse.Namespace) -> int:
    from cpb_dash.store import open_store

    store = open_store()
    for path in store.stray_paths():
        print(f"Ignored (not a period folder of ours): {path.relative_to(store.root)}", file=sys.stderr)
    history = store.history(args.dataset)
    if history.empty:
        print("No versions yet.")
        return 0
    if not args.full:
        history = history.assign(version=history["version"].str[:12])
    print(history.to_string(index=False))
    return 0


def _cmd_rollback(args: argparse.Namespace) -> int:
    from cpb_dash.store import StoreError, open_store

    store = open_store()
    period = periods.parse_period(args.period)
    current = store.current_version(args.dataset, period)
    if args.replacing:
        wanted = args.replacing.strip().lower()
        if len(wanted) < 8 or current is None or not current.startswith(wanted):
            raise StoreError(
                f"Nothing was changed: you expected to replace version {wanted[:12]}, but"
                f" {'version ' + current[:12] if current else 'no version'} is current for {period.isoformat()}"
                " now (someone published or rolled back since). Look at `history` and try again."
            )
    else:
        _check_undoes_the_next_event(store, args.dataset, period, args.to, current)
    # expected_current makes the store check again inside its transaction: a publish landing now still refuses.
    result = store.rollback(args.dataset, period, args.to, by=args.by, expected_current=current)
    print(result.message)
    return 0


def _check_undoes_the_next_event(
    store: SnapshotStore, dataset: str, period: dt.date, to_version: str, current: str | None
) -> None:
    """Without --replacing, a rollback to X undoes what replaced X: refused if anything landed after that, so a
    rollback typed from an old `history` listing cannot silently undo a publish that has just landed."""
    from cpb_dash.store import StoreError

    history = store.history(dataset)
    events = history[history["period_end"] == period.isoformat()].iloc[::-1].reset_index(drop=True)  # oldest first
    wanted = str(to_version).strip().lower()
    hits = [i for i, v in enumerate(events["version"]) if len(wanted) >= 8 and v.startswith(wanted)]
    if not hits or current is None:
        return  # the store says what is wrong with the version itself
    last = hits[-1]
    if last + 1 >= len(events):
        return  # it is the latest event: the store says it is already current
    replaced_by = events.loc[last + 1, "version"]
    if replaced_by != current:
        latest = events.iloc[-1]
        raise StoreError(
            f"Nothing was changed: version {wanted[:12]} was replaced by {replaced_by[:12]}, but more has happened"
            f" since: {current[:12]} is current now ({latest['action']} by {latest['published_by']} at"
            f" {latest['published_at']}). If you mean to replace it, run the rollback again with"
            f" --replacing {current[:12]}."
        )


def _cmd_hash_password(args: argparse.Namespace) -> int:
    import getpass

    from cpb_dash.auth import MIN_PASSWORD_LENGTH, hash_password

    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("The two passwords differ.", file=sys.stderr)
            return 1
    if len(password) < MIN_PASSWORD_LENGTH:
        print(f"Use at least {MIN_PASSWORD_LENGTH} characters.", file=sys.stderr)
        return 1
    print("# add under [cpb.officers] in .streamlit/secrets.toml")
    print(f'"{args.email.strip().lower()}" = "{hash_password(password)}"')
    return 0


def _cmd_tidy(args: argparse.Namespace) -> int:
    from cpb_dash.store import open_store

    store = open_store()
    removed = store.tidy(dry_run=args.dry_run)
    verb = "Would remove" if args.dry_run else "Removed"
    for path in removed:
        print(f"{verb} {path.relative_to(store.root)}")
    print(f"{verb} {len(removed)} file(s) that no publish, rollback or history uses.")
    return 0


def _cmd_web_assets(args: argparse.Namespace) -> int:
    from cpb_dash import font_subsets, preload, static_files

    static = font_subsets.streamlit_static()
    out = Path(args.out_dir)
    copied, packed = static_files.write(out, static, static_files.compressed(static))
    print(
        f"{out / static_files.FOLDER}: {copied} of Streamlit's files, compressed ahead ({packed / 1e6:.1f} MB brotli)."
    )
    written = font_subsets.write(out, font_subsets.build(static))
    for path in written:
        before = (static / "media" / path.name).stat().st_size
        print(f"{path}: {path.stat().st_size / 1024:,.0f} kB (Streamlit's: {before / 1024:,.0f} kB)")
    print(f"Wrote {len(written)} font(s) for nginx to send in place of Streamlit's (deploy/nginx).")
    snippet, chunks = preload.write(out, static)
    print(f"{snippet}: {len(chunks)} scripts for the HTML shell to preload.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cpb_dash", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a snapshot file against the data contract (exit 1 if invalid)")
    p.add_argument("file")
    p.add_argument("--dataset", required=True, choices=catalogue.UPLOADABLE_DATASETS)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("publish", help="validate a snapshot and, if it passes, make it the current version")
    p.add_argument("file")
    p.add_argument("--dataset", required=True, choices=catalogue.UPLOADABLE_DATASETS)
    p.add_argument("--by", required=True, help="your e-mail address: recorded in the audit log")
    p.add_argument("--period", help="YYYY-MM-DD: the quarter end the file must be for (default: the file's own)")
    p.add_argument("--confirm-warnings", action="store_true", help="publish although the report has warnings")
    p.set_defaults(func=_cmd_publish)

    p = sub.add_parser(
        "import-903",
        help="derive care population, placement stability, health and wellbeing, leaving care and children's"
        " voice for every quarter of an SSDA903 return (the DfE's XML, CSV files or one zip); preview, or publish"
        " with --publish",
    )
    p.add_argument(
        "files", nargs="+", help="the return: the DfE's XML, or its tables as CSV files (one per table), or one zip"
    )
    p.add_argument("--by", required=True, help="your e-mail address: recorded in the audit log")
    p.add_argument("--publish", action="store_true", help="publish every changed snapshot, all or nothing")
    p.add_argument("--confirm-warnings", action="store_true", help="publish although the report has warnings")
    p.set_defaults(func=_cmd_import_903)

    p = sub.add_parser("import-census", help="derive the workforce snapshot from the DfE census worker file")
    p.add_argument("file", help="the census worker table (CSV, .xlsx or the census XML; read in memory, never stored)")
    p.add_argument(
        "--vacancies",
        type=float,
        help="vacant social worker posts at the date (FTE); if not given, a census XML's NumberOfVacancies",
    )
    p.add_argument("--period", required=True, help="YYYY-MM-DD: the quarter end to derive")
    p.add_argument("--by", required=True, help="your e-mail address: recorded in the audit log")
    p.add_argument("--publish", action="store_true", help="publish the snapshot (default: preview only)")
    p.add_argument("--confirm-warnings", action="store_true", help="publish although the report has warnings")
    p.set_defaults(func=_cmd_import_census)

    p = sub.add_parser("history", help="every version of every (dataset, period): who, when, file, SHA-256, status")
    p.add_argument("--dataset", choices=catalogue.UPLOADABLE_DATASETS)
    p.add_argument("--full", action="store_true", help="print whole SHA-256 version ids (default: the first 12)")
    p.set_defaults(func=_cmd_history)

    p = sub.add_parser("rollback", help="make an earlier version of a period current again (recorded)")
    p.add_argument("--dataset", required=True, choices=catalogue.UPLOADABLE_DATASETS)
    p.add_argument("--period", required=True, help="YYYY-MM-DD quarter end")
    p.add_argument("--to", required=True, help="the version to restore (its SHA-256, or its first 8+ characters)")
    p.add_argument("--by", required=True, help="your e-mail address: recorded in the audit log")
    p.add_argument(
        "--replacing",
        help="the version you expect to be current now (first 8+ characters); without"
        " it, the rollback must undo exactly the version that replaced --to",
    )
    p.set_defaults(func=_cmd_rollback)

    p = sub.add_parser("tidy", help="remove temporary files and version files no audit event names (over an hour old)")
    p.add_argument("--dry-run", action="store_true", help="list what would be removed; remove nothing")
    p.set_defaults(func=_cmd_tidy)

    p = sub.add_parser("hash-password", help="make an officer entry for .streamlit/secrets.toml (scrypt hash)")
    p.add_argument("--email", required=True)
    p.add_argument("--stdin", action="store_true", help="read the password from standard input (for scripts)")
    p.set_defaults(func=_cmd_hash_password)

    p = sub.add_parser("pack", help="write the printable board pack for a quarter (.html; .pdf via Chromium)")
    p.add_argument("--period", help="YYYY-MM-DD quarter end (default: the latest published quarter)")
    p.add_argument("--out", required=True, help="the file to write: NAME.html, or NAME.pdf if Chromium is installed")
    p.add_argument(
        "--compare",
        default=catalogue.DEFAULT_COMPARATOR,
        choices=list(catalogue.COMPARATORS),
        help="the comparator the headline sentences use (default: England)",
    )
    p.set_defaults(func=_cmd_pack)

    p = sub.add_parser("fixtures", help="rebuild the bundled sample snapshots (deterministic)")
    p.add_argument("--out", help="data directory to write (default: the configured data directory)")
    p.set_defaults(func=_cmd_fixtures)

    p = sub.add_parser("benchmarks", help="build the curated benchmark table from the DfE EES CSV files and LAIT")
    p.add_argument("source_dir", help="folder holding the DfE CSV files and lait_bds_long.parquet (shared/data/dfe)")
    p.add_argument("--out", help="data directory to write (default: the configured data directory)")
    p.set_defaults(func=_cmd_benchmarks)

    p = sub.add_parser(
        "web-assets",
        help="write what nginx adds for the installed Streamlit (deploy/nginx): cut-down fonts, preloads, its files",
    )
    p.add_argument("out_dir", help="the directory deploy/nginx names (/opt/cpb-dash/build/web)")
    p.set_defaults(func=_cmd_web_assets)
    return parser


def main(argv: list[str] | None = None) -> int:
    from cpb_dash.store import StoreError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except StoreError as err:  # refused, conflict, unknown version: nothing was changed
        print(f"cpb_dash: {err}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as err:  # a message for the officer, not a stack trace
        print(f"cpb_dash: {err}", file=sys.stderr)
        return 2
