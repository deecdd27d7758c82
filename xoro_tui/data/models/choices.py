"""The fixed lists (refund status, payment method, document types, …) without Pydantic,
so that the screens drawn at start-up can name them without loading the form models."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class ChoiceEnum(StrEnum):
    """A fixed list matched case-insensitively; an unknown value lists the known ones."""

    @classmethod
    def parse(cls, value: object) -> Self:
        if isinstance(value, cls):
            return value
        text = str(value).strip().casefold()
        for member in cls:
            if member.value.casefold() == text:
                return member
        known = ", ".join(m.value for m in cls)
        raise ValueError(f"unknown value {str(value)!r}; use one of: {known}")


class RefundStatus(ChoiceEnum):
    DRAFT = "Draft"
    PENDING_APPROVAL = "Pending Approval"
    APPROVED = "Approved"
    PRINTED = "Printed"
    ISSUED = "Issued"
    CLEARED = "Cleared"
    VOIDED = "Voided"


class PaymentMethod(ChoiceEnum):
    CHEQUE = "Cheque"
    CASH = "Cash"
    ACH = "ACH"
    BANK_TRANSFER = "Bank Transfer"
    CREDIT_CARD = "Credit Card"
    STORE_CREDIT = "Store Credit"


class PortalStatus(ChoiceEnum):
    ACTIVE = "Active"
    INVITED = "Invited"
    INACTIVE = "Inactive"


class MandateStatus(ChoiceEnum):
    REQUESTED = "Requested"
    ACTIVE = "Active"
    CANCELLED = "Cancelled"
    FAILED = "Failed"


class DocumentType(StrEnum):
    ESTIMATE = "estimate"
    SALES_ORDER = "sales_order"
    INVOICE = "invoice"
    SALES_RECEIPT = "sales_receipt"
    CUSTOMER_DEPOSIT = "customer_deposit"
    CREDIT_MEMO = "credit_memo"


DOCUMENT_PREFIX: dict[DocumentType, str] = {
    DocumentType.ESTIMATE: "EST",
    DocumentType.SALES_ORDER: "SO",
    DocumentType.INVOICE: "INV",
    DocumentType.SALES_RECEIPT: "SR",
    DocumentType.CUSTOMER_DEPOSIT: "DEP",
    DocumentType.CREDIT_MEMO: "CM",
}

DOCUMENT_TITLE: dict[DocumentType, str] = {
    DocumentType.ESTIMATE: "Estimate",
    DocumentType.SALES_ORDER: "Sales Order",
    DocumentType.INVOICE: "Invoice",
    DocumentType.SALES_RECEIPT: "Sales Receipt",
    DocumentType.CUSTOMER_DEPOSIT: "Customer Deposit",
    DocumentType.CREDIT_MEMO: "Credit Memo",
}
