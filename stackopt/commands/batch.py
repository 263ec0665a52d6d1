"""``stackopt batch SOURCE... --out FILE``: solve a scenario set into one table.

Sources are game files, directories or list files, or ``--model M --scenarios TABLE.csv|
GRID.yaml`` (a game template or model swept over a table or grid). The options of ``solve``
apply to every scenario (a table may set them per scenario). Each finished scenario is appended
at once to ``FILE.jsonl``; ``--resume`` continues a killed batch. Exit 0 when every scenario is
solved and certified, 1 when some are not, 2 for bad input (nothing is solved then).
"""

from __future__ import annotations

import argparse
import logging
import sys

from stackopt.commands import EXIT_NO_EQUILIBRIUM, EXIT_OK, add_kind_options, kind_options


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


_positive_int.__name__ = "whole number"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "batch",
        help="solve many scenarios (files, or a template/model over a table or "
        "grid) into one table",
        description="Solve a scenario set in parallel into one CSV/Parquet table; every "
        "result is kept in FILE.jsonl (resumable, re-checkable).",
        epilog="examples:\n"
        "  stackopt batch data/*.yaml --out results.csv\n"
        "  stackopt batch --model data/inspection.yaml "
        "--scenarios data/scenarios/inspection_fine.yaml --out fine.csv\n"
        "  stackopt batch --scenarios grid.yaml --out grid.parquet --workers 4 "
        "--resume\n"
        "exit: 0 every scenario solved and certified; 1 some not; 2 bad input",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="game files, directories or list files (.txt, one path a line)",
    )
    p.add_argument(
        "--model",
        metavar="M",
        help="a game YAML used as a template (or a model of stackopt.models)",
    )
    p.add_argument(
        "--scenarios", metavar="TABLE", help="CSV (one row per scenario) or YAML grid of parameters"
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="the table, .csv or .parquet (results store: FILE.jsonl)",
    )
    p.add_argument(
        "--workers",
        type=_positive_int,
        metavar="N",
        help="worker processes (default: the number of cores)",
    )
    p.add_argument(
        "--scheduler", metavar="ADDR", help="Dask: 'local' for a local cluster, or tcp://host:port"
    )
    p.add_argument("--resume", action="store_true", help="skip the scenarios already in FILE.jsonl")
    p.add_argument(
        "--retry-failed",
        action="store_true",
        help="with --resume: solve the scenarios that failed again",
    )
    p.add_argument("--quiet", action="store_true", help="no progress line and no summary")
    p.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        dest="batch_verbose",
        help="log each scenario (same as 'stackopt -v batch')",
    )
    p.add_argument(
        "--chunk-size",
        type=_positive_int,
        metavar="K",
        help="scenarios per task (default: chosen from the set's size)",
    )
    p.add_argument(
        "--export-results",
        metavar="DIR",
        help="also write each result (and template game) to DIR for 'stackopt verify'",
    )
    add_kind_options(p)


def run(args: argparse.Namespace) -> int:
    from stackopt.batch.export import check_directory, export_results
    from stackopt.batch.runner import run as run_batch
    from stackopt.batch.scenarios import scenario_set
    from stackopt.batch.table import check_output

    log = logging.getLogger("stackopt")
    if args.batch_verbose:
        log.setLevel(logging.INFO if args.batch_verbose == 1 else logging.DEBUG)
    quiet = bool(args.quiet or getattr(args, "quiet_log", False))
    check_output(args.out)
    if args.export_results:
        check_directory(args.export_results)
    sset = scenario_set(
        args.sources, model=args.model, scenarios=args.scenarios, options=kind_options(args)
    )
    df, summary = run_batch(
        sset,
        out=args.out,
        workers=args.workers,
        scheduler=args.scheduler,
        resume=args.resume,
        retry_failed=args.retry_failed,
        quiet=quiet,
        chunk_size=args.chunk_size,
    )
    if args.export_results:
        export_results(sset, out=args.out, directory=args.export_results, table=df)
    if not quiet:
        print(summary.text(), file=sys.stdout)
    return EXIT_OK if summary.ok else EXIT_NO_EQUILIBRIUM
