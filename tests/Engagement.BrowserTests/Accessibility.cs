using System.Text.Json;
using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>axe-core (from npm) run on the page as it stands: no serious or critical WCAG 2.1 A/AA violation.</summary>
public static class Accessibility
{
    public static async Task AssertAccessibleAsync(this IPage page, SiteFixture site)
    {
        // Evaluated through the DevTools protocol, so the site's CSP (no inline script) stays on while axe runs.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.EvaluateAsync(site.AxeSource);
        }
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
              return JSON.stringify(result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')) })));
            }
            """);
        var violations = JsonDocument.Parse(json).RootElement;
        Assert.True(violations.GetArrayLength() == 0,
            $"axe found serious or critical violations on {page.Url}:\n{JsonSerializer.Serialize(violations, new JsonSerializerOptions { WriteIndented = true })}");
    }
}
