"""`/docs` and `/redoc` without internet: Swagger UI and ReDoc from the installed
`fastapi-offline` package's copies, served by the app itself, and a page policy that keeps them
from fetching anything from elsewhere."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse
from fastapi_offline import FastAPIOffline

ASSETS = "/static/docs"
FAVICON = "/favicon.ico"
# ReDoc's side menu shows its maker's logo from their CDN: the policy stops the request, the
# style hides the empty image (the text link stays)
OFFLINE_POLICY = "img-src 'self' data:; font-src 'self' data:; connect-src 'self'"
_HIDE_LOGO = '<style>img[src^="https:"] { display: none; }</style>'


def docs_app(**kwargs: Any) -> FastAPI:
    """A FastAPI app whose `/docs` (Swagger UI) and `/redoc` are served from local assets."""
    app: FastAPI = FastAPIOffline(
        static_url=ASSETS,
        favicon_url=FAVICON,
        redoc_url=None,
        swagger_ui_parameters={"validatorUrl": None},  # no call to the online validator
        **kwargs,
    )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=FAVICON,
            with_google_fonts=False,
        )
        html = bytes(page.body).decode().replace("</head>", _HIDE_LOGO + "</head>", 1)
        return HTMLResponse(html, headers={"Content-Security-Policy": OFFLINE_POLICY})

    return app
