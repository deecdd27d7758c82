"""Small builders for test data through the real repositories."""

from __future__ import annotations

from typing import Any

from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import Customer, CustomerIn

_counter = 0


def customer(db: Any, **fields: Any) -> Customer:
    global _counter
    _counter += 1
    data = {"account_number": f"T-{_counter:05d}", "name": f"Customer {_counter}", **fields}
    return CustomerRepository(db).create(CustomerIn(**data))
