using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>
/// The script and event-handler injections of the hostile corpus, left as comments, messages and live questions, never
/// run as script on the pages that show them: public pages, the live page and projector, and the staff pages that
/// show originals. Each payload would set <c>window.__pwned</c> or open a dialog if it ran.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class HostileDisplayTests(SiteFixture site)
{
    private static readonly string[] Payloads =
    [
        "<script>window.__pwned=1;alert('xss')</script>",
        "<img src=x onerror=\"window.__pwned=1;alert(1)\">",
        "<svg/onload=\"window.__pwned=1\">",
        "\"><iframe src=\"javascript:window.top.__pwned=1\"></iframe>",
        "[链接](javascript:window.__pwned=1)",
        "<details open ontoggle=\"window.__pwned=1\">",
        "\u202e\u202d<b onmouseover=\"window.__pwned=1\">倒序</b>",
    ];

    private async Task<HttpClient> ApiAsync(string email)
    {
        var http = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password = SiteFixture.Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    [Fact]
    public async Task Injections_shown_on_public_staff_and_live_pages_stay_text()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var resident = await ApiAsync("resident2@example.org");
        var decisions = await (await resident.GetAsync("/api/v1/decisions?status=open")).Content.ReadFromJsonAsync<JsonElement>();
        var open = decisions.EnumerateArray().First(d => d.GetProperty("title").GetString()!.Contains("加装电梯")).GetProperty("id").GetInt32();
        var staff = await ApiAsync("housing@example.org");
        foreach (var payload in Payloads)
        {
            var comment = await resident.PostAsJsonAsync($"/api/v1/decisions/{open}/comments", new { text = $"{payload} {tag}" });
            Assert.True(comment.IsSuccessStatusCode, $"comment refused: {(int)comment.StatusCode}");
            var id = (await comment.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            Assert.True((await staff.PostAsync($"/api/v1/moderation/comments/{id}/approve", null)).IsSuccessStatusCode);
            var message = await resident.PostAsJsonAsync("/api/v1/messages", new { text = $"{payload} {tag}", decisionId = open, consentToPublish = true });
            Assert.True(message.IsSuccessStatusCode, $"message refused: {(int)message.StatusCode}");
        }

        // A participant asks the injections in the running demo session.
        var participant = await site.NewPageAsync("zh-CN");
        await Watch(participant);
        await participant.GotoAsync("/live/DEMO26");
        await participant.FillAsync("#nickname", "<img src=x onerror=window.__pwned=1>");
        await participant.ClickAsync("#join-button");
        await participant.WaitForSelectorAsync("#ask-form");
        foreach (var payload in Payloads.Take(4))
        {
            await participant.FillAsync("#question-text", $"{payload} {tag}");
            await participant.ClickAsync("#ask-button");
            await participant.Locator("#questions li.live-question", new PageLocatorOptions { HasText = tag }).Nth(0).WaitForAsync();
        }
        await AssertInertAsync(participant, tag, expected: 4);

        var visitor = await site.NewPageAsync("en-US");
        await Watch(visitor);
        await visitor.GotoAsync($"/decisions/{open}?page=1");
        await AssertInertAsync(visitor, tag, expected: 1);
        await visitor.GotoAsync($"/live/DEMO26/projector");
        await visitor.WaitForTimeoutAsync(1500);
        await AssertInertAsync(visitor, tag, expected: 0);

        var housing = await site.NewPageAsync("zh-CN");
        await Watch(housing);
        await site.SignInAsync(housing, "housing@example.org");
        await housing.GotoAsync("/staff/messages");
        await AssertInertAsync(housing, tag, expected: 1); // long texts are cut to 60 characters in the list
        await housing.ClickAsync($"#message-queue a:has-text('{tag}')");
        await housing.WaitForSelectorAsync("#message-original");
        await AssertInertAsync(housing, tag, expected: 1);

        var author = await site.NewPageAsync("zh-CN");
        await Watch(author);
        await site.SignInAsync(author, "resident2@example.org");
        await author.GotoAsync("/messages/mine");
        await AssertInertAsync(author, tag, expected: Payloads.Length);
        foreach (var page in new[] { participant, visitor, housing, author }) await page.Context.CloseAsync();
    }

    private readonly System.Collections.Concurrent.ConcurrentBag<string> _dialogs = [];

    /// <summary>Any dialog a payload opens is recorded, dismissed, and fails the test.</summary>
    private Task Watch(IPage page)
    {
        page.Dialog += (_, dialog) =>
        {
            _dialogs.Add($"{page.Url}: {dialog.Message}");
            _ = dialog.DismissAsync();
        };
        return Task.CompletedTask;
    }

    private async Task AssertInertAsync(IPage page, string tag, int expected)
    {
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        Assert.Empty(_dialogs);
        Assert.False(await page.EvaluateAsync<bool>("() => window.__pwned !== undefined || (window.top && window.top.__pwned !== undefined)"), $"a payload ran on {page.Url}");
        // The markup is on the page as text, and no element of it was created.
        Assert.Equal(0, await page.Locator("img[src='x'], svg[onload], iframe[src^='javascript'], details[ontoggle], b[onmouseover], a[href^='javascript']").CountAsync());
        if (expected > 0)
        {
            var text = await page.Locator("body").InnerTextAsync();
            Assert.True(CountOf(text, tag) >= expected, $"expected the payloads as text on {page.Url}, found {CountOf(text, tag)}");
        }
    }

    private static int CountOf(string text, string tag) => (text.Length - text.Replace(tag, "").Length) / tag.Length;
}
