"""Payments' use cases and the port they speak to."""

from ordino.payments.services.balances import (
    GiftCardIssue,
    StoreCreditGrant,
    gift_card,
    grant_store_credit,
    issue_gift_card,
    store_credit,
)
from ordino.payments.services.credit import (
    AccountPayment,
    CreditTerms,
    credit_account,
    put_credit_account,
    record_account_payment,
)
from ordino.payments.services.ports import PaymentsWork

__all__ = [
    "AccountPayment",
    "CreditTerms",
    "GiftCardIssue",
    "PaymentsWork",
    "StoreCreditGrant",
    "credit_account",
    "gift_card",
    "grant_store_credit",
    "issue_gift_card",
    "put_credit_account",
    "record_account_payment",
    "store_credit",
]
