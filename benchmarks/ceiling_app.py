"""The do-nothing FastAPI app: the framework's ceiling on this server stack.

    python -m benchmarks.ceiling_app [--port 8002]

`GET /noop` returns a tiny JSON object. It runs under uvicorn with the options
`cinerec serve` uses (one worker, loop and http auto-selected: uvloop + httptools when
installed, no access log, no server header), so its throughput is what any endpoint of a
FastAPI app can reach here.
"""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI

app = FastAPI(title="noop")


@app.get("/noop")
async def noop() -> dict[str, bool]:
    return {"ok": True}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args()
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=False,
        server_header=False,
    )


if __name__ == "__main__":
    main()
