"""移交 (transfer) packages: a folder (and a zip of it) with the PDFs, the catalogue (xlsx + CSV), the metadata
(JSON) and a checksum manifest; `verify_package` (and `zhongshu archives verify PATH`) checks one.

Manifest: `manifest.txt`, first line `# algorithm: SM3` (or SHA256 where OpenSSL lacks SM3 — the audit
chain's choice), then one `<hex digest>  <relative path>` line per file.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone

from zhongshu.access.permissions import has_perm
from zhongshu.audit.chain import DEFAULT_ALGO, digest
from zhongshu.audit.services import record
from zhongshu.core.errors import PermissionDenied, ServiceError
from zhongshu.org.models import User

from . import catalogue
from .models import ArchiveItem, Transfer
from .services import _require_settings

MANIFEST = "manifest.txt"


def transfer_root() -> Path:
    return Path(getattr(django_settings, "ARCHIVES_TRANSFER_DIR", Path(django_settings.MEDIA_ROOT) / "transfers"))


def _safe(name: str) -> str:
    return "".join(ch if ch not in '/\\:*?"<>|\0' else "_" for ch in name).strip() or "file"


def transfer_export(*, actor: User, year: int, directory: Path | None = None) -> Transfer:
    """Export every filed (not destroyed) item of `year` of the actor's organization as a transfer package."""
    if not has_perm(actor, "archives.manage") or actor.organization_id is None:
        raise PermissionDenied()
    settings = _require_settings(actor.organization_id)
    items = list(ArchiveItem.objects.restrict(actor).filter(year=year, status=ArchiveItem.Status.FILED)
                 .order_by("retention", "unit_code", "item_number").prefetch_related("files"))
    if not items:
        raise ServiceError(f"{year} 年度没有可移交的档案。", fields={"year": "该年度没有已归档的档案。"})
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    root = (directory or transfer_root()) / f"{settings.fonds_code}-{year}-{stamp}"
    root.mkdir(parents=True, exist_ok=False)
    try:
        entries: list[tuple[str, bytes]] = []
        meta_items = []
        for it in items:
            files_meta = []
            for f in it.files.all():
                rel = f"files/{_safe(it.archival_code)}/{f.order:02d}-{f.role}-{_safe(f.name)}"
                with f.file.open("rb") as fh:
                    data = fh.read()
                entries.append((rel, data))
                files_meta.append({"path": rel, "name": f.name, "role": f.role, "pages": f.pages, "sha256": f.sha256, "size": f.size})
            meta_items.append({
                "archival_code": it.archival_code, "fonds_code": it.fonds_code, "category_code": it.category_code, "year": it.year,
                "retention": it.retention, "unit_code": it.unit_code, "item_number": it.item_number, "title": it.title,
                "doc_number": it.doc_number, "doc_type": it.doc_type, "responsible": it.responsible, "date": it.date.isoformat(),
                "classification": it.get_classification_display(), "pages": it.pages, "note": it.note, "source": it.source, "files": files_meta,
            })
        entries.append(("catalogue.xlsx", catalogue.xlsx(items)))
        entries.append(("catalogue.csv", catalogue.csv_text(items).encode("utf-8-sig")))
        meta = {"fonds_code": settings.fonds_code, "fonds_name": settings.fonds_name, "year": year, "item_count": len(items),
                "exported_at": timezone.localtime().isoformat(), "exported_by": actor.display_name, "items": meta_items}
        entries.append(("metadata.json", json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8")))
        lines = [f"# algorithm: {DEFAULT_ALGO}"]
        for rel, data in entries:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            lines.append(f"{digest(DEFAULT_ALGO, data)}  {rel}")
        manifest = ("\n".join(lines) + "\n").encode("utf-8")
        (root / MANIFEST).write_bytes(manifest)
        with transaction.atomic():
            t = Transfer.objects.create(organization_id=actor.organization_id, year=year, item_count=len(items), path=str(root),
                                        manifest_digest=digest(DEFAULT_ALGO, manifest), algorithm=DEFAULT_ALGO, created_by=actor)
            record(actor=actor, action="archives.transfer", target=t, after={"year": year, "items": len(items), "manifest": t.manifest_digest})
    except Exception:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return t


def zip_bytes(path: Path) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(path.rglob("*")):
            if p.is_file():
                zf.write(p, f"{path.name}/{p.relative_to(path).as_posix()}")
    return buf.getvalue()


@dataclass
class VerifyReport:
    ok: bool
    checked: int = 0
    algorithm: str = ""
    tampered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    problem: str = ""


def verify_package(path: Path | str) -> VerifyReport:
    """Recompute every digest of the manifest; name tampered, missing and unlisted files. Accepts a folder or a zip."""
    path = Path(path)
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            prefix = names[0].split("/", 1)[0] + "/" if names and all("/" in n for n in names) else ""
            files = {n[len(prefix):]: zf.read(n) for n in names}
    elif path.is_dir():
        files = {p.relative_to(path).as_posix(): p.read_bytes() for p in path.rglob("*") if p.is_file()}
    else:
        return VerifyReport(ok=False, problem=f"找不到移交包：{path}")
    raw = files.pop(MANIFEST, None)
    if raw is None:
        return VerifyReport(ok=False, problem="移交包中没有校验清单 manifest.txt")
    lines = raw.decode("utf-8", "replace").splitlines()
    algo = "SHA256"
    report = VerifyReport(ok=True)
    listed: set[str] = set()
    for line in lines:
        if line.startswith("# algorithm:"):
            algo = line.split(":", 1)[1].strip().upper()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        hexd, _, rel = line.partition("  ")
        listed.add(rel)
        if rel not in files:
            report.missing.append(rel)
            continue
        report.checked += 1
        try:
            actual = digest(algo, files[rel])
        except Exception:  # an algorithm this machine lacks
            return VerifyReport(ok=False, algorithm=algo, problem=f"本机不支持摘要算法 {algo}")
        if actual != hexd.strip().lower():
            report.tampered.append(rel)
    report.extra = sorted(set(files) - listed)
    report.algorithm = algo
    report.ok = not (report.tampered or report.missing or report.extra)
    return report
