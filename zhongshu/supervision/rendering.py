"""督办通报 and 催办单 through the GB/T 9704 renderer (zhongshu.render), fed the way 发文 feeds it."""

from __future__ import annotations

from django.utils import timezone

from zhongshu.core.classification import Classification
from zhongshu.render import Document, render_docx, render_pdf

from .models import ReminderNotice
from .selectors import Stats

LABELS = {Classification.SECRET: "秘密", Classification.CONFIDENTIAL: "机密", Classification.TOP_SECRET: "绝密"}


def bulletin_document(stats: Stats, organization) -> Document:
    """督办通报: the period's figures, the ranking and the overdue list, as a 通报 of the office."""
    same_year = stats.start.year == stats.end.year
    if stats.start.replace(day=1) == stats.end.replace(day=1):
        period = f"{stats.start:%Y年%-m月}"
    else:
        period = f"{stats.start:%Y年%-m月}至{stats.end:%-m月}" if same_year else f"{stats.start:%Y年%-m月}至{stats.end:%Y年%-m月}"
    lines = [
        f"现将{period}督查督办工作情况通报如下。",
        "一、总体情况",
        f"期内共交办督办事项{stats.total}件，已办结销号{stats.closed}件，办结率{stats.close_rate}%；"
        f"其中按期办结{stats.on_time}件，按时办结率{stats.on_time_rate}%。目前超期未办结{stats.overdue}件。",
        "二、分类情况",
    ]
    lines += [f"{s['label']}{s['total']}件，办结{s['closed']}件，超期{s['overdue']}件。" for s in stats.by_source] or ["无。"]
    lines.append("三、承办单位办理情况")
    lines += [f"{n}. {d['name']}：承办{d['total']}件，办结{d['closed']}件，办结率{d['close_rate']}%，超期{d['overdue']}件。"
              for n, d in enumerate(stats.by_department[:30], 1)] or ["无。"]
    lines.append("四、超期未办结事项")
    lines += [f"{n}. {i.title}（{i.number}，主办：{i.lead_label}，时限{i.deadline:%Y年%-m月%-d日}）。"
              for n, i in enumerate(stats.overdue_items, 1)] or ["无。"]
    lines.append("五、工作要求")
    lines.append("各承办单位要对照督办事项清单，逐项落实责任，超期事项要说明原因、明确完成时限，确保按期办结。")
    today = timezone.localdate()
    return Document(
        doc_type="通报",
        title=f"关于{period}督查督办工作情况的通报",
        issuer_marks=[organization.name + "文件"],
        main_recipients=["各承办单位"],
        body="\n".join(lines),
        issuer_signatures=[organization.name],
        date=today,
        printer=organization.name,
        print_date=today,
    )


def reminder_document(notice: ReminderNotice) -> Document:
    """催办单, in the letter format (信函格式) of the office."""
    item = notice.item
    dept = notice.task.department.name if notice.task_id else "、".join(
        t.department.name for t in item.tasks.exclude(status="reassigned").select_related("department")
    )
    level = Classification(item.classification)
    body = "\n".join([
        f"督办事项：{item.title}（{item.number}）",
        f"责任领导：{item.responsible_leader.display_name}",
        f"办结时限：{item.deadline:%Y年%-m月%-d日}" + (f"（原定{item.original_deadline:%Y年%-m月%-d日}）" if item.extended else ""),
        notice.text,
    ])
    return Document(
        doc_type="函",
        format="letter",
        title=f"督办事项催办单（{notice.number}）",
        classification=LABELS.get(level, ""),
        issuer_marks=[item.organization.name],
        main_recipients=[dept or "承办单位"],
        body=body,
        issuer_signatures=[item.organization.name],
        date=notice.issued_on,
    )


def bulletin_files(stats: Stats, organization) -> tuple[bytes, bytes]:
    doc = bulletin_document(stats, organization)
    return render_docx(doc), render_pdf(doc)


def reminder_pdf(notice: ReminderNotice) -> bytes:
    return render_pdf(reminder_document(notice))


def reminder_docx(notice: ReminderNotice) -> bytes:
    return render_docx(reminder_document(notice))
