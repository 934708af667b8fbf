"""What the app holds once started: the catalogue and the model, loaded read-only."""

from __future__ import annotations

import gc
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
        gc.freeze()
        threading.Thread(target=_warm_and_freeze, args=(catalog,), daemon=True).start()
        return state


def _warm_and_freeze(catalog: Catalog) -> None:
    """Warm the suggestions, then move every long-lived object out of the collector's reach:
    a full collection walking the ~300k suggestion strings was the tail of the latency."""
    warm_suggestions(catalog)
    gc.freeze()


async def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


async def get_catalog(request: Request) -> Catalog:
    state: ServiceState = request.app.state.service
    return state.catalog
