"""The analyst guide and the README can't drift from the tool: commands, options, chart kinds, screenshots."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer

from plotwatch.cli import app
from plotwatch.report.charts import KINDS

ROOT = Path(__file__).resolve().parents[1]
DOCS = {"guide": ROOT / "docs" / "guide.md", "readme": ROOT / "README.md"}
COMMAND = typer.main.get_command(app)


def _command_lines(text: str) -> list[list[str]]:
    """Every `plotwatch ...` line of the fenced code blocks, as words (the comment after # left out)."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0].endswith("plotwatch"):
                lines.append(words[1:])
    return lines


def _resolve(words: list[str]) -> tuple[Any, list[str]]:
    """The (sub)command the words name (a click-style command), and the words after it."""
    command: Any = COMMAND
    while hasattr(command, "commands") and words and words[0] in command.commands:
        command, words = command.commands[words[0]], words[1:]
    return command, words


@pytest.mark.parametrize("name", sorted(DOCS))
def test_every_documented_command_line_parses(name: str) -> None:
    lines = _command_lines(DOCS[name].read_text(encoding="utf-8"))
    assert len(lines) >= 8
    for words in lines:
        command, rest = _resolve(words)
        assert not hasattr(command, "commands"), words
        options = {opt for param in command.params for opt in param.opts}
        used = {word for word in rest if word.startswith("-")}
        assert used <= options | {"-"}, (words, used - options)
        if command.name == "chart":
            assert rest[0] in KINDS, words


def test_the_guide_covers_the_analysts_commands_and_shows_its_screenshots() -> None:
    text = DOCS["guide"].read_text(encoding="utf-8")
    used = {" ".join(words[:2]) if words[0] in ("review", "user") else words[0] for words in _command_lines(text)}
    assert {"run", "errors", "incidents", "show", "review confirm", "user add", "serve", "report", "chart",
            "export"} <= used  # fmt: skip
    assert "/analytics" in text
    for kind in KINDS:
        assert f"plotwatch chart {kind} " in text, kind
    images = re.findall(r"\]\((screenshots/[^)]+)\)", text)
    assert {"screenshots/analytics.png", "screenshots/report.png", "screenshots/chart.png"} <= set(images)
    for image in images:
        assert (DOCS["guide"].parent / image).is_file(), image
    assert "docs/guide.md" in DOCS["readme"].read_text(encoding="utf-8")
