"""How the apps cinerec is compared with are served: `cinerec serve`'s uvicorn stack (one
worker, loop and http auto-selected, no access log, no server header), so that the comparison
measures the apps and not their servers."""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI


def parser(description: str | None, port: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--log-level", default="warning")
    return parser


def serve(app: FastAPI, args: argparse.Namespace) -> None:
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=False,
        server_header=False,
    )
