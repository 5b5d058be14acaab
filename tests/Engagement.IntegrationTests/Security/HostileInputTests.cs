using System.Net;
using System.Text;
using System.Text.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.Messages;
using Engagement.Web.Features.OpenMonth;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Security;

/// <summary>The hostile and malformed input of <c>tests/data/hostile/corpus.json</c>, with generated deep nesting and oversized bodies.</summary>
public sealed record HostileCorpus(string[] Strings, string[] Numbers, string[] Dates, Dictionary<string, string> Bodies)
{
    public static HostileCorpus Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "tests", "data", "hostile", "corpus.json");
            if (File.Exists(file)) return JsonSerializer.Deserialize<HostileCorpus>(File.ReadAllText(file), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        }
        throw new FileNotFoundException("tests/data/hostile/corpus.json not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The raw bodies, decoded, plus JSON nested 10,000 deep and a 3 MB body.</summary>
    public IEnumerable<(string Name, byte[] Body)> RawBodies()
    {
        foreach (var (name, body) in Bodies) yield return (name, Convert.FromBase64String(body));
        yield return ("nested-arrays", Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)));
        yield return ("nested-objects", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"text\":", 5_000)) + "1" + new string('}', 5_000)));
        yield return ("oversized", Encoding.UTF8.GetBytes("{\"text\":\"" + new string('长', 1_000_000) + "\"}"));
    }
}

