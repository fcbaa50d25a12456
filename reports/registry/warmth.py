"""送温暖活动统计表 (seed 004), from relief."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from relief import selectors as relief_selectors
from reports.registry.base import register
from reports.registry.tables import TableSheet


@register
class WarmthStatsSheet(TableSheet):
    """送温暖活动统计表 (seed 004). Figures from relief records when that app has them."""

    identifier = "warmth_stats"
    title = "教育工会春节送温暖活动统计表"
    columns = [
        ("aided", "春节送温暖帮困受助人数", 14),
        ("amount_wan", "帮困金额（万元）", 12),
        ("donations", "一日捐筹措资金", 12),
        ("visits", "慰问走访人数", 12),
        ("prev_people", "上年度帮困总人数", 14),
        ("prev_amount", "上年度帮困总金额", 14),
    ]
    sum_keys = ("aided", "amount_wan", "donations", "visits", "prev_people", "prev_amount")

    def prefill(self, union: Any, milestone: Any) -> dict[str, Any]:
        data = super().prefill(union, milestone)
        data["stats"] = _warmth_stats(union, milestone.campaign)
        return data

    def rows_of(self, union: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
        return [data.get("stats") or {}]

    def figures_of(self, data: dict[str, Any]) -> dict[str, Any]:
        return data.get("stats") or {}

    def sheet_title(self) -> str:
        return _("送温暖活动统计表")

    def labels(self, data: dict[str, Any]) -> list[tuple[str, str, float]]:
        year = (data.get("stats") or {}).get("year")
        if not year:
            return list(self.columns)
        named = {
            "aided": f"{year}年春节送温暖帮困受助人数",
            "prev_people": f"{year - 1}年度帮困总人数",
            "prev_amount": f"{year - 1}年度帮困总金额",
        }
        return [(k, named.get(k, label), w) for k, label, w in self.columns]

    def title_of(self, data: dict[str, Any]) -> str:
        year = (data.get("stats") or {}).get("year")
        return f"{year}年{self.title}" if year else str(self.title)


WARMTH_KEYS = ("aided", "amount_wan", "donations", "visits", "prev_people", "prev_amount")


def _warmth_stats(union: Any, campaign: Any) -> dict[str, Any]:
    """The statistics sheet's figures of ``union``, from relief (within the active scope)."""
    empty: dict[str, Any] = dict.fromkeys(WARMTH_KEYS, 0)
    stats = relief_selectors.warmth_stats(user=None, union=union, campaign=campaign)
    row = stats.rows[0] if stats.rows else None
    out = {k: _plain_number(getattr(row, k, 0)) for k in WARMTH_KEYS} if row else empty
    out["year"] = stats.year
    return out


def _warmth_year(campaign: Any) -> int:
    return relief_selectors.campaign_year(campaign)


def _plain_number(value: Any) -> Any:
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else (value or 0)
