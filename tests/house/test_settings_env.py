"""``XORO_TUI_*`` variables: read in one module, documented, and cheap at start-up."""

from __future__ import annotations

import ast
import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from xoro_tui.settings_env import EnvSettings, env_settings, overriding

ROOT = Path(__file__).resolve().parents[2]
HOME_MODULE = ROOT / "xoro_tui" / "settings_env.py"


def _variables_in(text: str) -> set[str]:
    return set(re.findall(r"XORO_TUI_[A-Z_]*[A-Z]", text))


def test_unset_variables_give_the_defaults() -> None:
    assert EnvSettings.from_environ({}) == EnvSettings()
    assert EnvSettings().company_name == "XoroERP Customer Services"


def test_values_are_read_as_before() -> None:
    settings = EnvSettings.from_environ(
        {
            "XORO_TUI_DB": "~/x.sqlite",
            "XORO_TUI_GROUP": " finance ",
            "XORO_TUI_LOW_BANDWIDTH": " Yes",
            "XORO_TUI_BUSY_TIMEOUT_MS": "250",
            "XORO_TUI_RETENTION_DAYS": " 90 ",
            "XORO_TUI_SMTP_PORT": "2525",
            "XORO_TUI_SMTP_TLS": " TLS ",
            "XORO_TUI_SMTP_USER": "",
            "XORO_TUI_COMPANY_NAME": "",
        }
    )
    assert settings.db == "~/x.sqlite"
    assert settings.group == "finance"
    assert settings.low_bandwidth is True
    assert settings.busy_timeout_ms == 250
    assert settings.retention_days == 90
    assert settings.smtp_port == 2525
    assert settings.smtp_tls == "tls"
    assert settings.smtp_user is None
    assert settings.company_name == ""  # set but empty stays empty, as before


@pytest.mark.parametrize("raw", ["", "abc", "-5", "1.5", "²"])
def test_a_number_that_is_not_whole_digits_is_ignored(raw: str) -> None:
    assert EnvSettings.from_environ({"XORO_TUI_BUSY_TIMEOUT_MS": raw}).busy_timeout_ms is None


def test_the_environment_is_read_at_each_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XORO_TUI_RETENTION_DAYS", "400")
    assert env_settings().retention_days == 400
    with overriding("RETENTION_DAYS", "500"):
        assert env_settings().retention_days == 500
    assert env_settings().retention_days == 400


def test_the_password_is_not_in_the_repr() -> None:
    assert "hunter2" not in repr(EnvSettings.from_environ({"XORO_TUI_SMTP_PASSWORD": "hunter2"}))


def _reads_outside_the_settings_module() -> list[str]:
    """``os.environ.get("XORO_TUI_…")``, ``os.environ["XORO_TUI_…"]``, ``os.getenv(…)``."""
    found = []
    for path in sorted((ROOT / "xoro_tui").rglob("*.py")):
        if path == HOME_MODULE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            key = None
            if isinstance(node, ast.Call) and node.args:
                key = node.args[0]
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                key = node.slice
            if (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and key.value.startswith("XORO_TUI_")
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_other_module_reads_a_variable() -> None:
    assert _reads_outside_the_settings_module() == []


def test_every_variable_the_code_names_is_a_setting_and_in_the_readme() -> None:
    named = set()
    for path in (ROOT / "xoro_tui").rglob("*.py"):
        named |= _variables_in(path.read_text())
    fields = {f"XORO_TUI_{f.name.upper()}" for f in dataclasses.fields(EnvSettings)}
    assert named == fields
    assert _variables_in(HOME_MODULE.read_text()) == fields
    assert fields <= _variables_in((ROOT / "README.md").read_text())


def test_start_up_modules_do_not_import_pydantic() -> None:
    code = (
        "import sys, xoro_tui.settings_env, xoro_tui.config, xoro_tui.terminal.mode, xoro_tui.cli,"
        " xoro_tui.data.store.opening;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'pydantic', 'textual'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_first_screen_imports_no_pydantic(tmp_path: Path) -> None:
    """The Customer Centre's first screen and the start-up purge draw without Pydantic:
    loading it (and its plugin scan) cost a tenth of a second of start-up on a busy core."""
    code = """
import asyncio, sys
from pathlib import Path
from xoro_tui.app import XoroApp
from xoro_tui.data.store.connection import connect

async def main() -> None:
    path = Path(sys.argv[1])
    app = XoroApp(connect(path), path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(type(app.screen).__name__, sorted(m for m in sys.modules if m.startswith("pydantic")))

asyncio.run(main())
"""
    from xoro_tui.data.store.opening import create_database

    create_database(tmp_path / "x.sqlite")
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "x.sqlite")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert out.stdout.strip().splitlines()[-1] == "CustomerCentre []"
