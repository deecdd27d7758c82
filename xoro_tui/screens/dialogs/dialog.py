"""The base of every modal dialog: one shared look, from ``styles/dialogs.tcss``.

A dialog is a ``ModalScreen`` whose first child is a ``Vertical`` box; the sheet centres
the box, frames it and styles its ``.field``, ``.error`` and ``#buttons`` the
same in every dialog. A dialog's own ``DEFAULT_CSS`` holds only its few own rules (its
size first).

Each subclass gets the sheet at the head of its own ``DEFAULT_CSS``, written for it
(``Dialog`` becomes its class name), not once on this base: Textual ranks a base class's
default CSS below a widget's own default CSS of the same specificity (a colour in the
Refund filters dialog changed that way), so each dialog is styled exactly as when every
one of them carried its own copy; its own rules come after the sheet and win over it.

Rules a few dialogs share (the cheque dialogs) sit on a base class of theirs between this
one and them, and are copied into each of them the same way.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, TypeVar

from textual.screen import ModalScreen

from xoro_tui.styles import stylesheet

ResultType = TypeVar("ResultType")

#: the shared sheet; ``Dialog`` in it stands for each dialog's class name
SHARED_CSS = stylesheet("dialogs.tcss")


class Dialog(ModalScreen[ResultType]):
    """A modal dialog drawn with the shared dialog stylesheet."""

    #: the rules written in the class's own body (its ``DEFAULT_CSS`` is the whole sheet)
    OWN_CSS: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.OWN_CSS = cls.__dict__.get("DEFAULT_CSS", "")
        between = [
            base.OWN_CSS
            for base in reversed(cls.__mro__[1:])
            if isinstance(base, type) and issubclass(base, Dialog) and base is not Dialog
        ]
        shared = re.sub(r"\bDialog\b", cls.__name__, SHARED_CSS)
        cls.DEFAULT_CSS = "\n".join([shared, *between, cls.OWN_CSS])
