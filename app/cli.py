"""``painmap`` / ``python -m app``: serve, check, load, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.dataset import DataError, check_muscle_file, load_dataset


def _check(args: argparse.Namespace) -> int:
    if args.files:
        for path in args.files:
            muscle = check_muscle_file(path, args.data_dir)
            print(f"ok: {path} ({muscle.slug}, {len(muscle.trigger_points)} trigger points)")
        return 0
    dataset = load_dataset(args.data_dir)
    points = sum(len(m.trigger_points) for m in dataset.muscles.values())
    print(
        f"ok: {len(dataset.regions)} regions, {len(dataset.muscles)} muscles, "
        f"{points} trigger points, {len(dataset.conditions)} conditions, "
        f"{len(dataset.red_flags)} red flags (version {dataset.version})"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="painmap", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=None, help="the data/ folder to read")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate data/ and print a summary")
    check.add_argument("files", nargs="*", type=Path, help="only these muscle files")
    check.set_defaults(run=_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.data_dir is None:
        from app.dataset import DEFAULT_DATA_DIR

        args.data_dir = DEFAULT_DATA_DIR
    try:
        return args.run(args)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
