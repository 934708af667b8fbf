"""The do-nothing FastAPI app: the framework's ceiling on this server stack.

    python -m benchmarks.ceiling_app [--port 8002]

`GET /noop` returns a tiny JSON object. It runs under uvicorn with the options
`cinerec serve` uses (one worker, loop and http auto-selected: uvloop + httptools when
installed, no access log, no server header), so its throughput is what any endpoint of a
FastAPI app can reach here.
"""

from __future__ import annotations

from benchmarks.stack import parser, serve
from fastapi import FastAPI

app = FastAPI(title="noop")


@app.get("/noop")
async def noop() -> dict[str, bool]:
    return {"ok": True}


def main() -> None:
    serve(app, parser(__doc__, 8002).parse_args())


if __name__ == "__main__":
    main()
