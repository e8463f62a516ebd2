"""A progress display for long runs (the CLI's; the library itself prints nothing).

``progress_display()`` gives a ``pipeline.Progress`` that draws, on standard
error, one line per stage with documents done, documents per second and, when
the total is known (extraction), a bar and the time left. It draws nothing
when standard error is not a terminal (logs, CI, pipes) or when asked to be
quiet.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from plotwatch.pipeline import SILENT
from plotwatch.pipeline import Progress as ProgressReport

__all__ = ["RichProgress", "progress_display"]


class RateColumn(ProgressColumn):
    """Documents per second over the last seconds (rich's own speed estimate)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.1f} docs/s", style="progress.data.speed")


class RichProgress:
    """``pipeline.Progress`` on a rich display: a task per stage."""

    def __init__(self, display: Progress) -> None:
        self.display = display
        self.task: TaskID | None = None

    def start(self, stage: str, total: int | None) -> None:
        self._finish()
        self.task = self.display.add_task(stage, total=total)

    def advance(self, count: int = 1) -> None:
        if self.task is not None:
            self.display.advance(self.task, count)

    def _finish(self) -> None:
        if self.task is not None:
            task = next(task for task in self.display.tasks if task.id == self.task)
            self.display.update(self.task, total=task.completed)
            self.display.stop_task(self.task)


@contextmanager
def progress_display(quiet: bool = False, stream: IO[str] | None = None) -> Iterator[ProgressReport]:
    """A progress report for a run; silent when ``quiet`` or when ``stream`` (stderr) is not a terminal."""
    stream = stream or sys.stderr
    if quiet or not stream.isatty():
        yield SILENT
        return
    columns = (
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(file=stream), transient=False) as display:
        report = RichProgress(display)
        yield report
        report._finish()
