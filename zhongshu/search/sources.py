"""What is searchable, registered in one place for now (from SearchConfig.ready()).

Each source says how one object becomes a SearchDoc and which objects a user may see — always through the
model's own `restrict(user, "view")`, so search follows exactly the access rules of the module's lists.
Modules built later (督办, 档案) are added only when their app is installed.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.utils import timezone

from .registry import SearchDoc, SearchSource, register_source


def _local_date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _join(*parts) -> str:
    return " · ".join(str(p) for p in parts if p)


def _outgoing_doc(d) -> SearchDoc:
    date = d.issue_date or _local_date(d.created_at)
    return SearchDoc(
        title=d.title, head=d.doc_number, text="\n".join([d.body, *[str(a) for a in (d.attachment_names or [])], d.note]),
        url=d.get_absolute_url(), meta=_join(d.doc_number, d.doc_type), organization_id=d.organization_id,
        department_id=d.drafting_department_id, year=d.number_year or (date.year if date else None),
        classification=d.classification, status=d.status, status_label=d.get_status_display(), date=date,
    )


def _incoming_doc(d) -> SearchDoc:
    from .extract import attachments_text

    date = d.received_on or _local_date(d.created_at)
    return SearchDoc(
        title=d.title, head=f"{d.doc_number}\n{d.sender_name}\n{d.receipt_number}", text=f"{d.body}\n{attachments_text(d)}",
        url=d.get_absolute_url(), meta=_join(d.sender_name, d.doc_number, d.receipt_number), organization_id=d.organization_id,
        department_id=None, year=d.number_year or (date.year if date else None), classification=d.classification,
        status=d.status, status_label=d.get_status_display(), date=date,
    )


def register_all() -> None:
    from zhongshu.incoming.models import IncomingDocument
    from zhongshu.outgoing.models import OutgoingDocument

    register_source(SearchSource(
        kind="outgoing", label="发文", model=OutgoingDocument, build=_outgoing_doc,
        restricted=lambda user: OutgoingDocument.objects.restrict(user, "view"),
        statuses=tuple(OutgoingDocument.Status.choices),
    ))
    register_source(SearchSource(
        kind="incoming", label="收文", model=IncomingDocument, build=_incoming_doc,
        restricted=lambda user: IncomingDocument.objects.restrict(user, "view"),
        statuses=tuple(IncomingDocument.Status.choices),
    ))
    if apps.is_installed("zhongshu.supervision"):
        _register_supervision()
    if apps.is_installed("zhongshu.archives"):
        _register_archives()
    if apps.is_installed("zhongshu.seals"):
        _register_seals()
    if apps.is_installed("zhongshu.meetings"):
        _register_meetings()


def _supervision_doc(item) -> SearchDoc:
    number = getattr(item, "number", "")
    return SearchDoc(
        title=item.title, head=f"{number}\n{getattr(item, 'source_ref', '')}", text=getattr(item, "content", ""),
        url=item.get_absolute_url(), meta=_join(number, getattr(item, "lead_label", "")), organization_id=item.organization_id,
        department_id=getattr(item, "lead_department_id", None), year=getattr(item, "number_year", None),
        classification=item.classification, status=item.status, status_label=item.get_status_display(),
        date=getattr(item, "created_on", None),
    )


def _archive_doc(item) -> SearchDoc:
    # The filed 件 carries its own catalogue data; the text is that of the document it was filed from.
    body = ""
    for link in ("outgoing", "incoming"):
        source = getattr(item, link, None) if getattr(item, f"{link}_id", None) else None
        if source is not None:
            body = source.body
    return SearchDoc(
        title=item.title, head=f"{item.archival_code}\n{item.doc_number}\n{item.responsible}", text=f"{body}\n{item.note}",
        url=item.get_absolute_url(), meta=_join(item.archival_code, item.doc_number, item.responsible), organization_id=item.organization_id,
        department_id=item.department_id, year=item.year, classification=item.classification, status=item.status,
        status_label=item.get_status_display(), date=item.date,
    )


def _register_supervision() -> None:
    """督办事项 (zhongshu.supervision), when installed."""
    try:
        model = apps.get_model("supervision", "SupervisionItem")
    except LookupError:
        return
    register_source(SearchSource(
        kind="supervision", label="督办", model=model, build=_supervision_doc,
        restricted=lambda user: model.objects.restrict(user, "view"), statuses=tuple(model.Status.choices),
        prefetch=("lead_department",),
    ))


def _archive_policy():
    from zhongshu.archives.policy import ArchiveItemPolicy

    return ArchiveItemPolicy


def _register_archives() -> None:
    """档案 items (件, zhongshu.archives), when installed."""
    try:
        model = apps.get_model("archives", "ArchiveItem")
    except LookupError:
        return
    register_source(SearchSource(
        kind="archives", label="档案", model=model, build=_archive_doc,
        restricted=lambda user: model.objects.restrict(user, "view").filter(_archive_policy().full_text(user)),
        statuses=tuple(model.Status.choices),
        prefetch=("outgoing", "incoming"),
    ))


def _seal_request_doc(r) -> SearchDoc:
    date = _local_date(r.created_at)
    return SearchDoc(
        title=r.document_title, head="", text="\n".join([r.purpose, "、".join(s.name for s in r.seals.all()), r.approvers]),
        url=r.get_absolute_url(), meta=_join("用印申请", r.get_matter_display(), f"{r.copies}份"), organization_id=r.organization_id,
        department_id=r.department_id, year=date.year if date else None, classification=r.classification, status=r.status,
        status_label=r.get_status_display(), date=date,
    )


def _seal_record_doc(r) -> SearchDoc:
    return SearchDoc(
        title=r.document_title, head=r.doc_number, text="\n".join([r.seal.name, r.unit, r.approvers, r.handler.display_name]),
        url=r.get_absolute_url(), meta=_join("用印登记", r.seal.name, r.doc_number, f"{r.copies}份"), organization_id=r.organization_id,
        department_id=r.department_id, year=r.day.year, classification=r.classification, status="", status_label="", date=r.day,
    )


def _register_seals() -> None:
    """用印申请 and the 用印登记簿 (zhongshu.seals), when installed."""
    try:
        request_model = apps.get_model("seals", "UseRequest")
        record_model = apps.get_model("seals", "UseRecord")
    except LookupError:
        return
    register_source(SearchSource(
        kind="seal_request", label="用印申请", model=request_model, build=_seal_request_doc,
        restricted=lambda user: request_model.objects.restrict(user, "view"), statuses=tuple(request_model.Status.choices),
    ))
    register_source(SearchSource(
        kind="seal_record", label="用印登记", model=record_model, build=_seal_record_doc,
        restricted=lambda user: record_model.objects.restrict(user, "view"), prefetch=("seal", "handler"),
    ))


def _meeting_doc(m) -> SearchDoc:
    """会议: the plan, the agenda, the 会议记录, the 纪要 and the 议定事项 — one document, the meeting's access rules."""
    agenda = "\n".join(a.title for a in m.agenda.all())
    decisions = "\n".join(d.text for d in m.decisions.all())
    date = _local_date(m.start)
    return SearchDoc(
        title=m.title, head=f"{m.place}\n{m.scope}", text="\n".join([m.purpose, agenda, m.record, m.minutes, decisions]),
        url=m.get_absolute_url(), meta=_join(date, m.place), organization_id=m.organization_id, department_id=m.department_id,
        year=date.year if date else None, classification=m.classification, status=m.status,
        status_label=m.get_status_display(), date=date,
    )


def _register_meetings() -> None:
    """会议、会议记录和纪要 (zhongshu.meetings), when installed."""
    model = apps.get_model("meetings", "Meeting")
    register_source(SearchSource(
        kind="meetings", label="会议", model=model, build=_meeting_doc,
        restricted=lambda user: model.objects.restrict(user, "view"), statuses=tuple(model.Status.choices),
        prefetch=("room",),
    ))
