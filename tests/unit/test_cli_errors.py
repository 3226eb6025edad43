"""The CLI's one error handler: a message and an exit code, a traceback only with --debug."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import newsaudit.pipeline
from newsaudit.cli import INTERNAL_ERROR, main


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["newsaudit", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    return exit_info.value.code


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("Der Rat in Bonn tagte am Montag. Er beschloss nichts.", encoding="utf-8")
    return path


@pytest.fixture
def broken_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("something inside broke")

    monkeypatch.setattr(newsaudit.pipeline, "analyze_document", broken)


@pytest.mark.usefixtures("broken_pipeline")
def test_an_unexpected_error_is_one_line_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], article: Path
) -> None:
    code = _run(monkeypatch, "analyze", str(article), "--analyzers", "keywords")
    err = capsys.readouterr().err
    assert code == INTERNAL_ERROR
    assert err.splitlines() == [
        "newsaudit: internal error: RuntimeError: something inside broke "
        "(run with --debug for the traceback)"
    ]


@pytest.mark.usefixtures("broken_pipeline")
def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, article: Path) -> None:
    monkeypatch.setattr(sys, "argv", ["newsaudit", "--debug", "analyze", str(article)])
    with pytest.raises(RuntimeError, match="something inside broke"):
        main()


def test_an_input_error_gives_its_message_and_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = _run(monkeypatch, "analyze", str(tmp_path / "missing.txt"))
    assert code == 2
    assert (
        capsys.readouterr().err == f"newsaudit: error: no such file: {tmp_path / 'missing.txt'}\n"
    )


def test_training_without_its_data_folder_is_a_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Regression: `newsaudit train quotes` with a missing data folder printed a traceback.
    code = _run(monkeypatch, "train", "quotes", "--data", str(tmp_path / "nowhere"))
    err = capsys.readouterr().err
    assert code == 2
    assert (
        err == f"newsaudit: error: {tmp_path / 'nowhere'} is not a directory of SpkAtt JSON files\n"
    )


@pytest.mark.parametrize("source", ["file:///etc/passwd", "ftp://example.org/a.txt"])
def test_other_url_schemes_are_not_file_paths(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], source: str
) -> None:
    # Regression: "file:///etc/passwd" was read as a path ("no such file: file:/etc/passwd").
    code = _run(monkeypatch, "analyze", source)
    scheme = source.split(":")[0]
    assert code == 2
    assert capsys.readouterr().err == (
        f"newsaudit: error: URL scheme {scheme!r} is not supported: give an http(s) URL, "
        "a file path, or - for standard input\n"
    )


def test_python_m_newsaudit_cli_runs_the_cli() -> None:
    """``python -m newsaudit.cli`` is the same entry point as ``newsaudit`` (it used to exit
    silently, doing nothing)."""
    done = subprocess.run(
        [sys.executable, "-m", "newsaudit.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert "analyze" in done.stdout
