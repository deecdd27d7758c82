"""Getting rows out of a list: the Download dialog for what is on screen, and copying a
cell or a row to the terminal's clipboard and to a file."""

from __future__ import annotations

from pathlib import Path

from textual import on

from xoro_tui.screens.lists.list_parts import ListParts
from xoro_tui.widgets.line_prompt import LinePrompt
from xoro_tui.widgets.virtual_table import VirtualTable


class ListDownload(ListParts):
    """Download and copy on a list screen."""

    def action_download(self) -> None:
        """The Download dialog for what is on screen: its filter, columns and checks."""
        from xoro_tui.screens.dialogs.print_dialog import PrintDialog
        from xoro_tui.screens.lists.download_dialog import DownloadDialog, DownloadRequest

        assert self.source is not None
        checked = sorted(self.checked_ids())  # "every row of the filter" too, read in SQL
        request = DownloadRequest(
            centre=self.NOUN,
            spec=self.source.query.spec,
            filter=self.source.filter,
            sort=self.source.sort,
            then_by=self.source.then_by,
            columns=self.source.visible_keys,
            filter_text=self.describe_filter(),
            checked=checked,
            total=self.source.count(),
            delimiter=self.settings.get("app", "csv_delimiter", ",") or ",",
        )

        def done(path) -> None:  # noqa: ANN001 - Path | None
            if path is not None:
                self.app.push_screen(PrintDialog(path, "Exported"))

        self.app.push_screen(DownloadDialog(request), done)

    # -- copying a cell or a row
    @on(VirtualTable.CopyRequested)
    def _copy(self, event: VirtualTable.CopyRequested) -> None:
        """To the terminal's clipboard (OSC 52) when that is on in Settings, and to a file
        the user names."""
        from xoro_tui.config import exports_dir

        repo = self.settings
        what = "cell" if event.what == "cell" else "row"
        copied = bool(repo.get("app", "osc52", False))
        if copied:
            self.app.copy_to_clipboard(event.text)
        last = repo.get("app", "copy_file") or str(exports_dir() / "copied.txt")
        label = "Copied to the clipboard; also to file:" if copied else f"Copy the {what} to file:"

        def write(path_text: str) -> None:
            if not path_text.strip():
                return
            path = Path(path_text.strip()).expanduser()
            if not path.is_absolute():
                path = exports_dir() / path
            try:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                path.write_text(event.text + "\n", encoding="utf-8")
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                self.notify(f"Could not write {path}: {reason}", severity="error", markup=False)
                return
            repo.put("app", "copy_file", str(path))
            self.notify(f"Copied the {what} to {path}", markup=False, timeout=4)

        self.query_one(LinePrompt).ask(label, write, value=last, hint="Enter: write  Esc: no file")
