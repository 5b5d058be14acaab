using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>
/// The one error pattern, with the keyboard: an empty form sent comes back with the summary at the top of main,
/// focus on it, the title saying "Error", every wrong field marked invalid, and the summary's link taking focus to the
/// field; focus indicators and control borders measured from the rendered styles.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class FormErrorTests(SiteFixture site)
{
    [Theory]
    [InlineData("zh-CN", "错误：")]
    [InlineData("en-US", "Error: ")]
    public async Task Every_empty_form_comes_back_with_a_focused_summary_linking_to_its_fields(string locale, string prefix)
    {
        var anonymous = await site.NewPageAsync(locale);
        var resident = await site.NewPageAsync(locale);
        await site.SignInAsync(resident, "resident2@example.org");
        var decision = await FirstDecisionOpenForCommentsAsync(resident);
        var forms = new (IPage Page, string Url, string Submit)[]
        {
            (anonymous, "/account/register", "#register-submit"),
            (anonymous, "/account/login", "#login-submit"),
            (anonymous, "/account/forgot-password", "form.narrow-form button[type=submit]"),
            (resident, "/messages", "#message-submit"),
            (resident, decision, "#comment-submit"),
            (resident, "/profile", "#change-password"),
        };
        foreach (var (page, url, submit) in forms)
        {
            await page.GotoAsync(url);
            await page.FocusAsync(submit);
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForSelectorAsync("#error-summary");
            Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.id === 'error-summary'"), $"{url}: focus is not on the summary");
            Assert.StartsWith(prefix, await page.TitleAsync());
            Assert.True(await page.Locator("[aria-invalid='true']").CountAsync() >= 1, $"{url}: no field marked invalid");
            var links = page.Locator("#error-summary a[data-field]");
            Assert.True(await links.CountAsync() >= 1, $"{url}: the summary links to no field");
            await links.First.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.getAttribute('aria-invalid') === 'true'"),
                $"{url}: the summary's link did not take focus to the invalid field");
            await page.AssertAccessibleAsync(site);
        }
        await anonymous.Context.CloseAsync();
        await resident.Context.CloseAsync();
    }

    private static async Task<string> FirstDecisionOpenForCommentsAsync(IPage page)
    {
        await page.GotoAsync("/decisions");
        foreach (var href in await page.Locator("a[href^='/decisions/']").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(href, @"^/decisions/\d+$")) continue;
            await page.GotoAsync(href);
            if (await page.Locator("#comment-submit").CountAsync() > 0) return href;
        }
        throw new InvalidOperationException("no decision open for comments in the demo");
    }

    /// <summary>WCAG 1.4.11: the focus ring and control borders at least 3:1 against the page behind them, computed from what the browser renders.</summary>
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task The_focus_ring_and_control_borders_stand_out_at_least_three_to_one(string locale)
    {
        var page = await site.NewPageAsync(locale);
        await page.GotoAsync("/account/register");
        const string contrast = """
            (el) => {
              const rgb = (c) => (c.match(/[\d.]+/g) || [0, 0, 0]).slice(0, 3).map(Number);
              const lum = (c) => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
              const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
              let bg = 'rgb(255,255,255)';
              for (let n = el.parentElement; n; n = n.parentElement) { const c = getComputedStyle(n).backgroundColor; if (!c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') { bg = c; break; } }
              const s = getComputedStyle(el);
              return { ring: s.outlineStyle === 'none' ? 0 : ratio(s.outlineColor, bg), border: ratio(s.borderTopColor, bg) };
            }
            """;
        foreach (var selector in new[] { "#Email", "#Password", "#register-submit" })
        {
            var before = await page.Locator(selector).EvaluateAsync<Dictionary<string, double>>(contrast);
            if (selector != "#register-submit") Assert.True(before["border"] >= 3, $"{selector}: border {before["border"]:F2}:1");
            await page.FocusAsync(selector);
            await page.Keyboard.PressAsync("Shift+Tab");
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.Locator(selector).EvaluateAsync<Dictionary<string, double>>(contrast);
            Assert.True(focused["ring"] >= 3, $"{selector}: focus ring {focused["ring"]:F2}:1");
        }
        // A link in the header (dark blue) and in the footer.
        foreach (var selector in new[] { "#register-link", "footer a" })
        {
            await page.Locator(selector).First.FocusAsync();
            await page.Keyboard.PressAsync("Shift+Tab");
            await page.Keyboard.PressAsync("Tab");
            var halo = await page.Locator(selector).First.EvaluateAsync<string>("el => getComputedStyle(el).boxShadow");
            var ring = await page.Locator(selector).First.EvaluateAsync<string>("el => getComputedStyle(el).outlineColor");
            Assert.Contains("255, 255, 255", halo);
            Assert.Equal("rgb(17, 17, 17)", ring);
        }
        await page.Context.CloseAsync();
    }
}

