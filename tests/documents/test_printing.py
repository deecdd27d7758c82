"""Printing: CUPS when there is one, a configured command, never a shell; scp otherwise."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from xoro_tui.data.store.errors import DataError
from xoro_tui.documents import printing
from xoro_tui.documents.printing import PrintError, print_file, printers, scp_line


def _script(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An otherwise empty PATH, so only our fake commands exist."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv(printing.PRINT_COMMAND_ENV, raising=False)
    return folder


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "my files" / "cheque 1001.pdf"
    path.parent.mkdir()
    path.write_bytes(b"%PDF-1.4\n")
    return path


def test_no_lpstat_means_no_printers(bin_dir: Path) -> None:
    assert printers() == []
    assert printing.default_printer() is None


def test_failing_lpstat_means_no_printers(bin_dir: Path) -> None:
    _script(bin_dir, "lpstat", 'echo "lpstat: No destinations added." >&2\nexit 1\n')
    assert printers() == []


def test_printers_from_lpstat(bin_dir: Path) -> None:
    _script(
        bin_dir,
        "lpstat",
        'if [ "$1" = "-d" ]; then echo "system default destination: office"; exit 0; fi\n'
        'echo "office accepting requests since Mon 01 Jan 2024"\n'
        'echo "label_printer accepting requests since Mon 01 Jan 2024"\n',
    )
    assert printers() == ["office", "label_printer"]
    assert printing.default_printer() == "office"


def test_print_with_lp(bin_dir: Path, tmp_path: Path, pdf: Path) -> None:
    log = tmp_path / "args.txt"
    _script(
        bin_dir,
        "lp",
        f'for a in "$@"; do echo "$a" >> "{log}"; done\necho "request id is office-7 (1 file(s))"\n',
    )
    line = print_file(pdf, "office")
    assert log.read_text().splitlines() == ["-d", "office", str(pdf.resolve())]
    assert "office" in line and "request id is office-7" in line and "\n" not in line


def test_print_to_the_default_printer(bin_dir: Path, tmp_path: Path, pdf: Path) -> None:
    log = tmp_path / "args.txt"
    _script(bin_dir, "lp", f'for a in "$@"; do echo "$a" >> "{log}"; done\n')
    assert "default printer" in print_file(pdf, None)
    assert log.read_text().splitlines() == [str(pdf.resolve())]


def test_print_command_template_is_not_a_shell(
    bin_dir: Path, tmp_path: Path, pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "args.txt"
    tool = _script(tmp_path, "myprint", f'for a in "$@"; do echo "$a" >> "{log}"; done\n')
    monkeypatch.setenv(
        printing.PRINT_COMMAND_ENV, f"{shlex.quote(str(tool))} -P {{printer}} {{file}}"
    )
    print_file(pdf, "office; rm -rf /")
    assert log.read_text().splitlines() == ["-P", "office; rm -rf /", str(pdf.resolve())]


def test_command_without_file_placeholder_gets_the_file_last(
    bin_dir: Path, tmp_path: Path, pdf: Path
) -> None:
    log = tmp_path / "args.txt"
    tool = _script(tmp_path, "myprint", f'for a in "$@"; do echo "$a" >> "{log}"; done\n')
    print_file(pdf, None, command=f"{tool} --duplex")
    assert log.read_text().splitlines() == ["--duplex", str(pdf.resolve())]


def test_template_needing_a_printer(bin_dir: Path, pdf: Path) -> None:
    with pytest.raises(PrintError, match="needs a printer"):
        print_file(pdf, None, command="lpr -P {printer} {file}")


def test_failures_are_clear_data_errors(bin_dir: Path, tmp_path: Path, pdf: Path) -> None:
    assert issubclass(PrintError, DataError)
    with pytest.raises(PrintError, match="cups-client"):
        print_file(pdf, "office")  # no lp and no command
    with pytest.raises(PrintError, match="no such command"):
        print_file(pdf, None, command="no-such-print-tool {file}")
    _script(bin_dir, "lp", 'echo "lp: The printer or class does not exist." >&2\nexit 1\n')
    with pytest.raises(PrintError, match="does not exist"):
        print_file(pdf, "ghost")
    with pytest.raises(PrintError, match="does not exist"):
        print_file(tmp_path / "missing.pdf", "office")
    with pytest.raises(PrintError, match="malformed"):
        print_file(pdf, None, command="lp 'unterminated")


def test_scp_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pdf: Path) -> None:
    monkeypatch.setattr(printing, "os_user", lambda: "alice")
    monkeypatch.setattr(printing.socket, "getfqdn", lambda: "erp.example.com")
    plain = tmp_path / "c.pdf"
    assert scp_line(plain) == f"scp alice@erp.example.com:{plain.resolve()} ."
    assert shlex.split(scp_line(pdf)) == ["scp", f"alice@erp.example.com:{pdf.resolve()}", "."]
