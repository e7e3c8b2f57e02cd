"""``painmap`` / ``python -m app``: serve, check, load, export."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from app.config import Settings
from app.data.dataset import DataError, check_muscle_file, load_bodymap, load_dataset
from app.logs import log_config


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {"data_dir": args.data_dir} if args.data_dir else {}
    return Settings(**overrides)


def _check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.files:
        for path in args.files:
            muscle = check_muscle_file(path, settings.data_dir)
            print(f"ok: {path} ({muscle.slug}, {len(muscle.trigger_points)} trigger points)")
        return 0
    dataset = load_dataset(settings.data_dir)  # the body map too
    points = sum(len(m.trigger_points) for m in dataset.muscles.values())
    shapes = len(load_bodymap(settings.data_dir, dataset.regions).regions)
    print(
        f"ok: {len(dataset.regions)} regions, {len(dataset.muscles)} muscles, "
        f"{points} trigger points, {len(dataset.conditions)} conditions, "
        f"{len(dataset.red_flags)} red flags, {shapes} regions drawn "
        f"(version {dataset.version})"
    )
    return 0


def _load(args: argparse.Namespace) -> int:
    from app.data.db import build_sqlite, load_into, make_db_engine

    settings = _settings(args)
    if settings.uses_embedded_sqlite:
        dataset = load_dataset(settings.data_dir)
        build_sqlite(settings.sqlite_path, dataset)
        target = str(settings.sqlite_path)
    else:
        db_engine = make_db_engine(settings.effective_database_url)
        try:
            dataset = load_into(db_engine, settings.data_dir)
        finally:
            db_engine.dispose()
        target = db_engine.url.render_as_string(hide_password=True)
    print(
        f"loaded dataset version {dataset.version} ({len(dataset.muscles)} muscles) into {target}"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from app.data.db import make_db_engine, prepare_database
    from app.data.export import write_csv, write_json

    settings = _settings(args)
    db_engine = make_db_engine(settings.effective_database_url)
    try:
        dataset = prepare_database(settings, db_engine)
    finally:
        db_engine.dispose()
    if args.format == "csv":
        if args.output is None:
            print("error: --output DIR is required for CSV", file=sys.stderr)
            return 2
        for path in write_csv(dataset, args.output):
            print(path)
    else:
        text = write_json(dataset, args.output)
        if args.output is None:
            print(text)
    return 0


def _serve(args: argparse.Namespace) -> int:
    import logging.config

    import uvicorn

    from app.data.db import ensure_embedded_sqlite, make_db_engine, wait_for_database
    from app.server import uvicorn_options
    from app.web.bodymap import load_geometry

    settings = _settings(args)
    logging.config.dictConfig(log_config(settings.log_level))
    host = args.host or settings.host
    port = args.port or settings.port
    if args.data_dir:
        import os

        os.environ["PAINMAP_DATA_DIR"] = str(args.data_dir)
    # Check what start-up needs before the server starts, so that a bad data
    # file, an unwritable SQLite folder or an absent database stops here with
    # one clear line instead of a traceback from every worker.
    load_geometry(settings.data_dir)
    if settings.uses_embedded_sqlite:
        ensure_embedded_sqlite(settings)
    else:
        db_engine = make_db_engine(settings.effective_database_url)
        try:
            wait_for_database(db_engine, settings.db_connect_attempts, settings.db_connect_backoff)
        finally:
            db_engine.dispose()
    if args.workers > 1 and settings.rate_limit and settings.rate_limit_storage == "memory://":
        logging.getLogger("painmap").warning(
            "each of the %d workers counts PAINMAP_RATE_LIMIT alone (memory://): set "
            "PAINMAP_RATE_LIMIT_STORAGE=redis://… for one limit",
            args.workers,
        )
    uvicorn.run(
        "app.main:app", host=host, port=port, workers=args.workers, **uvicorn_options(settings)
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="painmap", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=None, help="the data/ folder to read")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP service (uvicorn)")
    serve.add_argument("--host", default=None, help="default PAINMAP_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default PAINMAP_PORT or 8000")
    serve.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    serve.set_defaults(run=_serve)

    check = commands.add_parser("check", help="validate data/ and print a summary")
    check.add_argument("files", nargs="*", type=Path, help="only these muscle files")
    check.set_defaults(run=_check)

    load = commands.add_parser("load", help="import data/ into DATABASE_URL (all or nothing)")
    load.set_defaults(run=_load)

    export = commands.add_parser("export", help="dump the dataset as JSON or CSV")
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--output", type=Path, default=None, help="file (JSON) or folder (CSV)")
    export.set_defaults(run=_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    from pydantic import ValidationError

    from app.data.db import BuildFailed, DatabaseUnusable

    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except (DataError, BuildFailed, DatabaseUnusable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ValidationError as exc:  # a setting from the environment
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        print(f"error: setting {where}: {first['msg']}", file=sys.stderr)
        return 2