/// <summary>In the English interface every Chinese word is inside an element marked lang="zh-CN", and the Chinese interface is Chinese throughout.</summary>
[Collection(SiteCollection.Name)]
public sealed class LanguageMarkTests(SiteFixture site)
{
    private const string Unmarked = """
        () => {
          const han = /[\u3400-\u9fff\uf900-\ufaff]/;
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const bad = [];
          while (walker.nextNode()) {
            const node = walker.currentNode;
            const parent = node.parentElement;
            if (!parent || ['SCRIPT', 'STYLE', 'TEXTAREA', 'OPTION', 'NOSCRIPT'].includes(parent.tagName) || !han.test(node.nodeValue)) continue;
            const speaker = parent.closest('[lang]');
            if (!speaker || !speaker.lang.toLowerCase().startsWith('zh')) bad.push(node.nodeValue.trim().slice(0, 40));
          }
          return bad;
        }
        """;

    [Fact]
    public async Task In_English_every_Chinese_text_is_marked_as_Chinese()
    {
        var page = await site.NewPageAsync("en-US");
        await site.SignInAsync(page, "resident1@example.org");
        foreach (var url in new[] { "/", "/decisions", "/meetings", "/events", "/messages", "/live/DEMO26", "/me", "/reports" })
        {
            await page.GotoAsync(url);
            await page.WaitForTimeoutAsync(url.StartsWith("/live") ? 1500 : 100);
            var bad = await page.EvaluateAsync<string[]>(Unmarked);
            Assert.True(bad.Length == 0, $"{url}: Chinese text read with an English voice: {string.Join(" | ", bad.Take(5))}");
        }
        // A decision's own page, with its draft and comments.
        await page.GotoAsync("/decisions");
        await page.Locator("a[href^='/decisions/']").First.ClickAsync();
        Assert.Empty(await page.EvaluateAsync<string[]>(Unmarked));
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await page.Context.CloseAsync();
    }
}

/// <summary>Elder mode measured in the browser: a visible on-state, controls at least 44 by 44 px at desktop and phone widths, nothing wider than a 320 px screen.</summary>
[Collection(SiteCollection.Name)]
public sealed class ElderModeTests(SiteFixture site)
{
    private const string SmallTargets = """
        () => [...document.querySelectorAll('button, .btn, input:not([type=hidden]), select, textarea, summary, .main-nav a, .footer-links a')]
          .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; })
          .map(el => ({ el, r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width < 43.5 || r.height < 43.5)
          .map(({ el, r }) => `${el.tagName.toLowerCase()}#${el.id || ''}.${[...el.classList].join('.')} ${Math.round(r.width)}x${Math.round(r.height)}`)
        """;

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Elder_mode_shows_it_is_on_makes_every_control_44_px_and_fits_a_320_px_screen(string locale)
    {
        var page = await site.NewPageAsync(locale);
        await page.GotoAsync("/");
        await page.ClickAsync("#switch-elder");
        await page.WaitForSelectorAsync("html.elder");
        Assert.Equal("true", await page.GetAttributeAsync("#switch-elder", "aria-pressed"));
        Assert.Equal("700", await page.Locator("#switch-elder").EvaluateAsync<string>("el => getComputedStyle(el).fontWeight"));
        var urls = new[] { "/", "/decisions", "/account/login", "/account/register", "/events", "/messages", "/live/DEMO26", "/about/accessibility" };
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var url in urls)
            {
                await page.GotoAsync(url);
                var small = await page.EvaluateAsync<string[]>(SmallTargets);
                Assert.True(small.Length == 0, $"{url} at {width}px: targets under 44 px: {string.Join(", ", small.Take(8))}");
            }
        }
        await page.SetViewportSizeAsync(320, 640);
        foreach (var url in urls.Append("/live/DEMO26/projector"))
        {
            await page.GotoAsync(url);
            var wide = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(wide <= 320, $"{url} is {wide} px wide on a 320 px screen");
        }
        await page.GotoAsync("/");
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_barrier_reported_on_the_accessibility_page_reaches_the_admins()
    {
        var page = await site.NewPageAsync("zh-CN");
        await page.GotoAsync("/about/accessibility");
        Assert.Contains("12345", await page.Locator("#barrier-contacts").TextContentAsync());
        await page.FillAsync("#Where", "会议报名页面");
        await page.FillAsync("#What", "用读屏软件时，报名身份的单选按钮没有读出组名。");
        await page.ClickAsync("#barrier-submit");
        await page.WaitForSelectorAsync("#barrier-sent");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.id === 'barrier-sent'"));
        await page.AssertAccessibleAsync(site);
        Assert.Contains("报名身份的单选按钮", await site.WaitForMailAsync("admin@example.org", "无障碍问题反馈"));
        await page.Context.CloseAsync();
    }
}
