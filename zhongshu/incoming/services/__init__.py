"""收文 writes, one module per stage: intake (交换, 签收, 登记, 初审, 退文, 送拟办), handling (承办安排, 承办,
答复, 延期, 办结, 催办) and circulation (传阅). Callers import from here."""

from .circulation import circulation_read, circulation_recall, circulation_redirect, circulation_start
from .handling import (
    extension_decide,
    extension_request,
    incoming_close,
    incoming_plan,
    overdue_q,
    undertaking_accept,
    undertaking_chase,
    undertaking_hand_to,
    undertaking_record_paper,
    undertaking_reminders_scan,
    undertaking_reply,
    undertaking_return,
    undertakings_open,
)
from .instruction import incoming_propose_leaders
from .intake import (
    DOC_TYPES,
    REVIEW_CHECKS,
    deliver,
    duplicates,
    incoming_flow_ended,
    incoming_register,
    incoming_return,
    incoming_review,
    incoming_sign_in,
    incoming_start_handling,
    parse_doc_number,
)

__all__ = [
    "DOC_TYPES", "REVIEW_CHECKS", "circulation_read", "circulation_recall", "circulation_redirect", "circulation_start", "deliver",
    "duplicates", "extension_decide", "extension_request", "incoming_close", "incoming_flow_ended", "incoming_plan", "incoming_propose_leaders", "incoming_register", "incoming_return",
    "incoming_review", "incoming_sign_in", "incoming_start_handling", "overdue_q", "parse_doc_number", "undertaking_accept", "undertaking_chase",
    "undertaking_hand_to", "undertaking_record_paper", "undertaking_reminders_scan", "undertaking_reply", "undertaking_return", "undertakings_open",
]
