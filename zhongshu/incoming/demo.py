"""Demo 收文 for the county government office: a paper document from the city waiting for the director's 拟办."""

from __future__ import annotations

import datetime

from django.utils import timezone

from zhongshu.org.models import ExternalOrgan, User

from . import services
from .flowdemo import build_incoming_flow


def build_demo_incoming() -> None:
    clerk = User.objects.get(username="clerk")
    director = User.objects.get(username="director")
    build_incoming_flow(clerk.organization, director)
    city = ExternalOrgan.objects.get(organization=clerk.organization, short_name="市政府办")
    doc = services.incoming_register(
        actor=clerk, source="paper", sender_organ=city, doc_number="某市政办发〔2026〕42号",
        title="某市人民政府办公室关于开展安全生产大检查的通知", doc_type="通知", pages=4,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    services.incoming_start_handling(actor=clerk, document=doc, opinion="请主任拟办。")
