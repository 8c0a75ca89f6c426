"""Returns' use cases and the port they speak to."""

from ordino.returns.services.appeasements import Appease, appease, order_appeasements
from ordino.returns.services.exchanges import settle_exchanges
from ordino.returns.services.file import (
    code_image,
    counter_return,
    return_file,
    return_file_by_code,
    return_queue,
    returns_of_order_number,
)
from ordino.returns.services.labels import settle_label
from ordino.returns.services.policy import get_policy, policy_of, put_policy
from ordino.returns.services.ports import Returns, ReturnsWork
from ordino.returns.services.receipts import (
    ReceiveReturn,
    receipts_of,
    receive_return,
    return_by_code,
)
from ordino.returns.services.refunds import (
    FEES_KEEP_IT_ALL,
    NOTHING_CAME_BACK,
    REFUNDED,
    given_refunds,
    refund_preview,
    refund_return,
)
from ordino.returns.services.returns import (
    ReturnAction,
    StartReturn,
    act_on_return,
    find_returns,
    get_return,
    order_returns,
    return_code,
    return_exchanges,
    return_label,
    return_routings,
    start_return,
)

__all__ = [
    "FEES_KEEP_IT_ALL",
    "NOTHING_CAME_BACK",
    "REFUNDED",
    "Appease",
    "ReceiveReturn",
    "ReturnAction",
    "Returns",
    "ReturnsWork",
    "StartReturn",
    "act_on_return",
    "appease",
    "code_image",
    "counter_return",
    "find_returns",
    "get_policy",
    "get_return",
    "given_refunds",
    "order_appeasements",
    "order_returns",
    "policy_of",
    "put_policy",
    "receipts_of",
    "receive_return",
    "refund_preview",
    "refund_return",
    "return_by_code",
    "return_code",
    "return_exchanges",
    "return_file",
    "return_file_by_code",
    "return_label",
    "return_queue",
    "return_routings",
    "returns_of_order_number",
    "settle_exchanges",
    "settle_label",
    "start_return",
]
