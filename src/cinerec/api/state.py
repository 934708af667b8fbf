"""What the app holds once started: the catalogue and the model, loaded read-only."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request

from cinerec.catalog.loaded import Catalog, CatalogNotFoundError, load_catalog
from cinerec.queries.resolve import warm_suggestions
from cinerec.recommend.model import RecommenderIndex
from cinerec.recommend.text_search import TEXT_INDEX, TextIndex
from cinerec.store import MODEL


@dataclass
class ServiceState:
    catalog: Catalog
    recommender: RecommenderIndex
    text: TextIndex

    @classmethod
    def load(cls, data_dir: Path) -> ServiceState:
        try:
            catalog = load_catalog(data_dir)
            state = cls(
                catalog=catalog,
                recommender=RecommenderIndex.load(catalog.build_dir / MODEL),
                text=TextIndex(catalog.build_dir / TEXT_INDEX),
            )
        except (FileNotFoundError, KeyError) as exc:
            missing = getattr(exc, "filename", None) or str(exc)
            raise CatalogNotFoundError(
                f"the catalogue in {data_dir} is incomplete or from an older cinerec "
                f"(missing {missing}): run `cinerec build` again"
            ) from exc
        threading.Thread(target=warm_suggestions, args=(catalog,), daemon=True).start()
        return state


async def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


async def get_catalog(request: Request) -> Catalog:
    state: ServiceState = request.app.state.service
    return state.catalog
