"""Command line for officers and pipelines: python -m cpb_dash COMMAND ... (see --help)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cpb_dash import catalogue
from cpb_dash.config import settings


def _cmd_validate(args: argparse.Namespace) -> int:
    from cpb_dash.contract import render_report, validate_file

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cpb_dash", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a snapshot file against the data contract (exit 1 if invalid)")
    p.add_argument("file")
    p.add_argument("--dataset", required=True, choices=catalogue.UPLOADABLE_DATASETS)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("fixtures", help="rebuild the bundled sample snapshots (deterministic)")
    p.add_argument("--out", help="data directory to write (default: the configured data directory)")
    p.set_defaults(func=_cmd_fixtures)

    p = sub.add_parser("benchmarks", help="build the curated benchmark table from DfE EES CSV files")
    p.add_argument("source_dir", help="folder holding the DfE CSV files (as in shared/data/dfe)")
    p.add_argument("--out", help="data directory to write (default: the configured data directory)")
    p.set_defaults(func=_cmd_benchmarks)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (OSError, ValueError) as err:  # a message for the officer, not a stack trace
        print(f"cpb_dash: {err}", file=sys.stderr)
        return 2
