using System.Net;
using System.Text.RegularExpressions;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Consultation;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Security;

/// <summary>
/// Every page form the app maps (read from its endpoint data sources), posted by an admin with a valid antiforgery
/// token and the hostile corpus in every usual field, answers without a server error; uploads with hostile file names
/// and contents are refused with a reason.
/// </summary>
public sealed class HostileFormTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    private static readonly string[] Fields =
    [
        "Text", "Title", "Summary", "Name", "NameEn", "Markdown", "Note", "Reason", "reason", "reply", "note", "question", "answer", "publicText",
        "Place", "Statement", "RealName", "Phone", "Email", "DisplayName", "Description", "Address", "OpensAt", "ClosesAt", "HeldOn", "StartsAt",
        "Capacity", "Participants", "Paragraph", "Companions", "UnitId", "unitId", "kind", "Kind", "Year", "year", "Channel", "Seed", "seed",
        "culture", "returnUrl", "page", "source", "sourceId", "code", "options", "Options", "writtenReason", "outcome", "title",
    ];

    [Fact]
    public async Task Every_form_takes_the_corpus_without_a_server_error()
    {
        var corpus = HostileCorpus.Load();
        var strings = corpus.Strings.Where((_, i) => i % 3 == 0).Concat(corpus.Numbers.Take(4)).Concat(corpus.Dates.Take(4)).ToList();
        var decision = await factory.WithDbAsync(db => db.Set<Decision>().OrderBy(d => d.Id).Select(d => d.Id).FirstAsync());
        var forms = factory.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => !p.StartsWith("/api/") && !p.StartsWith("/hubs")
                // Signing out or deleting the account would end the admin's session; both are tested on their own.
                && p is not "/account/logout" and not "/profile/delete" and not "/profile/sessions/sign-out-everywhere" && !p.EndsWith("/host/end"))
            .Select(p => Regex.Replace(p, @"\{(\w+)(:[^}]*)?\}", m => m.Groups[1].Value switch
            {
                "code" => Web.Features.Live.LiveDemo.JoinCode,
                "verb" => "approve",
                "kindName" => "draft",
                "year" => "2026",
                "id" when p.StartsWith("/admin/users") || p.StartsWith("/profile/sessions") => Guid.NewGuid().ToString(),
                "id" when p.StartsWith("/decisions") || p.StartsWith("/staff/decisions") || p.StartsWith("/staff/reports") => decision.ToString(),
                _ => "1",
            }))
            .Distinct().Order().ToList();

        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        var token = (await admin.GetPageAsync("/admin")).QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var failures = new List<string>();
        foreach (var url in forms)
        {
            foreach (var value in strings)
            {
                var fields = Fields.Select(f => new KeyValuePair<string, string>(f, value)).Append(new("__RequestVerificationToken", token));
                var response = await admin.PostAsync(url, new FormUrlEncodedContent(fields));
                if ((int)response.StatusCode >= 500) failures.Add($"{url} <- {(value.Length > 30 ? value[..30] : value)}: {(int)response.StatusCode}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin")).StatusCode);
    }

    [Theory]
    [InlineData("../../../../etc/passwd", "root:x:0:0:root:/root:/bin/bash")]
    [InlineData("..\\..\\windows\\win.ini", "[fonts]")]
    [InlineData("草案.pdf", "%PDF-1.4 <script>alert(1)</script> not really a pdf")]
    [InlineData("%2e%2e%2fpasswd.pdf", "")]
    public async Task Uploads_with_hostile_names_or_contents_are_refused_with_a_reason(string fileName, string content)
    {
        var decision = await factory.WithDbAsync(db => db.Set<Decision>().OrderBy(d => d.Id).Select(d => d.Id).FirstAsync());
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        var token = (await admin.GetPageAsync("/admin")).QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var before = await factory.WithDbAsync(db => db.Set<DocumentVersion>().CountAsync());
        foreach (var (url, field) in new[] { ($"/staff/decisions/{decision}/documents/interpretation/pdf", "file"), ("/admin/calendars", "file") })
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new StringContent("2031"), "year" },
                { new StringContent("上传"), "note" },
                { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(content)), field, fileName },
            };
            var response = await admin.PostAsync(url, form);
            Assert.True(response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge,
                $"{url} <- {fileName}: {(int)response.StatusCode}");
            Assert.True((await response.ParseAsync()).QuerySelectorAll(".field-error, .text-danger, [role='alert'], .alert").Any(e => !string.IsNullOrWhiteSpace(e.TextContent)),
                $"{url} <- {fileName}: no reason shown");
        }
        Assert.Equal(before, await factory.WithDbAsync(db => db.Set<DocumentVersion>().CountAsync()));
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "passwd")));
    }
}
