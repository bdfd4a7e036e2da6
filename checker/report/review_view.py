"""The words the HTML report uses for findings a waiver or the baseline accepts (checker.rules.review)."""

from __future__ import annotations

REVIEW_UI: dict[str, dict[str, str]] = {
    "en": {
        "accepted_waiver": "Waived until {expires}",
        "accepted_baseline": "In the baseline",
        "accepted": "Accepted",
        "accepted_waiver_text": "{reason} — approved by {approver}, until {expires} ({source})",
        "accepted_baseline_text": "already {status} in the baseline report {source}, no worse: it does not count",
        "verdict_accepted": "{n} fail(s) or unknown(s) accepted by waivers or the baseline: shown below, not counted "
        "in the verdict",
        "review_waivers": "Waivers file",
        "review_baseline": "Baseline report",
        "review_expired": "Expired waivers",
        "review_unused": "Waivers that matched nothing",
    },
    "zh": {
        "accepted_waiver": "豁免至 {expires}",
        "accepted_baseline": "基线中已有",
        "accepted": "已接受",
        "accepted_waiver_text": "{reason} — 批准人 {approver}，有效期至 {expires}（{source}）",
        "accepted_baseline_text": "基线报告 {source} 中已为{status}，且未变差：不计入结论",
        "verdict_accepted": "{n} 条不通过或无法判定的结果已由豁免或基线接受：下文照常列出，但不计入结论",
        "review_waivers": "豁免文件",
        "review_baseline": "基线报告",
        "review_expired": "已过期的豁免",
        "review_unused": "未匹配任何结果的豁免",
    },
}
