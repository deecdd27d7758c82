"""fields_by_key: every list spec's FIELDS, in the order written, each key once."""

from __future__ import annotations

import pytest

from xoro_tui.data.customers import card_list, customer_list
from xoro_tui.data.refunds import refund_list
from xoro_tui.data.search.list_query import FieldDef, fields_by_key


def test_the_fields_keep_their_order_and_keys() -> None:
    fields = fields_by_key(FieldDef("b", "B", "t.b"), FieldDef("a", "A", "t.a", width=3))
    assert list(fields) == ["b", "a"]
    assert fields["a"] == FieldDef(key="a", title="A", sql="t.a", width=3)


def test_two_fields_with_one_key_are_refused() -> None:
    with pytest.raises(ValueError, match="share a key"):
        fields_by_key(FieldDef("a", "A", "t.a"), FieldDef("a", "Again", "t.b"))


@pytest.mark.parametrize("module", [customer_list, card_list, refund_list])
def test_every_list_spec_builds_its_fields_with_it(module) -> None:  # noqa: ANN001
    assert all(key == field.key for key, field in module.FIELDS.items())
    assert set(module.DEFAULT_COLUMNS) <= set(module.FIELDS)