/// <summary>
/// The corpus thrown at every endpoint that accepts input: never a 5xx; every refusal a 400, 413, 415 or 422 (409 for
/// a repeat) with a reason; what is accepted is stored cleaned (no control, bidi or zero-width characters) and masked;
/// nothing half-saved.
/// </summary>
public sealed class HostileInputTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    private static readonly HostileCorpus Corpus = HostileCorpus.Load();
    private static readonly HashSet<int> Refusals = [400, 409, 413, 415, 422];

    private sealed record Target(string Method, string Url, string? As, string Template);

    private async Task<IReadOnlyList<Target>> TargetsAsync()
    {
        var ids = await factory.WithDbAsync(async db => new
        {
            Open = await db.Set<Decision>().Where(d => d.Status == DecisionStatus.OpenForComment).OrderBy(d => d.Id).Select(d => d.Id).FirstAsync(),
            Civil = await db.Set<Decision>().Where(d => d.Unit!.Name == "区民政局").OrderBy(d => d.Id).Select(d => d.Id).FirstAsync(),
            Comment = await db.Set<Comment>().Where(c => c.Decision!.Unit!.Name == "区民政局" && c.Status == CommentStatus.Published).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync(),
            Meeting = await db.Set<Meeting>().OrderByDescending(m => m.HeldAt).Select(m => m.Id).FirstAsync(),
            Application = await db.Set<RepresentativeApplication>().OrderBy(a => a.Id).Select(a => a.Id).FirstAsync(),
            Event = await db.Set<OpenEvent>().OrderByDescending(e => e.StartsAt).Select(e => e.Id).FirstAsync(),
            Poll = await db.Set<TopicPoll>().OrderBy(p => p.Id).Select(p => p.Id).FirstAsync(),
        });
        const string resident = "resident1@example.org", civil = "civil@example.org", admin = "admin@example.org";
        return
        [
            new("POST", $"/api/v1/decisions/{ids.Open}/comments", resident, "{\"text\":§S,\"paragraph\":§N}"),
            new("POST", $"/api/v1/decisions/{ids.Open}/comments", "resident2@example.org", "{\"text\":§S,\"organizationName\":§S,\"creditCode\":§S}"),
            new("POST", "/api/v1/messages", resident, "{\"text\":§S,\"decisionId\":§N,\"consentToPublish\":true}"),
            new("POST", $"/api/v1/meetings/{ids.Meeting}/applications", "resident3@example.org",
                "{\"realName\":§S,\"phone\":§S,\"category\":§S,\"connection\":§S,\"statement\":§S,\"consent\":true}"),
            new("POST", $"/api/v1/events/{ids.Event}/registrations", "resident2@example.org", "{\"companions\":§N}"),
            new("PUT", $"/api/v1/decisions/{ids.Civil}/issue", civil, "{\"issuedOn\":§D,\"documentNumber\":§S,\"link\":§S}"),
            new("POST", $"/api/v1/moderation/comments/{ids.Comment}/reject", civil, "{\"reason\":§S}"),
            new("PUT", $"/api/v1/decisions/{ids.Civil}/review/comments/{ids.Comment}", civil, "{\"outcome\":§S,\"reason\":§S}"),
            new("POST", "/api/v1/auth/login", null, "{\"email\":§S,\"password\":§S}"),
            new("POST", "/api/v1/auth/refresh", null, "{\"refreshToken\":§S}"),
            new("POST", $"/api/v1/topic-polls/{ids.Poll}/votes", resident, "{\"decisionId\":§N}"),
            new("PUT", $"/api/v1/meetings/applications/{ids.Application}/eligibility", admin, "{\"eligible\":false,\"reason\":§S}"),
            new("PUT", "/api/v1/working-days/calendars/2031", admin, "§S"),
            new("GET", "/api/v1/decisions?q=§s&year=§n", null, ""),
            new("GET", "/api/v1/working-days/deadline?from=§d&days=§n", null, ""),
            new("GET", "/api/v1/working-days/§d", null, ""),
            new("GET", "/api/v1/statistics?year=§n&unit=§n", null, ""),
            new("GET", "/api/v1/messages?unit=§n&page=§n", null, ""),
            new("GET", "/api/v1/events?from=§d&to=§d", null, ""),
            new("GET", $"/api/v1/decisions/{ids.Open}/comments?page=§n&pageSize=§n", null, ""),
            new("GET", "/api/v1/meetings/tracker?year=§n", null, ""),
        ];
    }

    [Fact]
    public async Task The_corpus_never_causes_a_server_error_and_every_refusal_gives_a_reason()
    {
        var clients = new Dictionary<string, HttpClient>();
        async Task<HttpClient> ClientAsync(string? email)
        {
            if (email is null) return factory.CreateClient();
            if (!clients.TryGetValue(email, out var client)) clients[email] = client = await factory.CreateClient().AsAsync(email);
            return client;
        }
        var failures = new List<string>();
        var i = 0;
        foreach (var target in await TargetsAsync())
        {
            var client = await ClientAsync(target.As);
            // Each string in every string field; each number and each date in the number and date fields, with a harmless string.
            var cases = Corpus.Strings.Select(s => (S: s, N: "1", D: "2026-11-20"))
                .Concat(Corpus.Numbers.Select(n => (S: "正常的文字", N: n, D: "2026-11-20")))
                .Concat(Corpus.Dates.Select(d => (S: "正常的文字", N: "2", D: d)));
            foreach (var (s, n, d) in cases)
            {
                var unique = s + (target.Method == "GET" || s.Length == 0 || s.Trim().Length == 0 ? "" : $" #{i++}");
                var url = target.Url.Replace("§s", Uri.EscapeDataString(s)).Replace("§n", Uri.EscapeDataString(n.Trim('"'))).Replace("§d", Uri.EscapeDataString(d.Trim('"')));
                var request = new HttpRequestMessage(new HttpMethod(target.Method), url);
                if (target.Method != "GET")
                {
                    var body = target.Template.Replace("§S", JsonSerializer.Serialize(unique)).Replace("§N", n).Replace("§D", d.StartsWith('"') ? d : JsonSerializer.Serialize(d));
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }
                var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                if (status >= 500) failures.Add($"{target.Method} {target.Url} <- {Show(s, n, d)}: {status}");
                else if (status >= 400 && status != 404 && status != 403 && status != 401 && status != 429)
                {
                    if (!Refusals.Contains(status)) failures.Add($"{target.Method} {target.Url} <- {Show(s, n, d)}: unexpected {status}");
                    else if (!text.Contains("\"title\"") && !text.Contains("\"detail\"")) failures.Add($"{target.Method} {target.Url} <- {Show(s, n, d)}: {status} without a reason");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(50)));
        await AssertNothingDirtyStoredAsync();
    }

    [Fact]
    public async Task Malformed_nested_and_oversized_bodies_are_refused_by_every_endpoint_that_reads_json()
    {
        var failures = new List<string>();
        foreach (var target in (await TargetsAsync()).Where(t => t.Method != "GET"))
        {
            var client = target.As is null ? factory.CreateClient() : await factory.CreateClient().AsAsync(target.As);
            foreach (var (name, body) in Corpus.RawBodies())
            {
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(target.Method), target.Url) { Content = content });
                var status = (int)response.StatusCode;
                // Duplicate keys are valid JSON (the last one wins); anything else must be refused.
                var ok = Refusals.Contains(status) || (name == "duplicate-keys" && status < 500) || status is 401 or 403 or 404;
                if (!ok) failures.Add($"{target.Method} {target.Url} <- {name}: {status}");
            }
            // The right body with the wrong media type.
            var form = await client.SendAsync(new HttpRequestMessage(new HttpMethod(target.Method), target.Url) { Content = new StringContent("text=hello", Encoding.UTF8, "text/plain") });
            if (!Refusals.Contains((int)form.StatusCode) && (int)form.StatusCode is not (401 or 403 or 404)) failures.Add($"{target.Method} {target.Url} <- text/plain: {(int)form.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await AssertNothingDirtyStoredAsync();
    }

    [Fact]
    public async Task The_forms_take_the_corpus_without_a_server_error_and_keep_what_was_typed_on_a_refusal()
    {
        var open = await factory.WithDbAsync(db => db.Set<Decision>().Where(d => d.Status == DecisionStatus.OpenForComment).OrderBy(d => d.Id).Select(d => d.Id).FirstAsync());
        var browser = factory.CreateBrowser();
        await browser.SignInAsync("resident3@example.org");
        var failures = new List<string>();
        var i = 0;
        foreach (var s in Corpus.Strings)
        {
            var text = s.Trim().Length == 0 ? s : $"{s} №{i++}";
            var board = await browser.GetPageAsync("/messages");
            var message = await browser.SubmitAsync(board, "/messages", new Dictionary<string, string> { ["Text"] = text, ["Consent"] = "true" });
            var decision = await browser.GetPageAsync($"/decisions/{open}");
            var comment = await browser.SubmitAsync(decision, $"/decisions/{open}/comments", new Dictionary<string, string> { ["Text"] = text });
            var register = factory.CreateBrowser();
            var form = await register.GetPageAsync("/account/register");
            var account = await register.SubmitAsync(form, "/account/register", new Dictionary<string, string>
            {
                ["Email"] = s.Length < 200 ? s : "x", ["DisplayName"] = s, ["Password"] = "Hostile-2026-pass", ["ConfirmPassword"] = "Hostile-2026-pass",
            });
            foreach (var (what, response) in new[] { ("message", message), ("comment", comment), ("register", account) })
            {
                var status = (int)response.StatusCode;
                if (status >= 500 || (status >= 400 && !Refusals.Contains(status))) failures.Add($"{what} <- {Show(s, "", "")}: {status}");
                if (status is 422 or 409 or 400)
                {
                    var html = await response.Content.ReadAsStringAsync();
                    // A refusal is shown on the page, escaped: the markup never comes back as markup.
                    if (html.Contains("<script>window.__pwned") || html.Contains("<img src=x onerror")) failures.Add($"{what} <- {Show(s, "", "")}: echoed unescaped");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await AssertNothingDirtyStoredAsync();
    }

    /// <summary>What is stored is cleaned and within its limits; nothing empty was half-saved.</summary>
    private async Task AssertNothingDirtyStoredAsync()
    {
        static bool Dirty(string text) => text.Any(c => c is '\u0000' or '\u202e' or '\u202d' or '\u200b' or '\u2066' or '\ufeff' || (char.IsControl(c) && c is not '\n' and not '\t'));
        var comments = await factory.WithDbAsync(db => db.Set<Comment>().Select(c => new { c.Text, c.PublicText }).ToListAsync());
        Assert.DoesNotContain(comments, c => c.Text.Length == 0 || c.Text.Length > Comments.MaxLength || Dirty(c.Text) || Dirty(c.PublicText));
        var messages = await factory.WithDbAsync(db => db.Set<Message>().Select(m => new { m.Text, m.PublicText }).ToListAsync());
        Assert.DoesNotContain(messages, m => m.Text.Length == 0 || m.Text.Length > MessageRules.MaxLength || Dirty(m.Text) || Dirty(m.PublicText));
        Assert.DoesNotContain(messages, m => m.PublicText.Contains("13812345678") || m.PublicText.Contains("１３８１２３４５６７８"));
        var users = await factory.WithDbAsync(db => db.Users.Select(u => u.DisplayName).ToListAsync());
        Assert.DoesNotContain(users, n => Dirty(n ?? ""));
    }

    private static string Show(string s, string n, string d) =>
        JsonSerializer.Serialize(s.Length > 40 ? s[..40] + "…" : s) + (n.Length > 0 ? $" n={n}" : "") + (d.Length > 0 ? $" d={d}" : "");
}
