"""通知公告 in the access matrix: each classification, all-organization and named audiences, a draft."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from zhongshu.core.attachments import attachment_add
from zhongshu.core.classification import Classification
from zhongshu.notices import services
from zhongshu.org.models import Department


def build(w) -> None:
    p = w.people
    director = p.director
    ms1 = Department.objects.get(organization=director.organization, code="MS1")

    def make(publish: bool = True, **kw):
        title = w.title("通知")
        n = services.notice_create(actor=director, title=title, body=w.body(title), **kw)
        attachment_add(actor=director, obj=n, upload=SimpleUploadedFile(f"{title}.pdf", b"%PDF-1.4 test", content_type="application/pdf"))
        return services.notice_publish(actor=director, notice=n) if publish else n

    make()  # 内部, the whole organization
    make(classification=Classification.SECRET, scope="selected", recipient_users=[p.archivist])
    make(classification=Classification.CONFIDENTIAL, scope="selected", recipient_departments=[ms1])
    _grant(w, make(classification=Classification.SECRET, scope="selected", recipient_users=[p.leader]))  # and the clerk, granted
    make(publish=False)  # the director's draft


def _grant(w, notice) -> None:
    from django.contrib.contenttypes.models import ContentType

    from zhongshu.access.services import grant_create

    grant_create(actor=w.people.secadmin, content_type=ContentType.objects.get_for_model(notice), object_id=notice.pk,
                 user=w.people.clerk, reason="矩阵：承办需要")
