"""Progress reporting that long steps share; the CLI shows bars, tests stay silent."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol


class Progress(Protocol):
    """Something that can show named steps of a long job."""

    def start(self, total: int, description: str) -> None: ...

    def advance(self, description: str) -> None: ...

    def finish(self) -> None: ...


class SilentProgress:
    """Progress that shows nothing."""

    def start(self, total: int, description: str) -> None:
        return None

    def advance(self, description: str) -> None:
        return None

    def finish(self) -> None:
        return None


class RichProgress:
    """A progress bar on stderr, one tick per step."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as _Progress

        self._bar = _Progress(
            TextColumn("{task.description:<34}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task: Any = None

    def start(self, total: int, description: str) -> None:
        self._bar.start()
        self._task = self._bar.add_task(description, total=total)

    def advance(self, description: str) -> None:
        if self._task is not None:
            self._bar.update(self._task, advance=1, description=description)

    def finish(self) -> None:
        self._bar.stop()
        self._task = None

    def discard(self) -> None:
        """Clear the bar when it stops (a failed job: its one-line error says it all)."""
        self._bar.live.transient = True
        if not self._bar.console.is_terminal:  # a log: write nothing at all
            self._bar.console.file = io.StringIO()


@contextmanager
def progress_run(progress: Progress, total: int, description: str) -> Iterator[Progress]:
    """Start a bar and always stop it, also when the job fails."""
    progress.start(total, description)
    try:
        yield progress
    except BaseException:
        if isinstance(progress, RichProgress):
            progress.discard()
        raise
    finally:
        progress.finish()
