"""axe-core run in the page: the WCAG 2.2 AA rules, failing on what is serious or critical.

axe-core comes from npm into tests/browser/axe/ (`npm ci --prefix tests/browser/axe`, as .ci/run
does). Without it the checks are skipped with the reason, or fail when BORD_REQUIRE has "browser".
"""

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.conftest import unavailable

AXE_SCRIPT = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}

# Colours are judged as they end, not halfway through a transition.
SETTLED = """() => Promise.all(document.getAnimations()
  .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
  .map((a) => a.finished.catch(() => null)))"""

RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
    summaries: v.nodes.map((n) => n.failureSummary || ''),
  }));
}"""


def require_axe() -> None:
    if not AXE_SCRIPT.exists():
        unavailable("browser", f"{AXE_SCRIPT} is missing (npm ci --prefix tests/browser/axe)")


def violations(page: Page) -> list[dict[str, Any]]:
    """The serious and critical WCAG 2.2 AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    found = page.evaluate(RUN, WCAG_22_AA)
    return [v for v in found if v["impact"] in BLOCKING]


def report(where: str, found: list[dict[str, Any]]) -> str:
    """One readable block per page: rule, impact, what it asks, and the first elements."""
    lines = [f"{where}:"]
    for v in found:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']} - {len(v['targets'])} element(s)")
        for target, summary in list(zip(v["targets"], v["summaries"], strict=True))[:5]:
            first = summary.splitlines()[1].strip() if "\n" in summary else summary
            lines.append(f"    {target}  {first}")
    return "\n".join(lines)


class Audit:
    """Collects the violations of several pages, to fail once with the whole report."""

    def __init__(self) -> None:
        require_axe()
        self.failures: list[str] = []
        self.checked: list[str] = []

    def check(self, page: Page, where: str) -> None:
        page.wait_for_load_state("networkidle")
        page.evaluate(SETTLED)
        found = violations(page)
        self.checked.append(where)
        if found:
            self.failures.append(report(where, found))

    def assert_clean(self) -> None:
        assert not self.failures, "axe-core found serious or critical violations\n" + "\n".join(
            self.failures
        )
