"""The visit report as a PDF: real text (ReportLab platypus), tables, the photos with their
traced outline and scale, the measurement trend chart, and page numbers.

It states what was recorded and by whom; it gives no clinical advice (every sentence here is
a label or a fact from the record).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from woundcare.domain.record import CaseRecord
from woundcare.handoff.fhir.bundle import ExportContext
from woundcare.handoff.report.figures import annotated_photo, trend_chart

PUSH_ATTRIBUTION = ("PUSH Tool 3.0 (Pressure Ulcer Scale for Healing) by the National Pressure "
                    "Injury Advisory Panel (NPIAP), used as published; the score is computed "
                    "from the recorded area, exudate amount and tissue type.")
NOT_RECORDED = "not recorded"

_STYLES = getSampleStyleSheet()
H1 = ParagraphStyle("h1", parent=_STYLES["Heading1"], fontSize=16, spaceAfter=4)
H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontSize=12, spaceBefore=8, spaceAfter=4)
BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontSize=9, leading=11.5)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7.5, leading=9.5,
                       textColor=colors.HexColor("#444444"))


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Adds "Page n of N" and the case id to every page once the page count is known."""

    footer = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Helvetica", 7.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(2 * cm, 1.2 * cm, self.footer)
            self.drawRightString(A4[0] - 2 * cm, 1.2 * cm,
                                 f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def _p(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else NOT_RECORDED


def _words(value: object) -> str:
    if value is None:
        return NOT_RECORDED
    return str(getattr(value, "value", value)).replace("_", " ")


def _table(rows: Sequence[Sequence[object]], widths: Sequence[float],
           header: bool = True) -> Table:
    data = [[c if isinstance(c, Paragraph) else _p(c) for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef3")))
    table.setStyle(TableStyle(style))
    return table


def _measurement(record: CaseRecord) -> Any:
    return getattr(record.wound, "measurement", None)


def render_report(record: CaseRecord, ctx: ExportContext, *,
                  history: Sequence[CaseRecord] = (),
                  history_push: Sequence[int | None] = ()) -> bytes:
    """The PDF bytes of the report of ``record`` (an exported visit); ``history`` holds the
    earlier visits of the same wound (oldest first) for the trend chart, ``history_push``
    their PUSH totals (same order) when known."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm,
                            topMargin=1.8 * cm, bottomMargin=2 * cm,
                            title="Wound-care visit report", author=ctx.organisation_name,
                            subject=f"Case {record.case_id}")
    story: list[Any] = []
    story += _header(record, ctx)
    story += _patient(record)
    story += _consent(record)
    story += _wound(record, ctx)
    story += _measurements(record, ctx, history, history_push)
    story += _vitals(record)
    story += _time(record)
    story += _follow_ups(record)
    story += _signature(record, ctx)

    p = record.patient
    who = " ".join(x for x in (p.first_name, p.last_name) if x) or "Patient"
    ident = f"MRN {p.mrn}" if p.mrn else (f"born {p.date_of_birth}" if p.date_of_birth else "")

    class Numbered(_NumberedCanvas):
        footer = (f"{who}{', ' + ident if ident else ''} - {ctx.organisation_name} - "
                  f"case {record.case_id} - visit {record.visit_number}")

    doc.build(story, canvasmaker=Numbered)
    return out.getvalue()


def _header(record: CaseRecord, ctx: ExportContext) -> list[Any]:
    exported = record.export.exported_at if record.export else None
    return [
        _p("Wound-care visit report", H1),
        _p(f"{ctx.organisation_name}. Visit {record.visit_number}, recorded "
           f"{_when(record.created_at)}; exported {_when(exported)}. "
           f"Report generated {_when(ctx.generated_at)}.", SMALL),
        Spacer(1, 4),
    ]


def _patient(record: CaseRecord) -> list[Any]:
    p = record.patient
    name = " ".join(x for x in (p.first_name, p.last_name) if x) or NOT_RECORDED
    rows = [["Name", name], ["Preferred name", p.preferred_name or "-"],
            ["Date of birth", p.date_of_birth.isoformat() if p.date_of_birth else
             (f"age {p.age}" if p.age is not None else NOT_RECORDED)],
            ["Sex", _words(p.sex)], ["MRN", p.mrn or NOT_RECORDED]]
    return [_p("Patient", H2), _table(rows, [4 * cm, 13 * cm], header=False)]


def _consent(record: CaseRecord) -> list[Any]:
    c = record.consent
    rows: list[list[object]] = [["Consent", "Status", "Method", "Recorded"]]
    for kind in ("data_storage", "photography", "team_board_sharing"):
        changes = [h for h in c.history if h.kind.value == kind]
        last = changes[-1] if changes else None
        rows.append([kind.replace("_", " "), _words(getattr(c, kind)),
                     _words(last.method if last else c.method),
                     _when(last.captured_at if last else c.captured_at)])
    return [_p("Consent", H2), _table(rows, [4.5 * cm, 3.5 * cm, 3.5 * cm, 5.5 * cm])]


def _wound(record: CaseRecord, ctx: ExportContext) -> list[Any]:
    w = record.wound
    rows = [["Site", w.site or NOT_RECORDED]]
    for attr, label in (("wound_type", "Wound type"), ("aetiology", "Aetiology"),
                        ("pressure_injury_stage", "Pressure injury stage")):
        value = getattr(w, attr, None)
        if value is not None:
            rows.append([label, _words(value)])
    if w.description:
        rows.append(["Description", w.description])
    story: list[Any] = [_p("Wound", H2), _table(rows, [4 * cm, 13 * cm], header=False)]
    m = _measurement(record)
    for index, photo in enumerate(w.photos):
        blob = ctx.photos.get(photo.artifact_id)
        if blob is None:
            continue
        traced = m is not None and getattr(m, "photo_artifact_id", None) == photo.artifact_id
        outline = getattr(m, "outline", None) if traced else None
        scale = (getattr(m, "cm_per_pixel", None) if traced else None) or photo.cm_per_pixel
        try:
            png = annotated_photo(blob.data, outline=outline, cm_per_pixel=scale)
        except OSError:  # not a readable image: say so rather than fail the report
            story.append(_p(f"Photo {index + 1}: the file could not be shown.", SMALL))
            continue
        image = Image(io.BytesIO(png))
        ratio = image.imageHeight / image.imageWidth
        image.drawWidth, image.drawHeight = 8 * cm, 8 * cm * ratio
        caption = (f"Photo {index + 1} ({_words(photo.orientation)}). "
                   + ("Traced outline shown. " if outline else "")
                   + (f"Scale bar: 1 cm ({scale:g} cm per pixel)." if scale
                      else "No scale reference measured."))
        story.append(KeepTogether([Spacer(1, 4), image, _p(caption, SMALL)]))
    return story


def _measurements(record: CaseRecord, ctx: ExportContext, history: Sequence[CaseRecord],
                  history_push: Sequence[int | None]) -> list[Any]:
    m = _measurement(record)
    story: list[Any] = [_p("Measurements", H2)]
    if m is None:
        story.append(_p("No wound measurement was recorded for this visit."))
    else:
        rows = [["Method", _words(getattr(m, "method", None))]]
        for attr, label, unit in (("length_cm", "Length", "cm"), ("width_cm", "Width", "cm"),
                                  ("depth_cm", "Depth", "cm"), ("area_cm2", "Area", "cm²"),
                                  ("perimeter_cm", "Perimeter", "cm")):
            value = getattr(m, attr, None)
            rows.append([label, f"{value:g} {unit}" if value is not None else NOT_RECORDED])
        for u in getattr(m, "undermining", None) or []:
            rows.append(["Undermining", f"{u.depth_cm:g} cm, from {_words(u.from_clock)} to "
                         f"{_words(u.to_clock)} o'clock"])
        for t in getattr(m, "tunnelling", None) or []:
            rows.append(["Tunnelling", f"{t.depth_cm:g} cm at {_words(t.clock)} o'clock"])
        rows.append(["Measured", _when(getattr(m, "measured_at", None))])
        story.append(_table(rows, [4 * cm, 13 * cm], header=False))
    visits = [*history, record]
    points = []
    for visit in visits:
        vm = _measurement(visit)
        points.append((visit.created_at, getattr(vm, "area_cm2", None),
                       getattr(vm, "length_cm", None)))
    if any(p[1] is not None or p[2] is not None for p in points):
        totals = [*history_push, getattr(ctx.push, "total", None)]
        push_points = [(v.created_at, t) for v, t in zip(visits[-len(totals):], totals,
                                                         strict=False)]
        png = trend_chart(points, push=push_points)
        image = Image(io.BytesIO(png))
        image.drawWidth, image.drawHeight = 16 * cm, 16 * cm * image.imageHeight / image.imageWidth
        caption = (f"Trend over {len(visits)} visits of this wound." if len(visits) > 1 else
                   "Trend: this is the first measured visit; the trend builds from the next "
                   "visit on.")
        story.append(KeepTogether([Spacer(1, 4), _p(caption, BODY), image]))
    if ctx.push is not None:
        p = ctx.push
        story += [_p("PUSH score", H2), _table(
            [["Total", "Length x width", "Exudate amount", "Tissue type"],
             [p.total, getattr(p, "area_score", "-"), getattr(p, "exudate_score", "-"),
              getattr(p, "tissue_score", "-")]], [4.25 * cm] * 4),
            _p(PUSH_ATTRIBUTION, SMALL)]
    return story


def _vitals(record: CaseRecord) -> list[Any]:
    v = record.vitals
    bp = v.blood_pressure

    def shown(m: Any, text: str) -> str:
        return "unknown (recorded as unknown)" if m.unknown else text

    rows: list[list[object]] = [["Vital sign", "Value", "Captured"]]
    rows.append(["Blood pressure", shown(bp, f"{bp.systolic}/{bp.diastolic} mmHg"
                                         if bp.systolic else NOT_RECORDED), _when(bp.captured_at)])
    for name, label, unit in (("heart_rate", "Heart rate", "bpm"),
                              ("respiratory_rate", "Respiratory rate", "breaths/min"),
                              ("oxygen_saturation", "SpO2", "%")):
        m = getattr(v, name)
        rows.append([label, shown(m, f"{m.value:g} {unit}" if m.value is not None
                                  else NOT_RECORDED), _when(m.captured_at)])
    t = v.temperature
    temp = NOT_RECORDED
    if t.value is not None:
        temp = f"{t.value:g} °{t.unit.value if t.unit else ''}"
        if t.unit and t.unit.value == "F" and t.celsius is not None:
            temp += f" ({t.celsius:g} °C)"
        if t.site and t.site.value != "unknown":
            temp += f", {t.site.value}"
    rows.append(["Temperature", shown(t, temp), _when(t.captured_at)])
    pain = v.pain
    rows.append(["Pain", shown(pain, f"{pain.value}/10 ({_words(pain.scale).upper()})"
                               if pain.value is not None else NOT_RECORDED),
                 _when(pain.captured_at)])
    return [_p("Vital signs", H2), _table(rows, [4.5 * cm, 7 * cm, 5.5 * cm])]


def _time(record: CaseRecord) -> list[Any]:
    ta = record.time_assessment
    tissue = ta.tissue

    def pct(value: float | None) -> str:
        return f"{value:g} %" if value is not None else NOT_RECORDED

    rows: list[list[object]] = [["T.I.M.E.", "Recorded"]]
    rows += [["Tissue: granulation", pct(tissue.granulation_pct)],
             ["Tissue: slough", pct(tissue.slough_pct)],
             ["Tissue: necrotic", pct(tissue.necrotic_pct)],
             ["Tissue: epithelial", pct(tissue.epithelial_pct)],
             ["Infection/inflammation: odour", _words(ta.infection.odour)],
             ["Infection/inflammation: erythema", _words(ta.infection.erythema)
              + (f" ({ta.infection.erythema_extent_cm:g} cm)"
                 if ta.infection.erythema_extent_cm is not None else "")],
             ["Moisture: exudate level", _words(ta.moisture.exudate_level)],
             ["Moisture: exudate consistency", _words(ta.moisture.exudate_consistency)],
             ["Moisture: dressing saturation", _words(ta.moisture.dressing_saturation)],
             ["Edge: condition", _words(ta.edge.condition)],
             ["Edge: undermining depth", f"{ta.edge.undermining_depth_cm:g} cm"
              if ta.edge.undermining_depth_cm is not None else NOT_RECORDED],
             ["Edge: epibole", _words(ta.edge.epibole)]]
    if ta.notes:
        rows.append(["Notes", ta.notes])
    rows.append(["Assessed", _when(ta.assessed_at)])
    return [_p("T.I.M.E. assessment", H2), _table(rows, [6 * cm, 11 * cm])]


def _follow_ups(record: CaseRecord) -> list[Any]:
    story: list[Any] = [_p("Follow-up questions", H2)]
    if not record.follow_ups:
        return [*story, _p("No follow-up questions were raised.")]
    rows: list[list[object]] = [["Question", "Status", "Answer or reason"]]
    for f in record.follow_ups:
        rows.append([f.question, _words(f.status), f.answer or f.dismiss_reason or "-"])
    return [*story, _table(rows, [8 * cm, 2.5 * cm, 6.5 * cm])]


def _signature(record: CaseRecord, ctx: ExportContext) -> list[Any]:
    link = record.pin_linkage
    rows = [["Signed by", ctx.clinician_name],
            ["Signed at", _when(link.signed_at if link else None)],
            ["Record digest (SHA-256)", link.record_digest if link else NOT_RECORDED],
            ["Sealed at", _when(record.seal.sealed_at if record.seal else None)],
            ["Exported at", _when(record.export.exported_at if record.export else None)]]
    if record.review:
        rows.insert(0, ["Reviewed", f"{_when(record.review.attested_at)}: "
                        f"{record.review.statement}"])
    return [_p("Signature", H2), KeepTogether(_table(rows, [4.5 * cm, 12.5 * cm], header=False)),
            Spacer(1, 4),
            _p("The digest identifies exactly the signed content; any later change to the "
               "record would no longer match it. The FHIR export of this visit carries the "
               "organisation's signature over the same content.", SMALL)]
