using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>
/// Every form on the site, found by walking the pages each role reaches, sent empty with the keyboard: it comes back
/// with the error summary focused, the title saying "Error", and every field the summary names marked invalid and
/// described by its own message (a radio or check group through its fieldset). Only forms whose fields are all empty
/// when the page arrives are sent, so nothing a person filled in before is changed.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class EmptyFormTests(SiteFixture site)
{
    // The forms that take typed input and are empty on arrival (folded ones opened, as a person opens them).
    private const string EmptyForms = """
        () => (document.querySelectorAll('main details:not([open])').forEach(d => { d.open = true; }), [...document.querySelectorAll('main form')])
          .filter(f => (f.getAttribute('method') || 'get').toLowerCase() === 'post')
          .map((f, i) => ({ f, i, fields: [...f.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button]):not([type=file]), textarea')]
            .filter(el => el.getBoundingClientRect().width > 0) }))
          .filter(({ f, fields }) => fields.length > 0 && fields.every(el => el.value === '') && f.querySelector('[type=submit]'))
          .map(({ f, i }) => ({ index: i, action: f.getAttribute('action') || location.pathname }))
        """;

    private const string DescribedProperly = """
        () => {
          const bad = [];
          for (const link of document.querySelectorAll('#error-summary a[data-field]')) {
            const name = link.dataset.field;
            const byId = document.getElementById(link.getAttribute('href').slice(1));
            const fields = byId ? [byId] : [...document.querySelectorAll(`[name="${CSS.escape(name)}"]`)].filter(el => el.type !== 'hidden');
            if (fields.length === 0) { bad.push(`${name}: the summary links to nothing`); continue; }
            for (const field of fields) {
              if (field.getAttribute('aria-invalid') !== 'true') { bad.push(`${name}: not aria-invalid`); break; }
              const group = ['radio', 'checkbox'].includes(field.type) && fields.length > 1 ? field.closest('fieldset') : null;
              const describer = group || field;
              const ids = (describer.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
              const text = ids.map(id => document.getElementById(id)?.textContent || '').join(' ');
              if (!text.includes(link.textContent.trim())) { bad.push(`${name}: its description does not carry "${link.textContent.trim()}" (${ids.join(' ') || 'no aria-describedby'})`); break; }
            }
          }
          return bad;
        }
        """;

    // Forms whose typed fields are all optional, where an empty one is a complete answer: sending them would act.
    private static readonly string[] Optional =
    [
        @"^/moderation/\d+/reject$", // the reason is chosen from a list; writing one's own is optional
    ];

    [Theory]
    [InlineData("zh-CN", null, "错误：")]
    [InlineData("en-US", null, "Error: ")]
    [InlineData("zh-CN", "resident3@example.org", "错误：")]
    [InlineData("en-US", "resident3@example.org", "Error: ")]
    [InlineData("zh-CN", "admin@example.org", "错误：")]
    [InlineData("en-US", "host@example.org", "Error: ")]
    public async Task Every_form_sent_empty_comes_back_with_the_focused_summary_and_described_fields(string locale, string? account, string prefix)
    {
        var page = await site.NewPageAsync(locale);
        if (account is not null) await site.SignInAsync(page, account);

        var seen = new HashSet<string>();
        var queue = new Queue<string>(["/", "/profile", "/profile/two-factor", "/about/accessibility", "/account/sign-in-link", "/account/resend-confirmation"]);
        var checkedForms = new List<string>();
        var failures = new List<string>();
        while (queue.Count > 0 && seen.Count < 45)
        {
            var path = queue.Dequeue();
            if (!seen.Add(path)) continue;
            var response = await page.GotoAsync(path);
            if (response is not { Ok: true }) continue;
            foreach (var href in await page.EvalOnSelectorAllAsync<string[]>("a[href]", "els => els.map(e => e.getAttribute('href'))"))
            {
                if (href is null || !href.StartsWith('/') || href.StartsWith("//") || href.StartsWith("/openapi") || href.StartsWith("/api/")) continue;
                var target = href.Split('#')[0];
                if (Path.GetExtension(target.Split('?')[0]) is ".csv" or ".json" or ".pdf" or ".ics" or ".svg" or ".xml") continue;
                if (target.Contains("/projector") || target.StartsWith("/profile/download")) continue;
                if (!seen.Contains(target)) queue.Enqueue(target);
            }

            var actions = (await page.EvaluateAsync<EmptyForm[]>(EmptyForms)).Select(f => f.Action).Distinct()
                .Where(action => !Optional.Any(pattern => System.Text.RegularExpressions.Regex.IsMatch(action, pattern))).ToList();
            foreach (var action in actions)
            {
                var key = $"{path} → {action}";
                if (checkedForms.Contains(key)) continue;
                checkedForms.Add(key);
                await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.NetworkIdle }); // a live console draws its panel after load
                var found = (await page.EvaluateAsync<EmptyForm[]>(EmptyForms)).FirstOrDefault(f => f.Action == action);
                if (found is null) continue;
                // Some forms ask "are you sure?" first; yes.
                page.Dialog += Accept;
                await page.EvaluateAsync("() => { window.__sentFrom = true; }");
                await page.Locator("main form").Nth(found.Index).Locator("[type=submit]").First.FocusAsync();
                await page.Keyboard.PressAsync("Enter");
                // Either a new page comes back, or the form stays and marks the field it is focused on.
                var answered = await page.WaitForFunctionAsync(
                    "() => document.readyState === 'complete' && (!window.__sentFrom || document.activeElement?.getAttribute('aria-invalid') === 'true')",
                    null, new() { Timeout = 10_000, PollingInterval = 100 }).ContinueWith(t => t.IsCompletedSuccessfully);
                page.Dialog -= Accept;
                if (!answered)
                {
                    failures.Add($"{key}: sent empty with Enter on its button, nothing came back");
                    continue;
                }
                if (await page.EvaluateAsync<bool>("() => window.__sentFrom === true"))
                {
                    // A form saved in place: its field is invalid, focused, and described by the reason.
                    var described = await page.EvaluateAsync<string>("() => (document.activeElement.getAttribute('aria-describedby') || '').split(/\\s+/).map(id => document.getElementById(id)?.textContent || '').join(' ').trim()");
                    if (described.Length == 0) failures.Add($"{key}: the invalid field is not described by a reason");
                    await page.AssertAccessibleAsync(site);
                    continue;
                }
                await page.WaitForLoadStateAsync(LoadState.Load);
                if (await page.Locator("#error-summary").CountAsync() == 0)
                {
                    failures.Add($"{key}: sent empty, it came back without an error summary (at {page.Url})");
                    continue;
                }
                await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.id === 'error-summary'", null, new() { Timeout = 5000 })
                    .ContinueWith(t => { if (t.IsFaulted) failures.Add($"{key}: focus is not on the summary"); });
                if (!(await page.TitleAsync()).StartsWith(prefix)) failures.Add($"{key}: the title \"{await page.TitleAsync()}\" does not start with \"{prefix}\"");
                failures.AddRange((await page.EvaluateAsync<string[]>(DescribedProperly)).Select(problem => $"{key}: {problem}"));
                await page.AssertAccessibleAsync(site);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(checkedForms.Count >= (account is null ? 4 : 3), $"only {checkedForms.Count} forms sent: {string.Join(", ", checkedForms)}");
        await page.Context.CloseAsync();

        static void Accept(object? sender, IDialog dialog) => _ = dialog.AcceptAsync();
    }

    private sealed class EmptyForm
    {
        public int Index { get; set; }
        public string Action { get; set; } = "";
    }
}
