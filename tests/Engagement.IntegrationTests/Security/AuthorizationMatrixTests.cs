using System.Net;
using System.Text.RegularExpressions;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.Messages;
using Engagement.Web.Features.OpenMonth;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Security;

/// <summary>Who may call an endpoint at all (the resource checks of a unit come after, tested per feature and below).</summary>
public enum Access { Public, SignedIn, Host, SessionHost, Staff, Unit, Admin, Network }

/// <summary>
/// Every endpoint the app maps, read from its endpoint data sources so a new one cannot be forgotten, called as
/// anonymous, a resident, a host, staff of another unit, staff of the right unit and an admin. Callers below the
/// endpoint's access are refused (401/403, or a page's redirect to sign-in or to access denied); callers at or above
/// it get through (and never a 5xx, even with an empty request). Requests authenticate with bearer tokens, so a page's
/// POST stops at the antiforgery check and nothing is changed by the matrix.
/// </summary>
public sealed class AuthorizationMatrixTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    /// <summary>Each mapped endpoint, as "METHOD pattern" with constraints dropped, and who may call it.</summary>
    private static readonly Dictionary<string, Access> Matrix = new()
    {
        // Platform
        ["GET /"] = Access.Public, ["GET /about/accessibility"] = Access.Public, ["POST /about/accessibility/feedback"] = Access.Public, ["* /error/{status}"] = Access.Public,
        ["* /healthz"] = Access.Public, ["* /healthz/live"] = Access.Public, ["* /healthz/ready"] = Access.Public, ["GET /openapi/{documentName}.json"] = Access.Public,
        ["* /metrics"] = Access.Network,
        ["POST /preferences/language"] = Access.Public, ["POST /preferences/elder"] = Access.Public,
        // Accounts
        ["GET /account/register"] = Access.Public, ["POST /account/register"] = Access.Public, ["GET /account/check-email"] = Access.Public,
        ["GET /account/confirm"] = Access.Public, ["GET /account/resend-confirmation"] = Access.Public, ["POST /account/resend-confirmation"] = Access.Public,
        ["GET /account/login"] = Access.Public, ["POST /account/login"] = Access.Public, ["POST /account/logout"] = Access.Public,
        ["GET /account/denied"] = Access.Public, ["GET /account/forgot-password"] = Access.Public, ["POST /account/forgot-password"] = Access.Public,
        ["GET /account/reset-password"] = Access.Public, ["POST /account/reset-password"] = Access.Public,
        ["GET /account/second-factor"] = Access.Public, ["POST /account/second-factor"] = Access.Public,
        ["GET /account/sign-in-link"] = Access.Public, ["POST /account/sign-in-link"] = Access.Public,
        ["GET /account/sign-in-link/use"] = Access.Public, ["POST /account/sign-in-link/use"] = Access.Public,
        ["POST /profile/password"] = Access.SignedIn, ["POST /profile/sessions/{id}/sign-out"] = Access.SignedIn, ["POST /profile/sessions/sign-out-everywhere"] = Access.SignedIn,
        ["GET /profile/two-factor"] = Access.SignedIn, ["GET /profile/two-factor/qr.svg"] = Access.SignedIn, ["POST /profile/two-factor/enable"] = Access.SignedIn,
        ["POST /profile/two-factor/recovery-codes"] = Access.SignedIn, ["POST /profile/two-factor/disable"] = Access.SignedIn,
        ["GET /profile"] = Access.SignedIn, ["GET /me"] = Access.SignedIn, ["POST /profile"] = Access.SignedIn, ["GET /profile/download"] = Access.SignedIn, ["GET /profile/data"] = Access.SignedIn, ["POST /profile/delete"] = Access.SignedIn,
        ["POST /api/v1/auth/login"] = Access.Public, ["POST /api/v1/auth/refresh"] = Access.Public, ["GET /api/v1/auth/me"] = Access.SignedIn,
        // Admin and calendar
        ["GET /admin"] = Access.Admin, ["GET /admin/units"] = Access.Admin, ["POST /admin/units"] = Access.Admin, ["GET /admin/users"] = Access.Admin,
        ["GET /admin/users/{id}"] = Access.Admin, ["POST /admin/users/{id}"] = Access.Admin,
        ["POST /admin/users/{id}/sign-out-everywhere"] = Access.Admin, ["POST /admin/users/{id}/disable"] = Access.Admin, ["POST /admin/users/{id}/enable"] = Access.Admin,
        ["POST /admin/users/{id}/two-factor-reset"] = Access.Admin, ["GET /admin/audit"] = Access.Admin, ["GET /admin/audit.csv"] = Access.Admin,
        ["POST /admin/catalogs/{year}/publish"] = Access.Admin,
        ["GET /admin/topics"] = Access.Admin, ["POST /admin/topics"] = Access.Admin, ["POST /admin/topics/{id}"] = Access.Admin,
        ["GET /staff/topics/{kind}/{id}"] = Access.Unit, ["POST /staff/topics/{kind}/{id}"] = Access.Unit,
        ["GET /profile/subscriptions"] = Access.SignedIn, ["POST /profile/subscriptions"] = Access.SignedIn,
        ["GET /unsubscribe/{token}"] = Access.Public, ["POST /unsubscribe/{token}"] = Access.Public,
        ["GET /enterprise"] = Access.Public, ["GET /feeds"] = Access.Public, ["GET /feeds/{name}.atom"] = Access.Public,
        ["GET /admin/calendars"] = Access.Admin, ["POST /admin/calendars"] = Access.Admin, ["POST /admin/calendars/notice"] = Access.Admin,
        ["GET /api/v1/working-days/deadline"] = Access.Public, ["GET /api/v1/working-days/{date}"] = Access.Public,
        ["GET /api/v1/working-days/calendars"] = Access.Public, ["GET /api/v1/working-days/calendars/{year}"] = Access.Public,
        ["PUT /api/v1/working-days/calendars/{year}"] = Access.Admin,
        // Consultation
        ["GET /decisions"] = Access.Public, ["GET /decisions/{id}"] = Access.Public, ["GET /decisions/{id}/documents/{kindName}/versions/{number}"] = Access.Public,
        ["GET /decisions/{id}/documents/{kindName}/versions/{number}/file.pdf"] = Access.Public, ["POST /decisions/{id}/comments"] = Access.SignedIn,
        ["GET /moderation"] = Access.Staff, ["POST /moderation/{id}/approve"] = Access.Unit, ["POST /moderation/{id}/reject"] = Access.Unit,
        ["POST /moderation/approve"] = Access.Staff,
        ["GET /staff/decisions"] = Access.Staff, ["POST /staff/decisions"] = Access.Staff, ["GET /staff/decisions/{id}/documents/{kindName}"] = Access.Unit,
        ["POST /staff/decisions/{id}/documents/{kindName}"] = Access.Unit, ["POST /staff/decisions/{id}/documents/{kindName}/pdf"] = Access.Unit,
        ["GET /staff/decisions/{id}/consultation"] = Access.Unit, ["POST /staff/decisions/{id}/consultation"] = Access.Unit,
        ["GET /staff/decisions/{id}/offline"] = Access.Unit, ["POST /staff/decisions/{id}/offline"] = Access.Unit,
        ["GET /api/v1/decisions"] = Access.Public, ["GET /api/v1/decisions/{id}"] = Access.Public, ["GET /api/v1/decisions/{id}/comments"] = Access.Public,
        ["GET /api/v1/decisions/{id}/comments/export.csv"] = Access.Public, ["GET /api/v1/decisions/{id}/comments/export.json"] = Access.Public,
        ["POST /api/v1/decisions/{id}/comments"] = Access.SignedIn,
        ["POST /api/v1/moderation/comments/{id}/approve"] = Access.Unit, ["POST /api/v1/moderation/comments/{id}/reject"] = Access.Unit,
        // Adoption
        ["GET /decisions/{id}/report"] = Access.Public, ["GET /decisions/{id}/report/versions/{version}"] = Access.Public,
        ["GET /decisions/{id}/report.json"] = Access.Public, ["GET /decisions/{id}/report.csv"] = Access.Public,
        ["GET /staff/reports"] = Access.Staff, ["GET /staff/reports/{id}"] = Access.Unit, ["POST /staff/reports/{id}/issue"] = Access.Unit,
        ["POST /staff/reports/{id}/comments/{commentId}"] = Access.Unit, ["POST /staff/reports/{id}/clusters/{clusterId}"] = Access.Unit,
        ["POST /staff/reports/{id}/move"] = Access.Unit, ["POST /staff/reports/{id}/merge"] = Access.Unit, ["POST /staff/reports/{id}/equivalences"] = Access.Unit, ["POST /staff/reports/{id}/recluster"] = Access.Unit,
        ["POST /staff/reports/{id}/publish"] = Access.Unit, ["GET /staff/reports/{id}/preview"] = Access.Unit,
        ["GET /api/v1/decisions/{id}/report"] = Access.Public, ["GET /api/v1/decisions/{id}/report.csv"] = Access.Public,
        ["PUT /api/v1/decisions/{id}/issue"] = Access.Unit, ["GET /api/v1/decisions/{id}/review"] = Access.Unit,
        ["POST /api/v1/decisions/{id}/review/recluster"] = Access.Unit, ["PUT /api/v1/decisions/{id}/review/comments/{commentId}"] = Access.Unit,
        ["PUT /api/v1/decisions/{id}/review/clusters/{clusterId}"] = Access.Unit, ["POST /api/v1/decisions/{id}/review/move"] = Access.Unit,
        ["POST /api/v1/decisions/{id}/review/merge"] = Access.Unit, ["POST /api/v1/decisions/{id}/review/equivalences"] = Access.Unit, ["POST /api/v1/decisions/{id}/report"] = Access.Unit,
        ["GET /api/v1/reports/dashboard"] = Access.Staff,
        // Meetings
        ["GET /meetings"] = Access.Public, ["GET /meetings/{id}"] = Access.Public, ["GET /meetings/{id}/check"] = Access.Public,
        ["POST /meetings/{id}/apply"] = Access.SignedIn, ["POST /meetings/{id}/respond"] = Access.SignedIn,
        ["GET /meetings/topics"] = Access.Public, ["POST /meetings/topics/{pollId}/vote"] = Access.SignedIn, ["POST /meetings/topics"] = Access.Admin,
        ["GET /meetings/tracker"] = Access.Public,
        ["GET /staff/meetings"] = Access.Staff, ["POST /staff/meetings"] = Access.Staff, ["GET /staff/meetings/{id}"] = Access.Unit,
        ["POST /staff/meetings/{id}/applications/{applicationId}"] = Access.Unit, ["POST /staff/meetings/{id}/seed"] = Access.Unit, ["POST /staff/meetings/{id}/result/correction"] = Access.Admin,
        ["POST /staff/meetings/{id}/attendance"] = Access.Unit, ["POST /staff/meetings/{id}/opinions"] = Access.Unit,
        ["GET /api/v1/meetings"] = Access.Public, ["GET /api/v1/meetings/{id}"] = Access.Public, ["GET /api/v1/meetings/{id}/draw"] = Access.Public,
        ["GET /api/v1/meetings/{id}/opinions"] = Access.Public, ["GET /api/v1/meetings/tracker"] = Access.Public,
        ["GET /api/v1/topic-polls"] = Access.Public, ["GET /api/v1/topic-polls/{id}"] = Access.Public, ["POST /api/v1/topic-polls/{id}/votes"] = Access.SignedIn,
        ["POST /api/v1/meetings/{id}/applications"] = Access.SignedIn, ["POST /api/v1/meetings/{id}/response"] = Access.SignedIn,
        ["POST /api/v1/meetings/{id}/seed"] = Access.Unit, ["POST /api/v1/meetings/{id}/result/correction"] = Access.Admin, ["PUT /api/v1/meetings/applications/{applicationId}/eligibility"] = Access.Unit,
        // Open Month
        ["GET /events"] = Access.Public, ["GET /events/{id}"] = Access.Public, ["GET /events/calendar.ics"] = Access.Public,
        ["GET /events/{id}/event.ics"] = Access.Public, ["GET /events/{id}/my-code.svg"] = Access.SignedIn, ["POST /events/{id}/register"] = Access.SignedIn,
        ["POST /events/{id}/cancel"] = Access.SignedIn,
        ["GET /events/{id}/questionnaire"] = Access.SignedIn, ["POST /events/{id}/questionnaire"] = Access.SignedIn,
        ["GET /events/{id}/questionnaire/results"] = Access.Public, ["GET /staff/events/{id}/questionnaire"] = Access.Unit,
        ["POST /staff/events/{id}/questionnaire/questions"] = Access.Unit,
        ["POST /staff/events/{id}/questionnaire/answers/{answerId}/approve"] = Access.Unit, ["POST /staff/events/{id}/questionnaire/answers/{answerId}/reject"] = Access.Unit,
        ["POST /staff/events/{id}/questionnaire/closes"] = Access.Unit, ["POST /staff/events/{id}/summary"] = Access.Unit,
        ["GET /staff/events"] = Access.Staff, ["GET /staff"] = Access.Staff, ["POST /staff/events"] = Access.Staff, ["GET /staff/events/{id}/check-in"] = Access.Unit,
        ["POST /staff/events/{id}/check-in"] = Access.Unit,
        ["GET /events/themes"] = Access.Public, ["POST /events/themes/{id}/proposals"] = Access.SignedIn,
        ["POST /events/themes/proposals/{proposalId}/vote"] = Access.SignedIn, ["POST /events/themes/proposals/{proposalId}/decide"] = Access.Admin,
        ["POST /events/themes"] = Access.Admin,
        ["GET /api/v1/events"] = Access.Public, ["GET /api/v1/events/{id}"] = Access.Public, ["GET /api/v1/event-themes"] = Access.Public,
        ["POST /api/v1/events/{id}/registrations"] = Access.SignedIn, ["DELETE /api/v1/events/{id}/registrations/mine"] = Access.SignedIn,
        // Live Q&A (who hosts a session is checked per session, in LiveTests)
        ["GET /live"] = Access.Public, ["GET /live/new"] = Access.Host, ["POST /live/new"] = Access.Host, ["GET /live/{code}"] = Access.Public,
        ["GET /live/{code}/projector"] = Access.Public, ["GET /live/{code}/qr.svg"] = Access.Public, ["GET /live/{code}/host"] = Access.SessionHost,
        ["GET /live/{code}/host/panel"] = Access.SessionHost, ["POST /live/{code}/host/questions/{id}/{verb}"] = Access.SignedIn,
        ["POST /live/{code}/faq/{id}"] = Access.SignedIn, ["POST /live/{code}/host/participants/{id}/block"] = Access.SignedIn,
        ["POST /live/{code}/host/polls"] = Access.SignedIn, ["POST /live/{code}/host/polls/{id}/close"] = Access.SignedIn,
        ["POST /live/{code}/host/cohosts"] = Access.SignedIn, ["POST /live/{code}/host/end"] = Access.SignedIn,
        // Messages, FAQ, statistics
        ["GET /messages"] = Access.Public, ["POST /messages"] = Access.SignedIn, ["GET /messages/mine"] = Access.SignedIn,
        ["GET /staff/messages"] = Access.Staff, ["GET /staff/messages/{id}"] = Access.Unit, ["POST /staff/messages/{id}/triage"] = Access.Unit,
        ["POST /staff/messages/{id}/reply"] = Access.Unit, ["POST /staff/messages/{id}/publish"] = Access.Unit, ["POST /staff/messages/{id}/faq"] = Access.Unit,
        ["GET /staff/faq"] = Access.Staff, ["POST /staff/faq"] = Access.Staff, ["POST /staff/faq/{id}"] = Access.Staff, ["POST /staff/faq/{id}/delete"] = Access.Staff,
        ["GET /api/v1/messages"] = Access.Public, ["POST /api/v1/messages"] = Access.SignedIn,
        ["GET /statistics"] = Access.Public, ["GET /statistics.csv"] = Access.Public, ["GET /units/{id}"] = Access.Public,
        ["GET /api/v1/statistics"] = Access.Public,
    };

    private static readonly (string Name, string? Email, Access Level)[] Callers =
    [
        ("anonymous", null, Access.Public),
        ("resident", "resident1@example.org", Access.SignedIn),
        ("host", "host@example.org", Access.Host),
        ("staff of the government office", "staff@example.org", Access.Staff),
        ("staff of the civil affairs bureau", "civil@example.org", Access.Staff),
        ("admin", "admin@example.org", Access.Admin),
    ];

    private IReadOnlyList<(string Key, string Method, string Pattern)> MappedEndpoints() =>
        factory.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/hubs", StringComparison.Ordinal) && !e.RoutePattern.RawText.StartsWith("hubs", StringComparison.Ordinal))
            .SelectMany(e =>
            {
                var pattern = "/" + Regex.Replace(e.RoutePattern.RawText!.TrimStart('/'), @"\{(\w+)(:[^}]*)?\}", "{$1}").TrimEnd('/');
                var methods = e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"];
                return methods.Select(m => ($"{m} {(pattern == "/" ? "/" : pattern)}", m, pattern));
            })
            .DistinctBy(e => e.Item1).ToList();

    [Fact]
    public void Every_mapped_endpoint_has_an_expected_access_and_every_expectation_is_mapped()
    {
        var mapped = MappedEndpoints().Select(e => e.Key).ToHashSet();
        Assert.Empty(mapped.Except(Matrix.Keys).Order());
        Assert.Empty(Matrix.Keys.Except(mapped).Order());
    }

    [Fact]
    public async Task Every_endpoint_refuses_callers_below_its_access_and_lets_the_others_through_without_a_server_error()
    {
        var values = await SampleValuesAsync();
        var clients = new List<(string Name, string? Email, Access Level, HttpClient Client)>();
        foreach (var (name, email, level) in Callers)
        {
            var client = factory.CreateBrowser();
            if (email is not null)
            {
                client.DefaultRequestHeaders.Authorization = new("Bearer", await factory.CreateClient().TokenAsync(email));
            }
            clients.Add((name, email, level, client));
        }

        var failures = new List<string>();
        foreach (var (key, method, pattern) in MappedEndpoints().OrderBy(e => e.Key))
        {
            if (!Matrix.TryGetValue(key, out var access)) continue; // reported by the other test
            var url = Regex.Replace(pattern, @"\{(\w+)\}", m => values(pattern, m.Groups[1].Value));
            foreach (var (name, email, level, client) in clients)
            {
                var request = new HttpRequestMessage(new HttpMethod(method == "*" ? "GET" : method), url);
                if (method is "POST" or "PUT")
                {
                    request.Content = url.StartsWith("/api/")
                        ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json")
                        : new StringContent("", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
                }
                var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var location = response.Headers.Location?.ToString() ?? "";
                var denied = status is 401 or 403 || (status is 302 or 303 && (location.Contains("/account/login") || location.Contains("/account/denied")));
                var allowed = Allows(level, access);
                if (pattern == "/account/denied") denied = status != 403; // the page says "denied" with its status
                // A live session's console: its hosts (the demo's host) and admins only.
                if (access == Access.SessionHost) allowed = level == Access.Admin || email == "host@example.org";
                // Served by address (Metrics:AllowedNetworks), not by role: the in-memory client has no address, so
                // every role is refused, admins too. TelemetryTests shows the allowed networks getting through.
                if (access == Access.Network) allowed = false;
                // A unit's item: only its own staff (and admins) get through. A page's POST stops at the antiforgery
                // check before the item is looked at, so there only the role is seen.
                if (access == Access.Unit && level == Access.Staff && (method == "GET" || url.StartsWith("/api/")))
                {
                    allowed = email == OwnerOf(pattern);
                    // Another unit's item may also be answered as if it did not exist.
                    denied |= !allowed && status == 404;
                }
                if (status >= 500) failures.Add($"{key} as {name}: {status}");
                // No page title (nor anything else a page says) with a placeholder left unfilled.
                if (status == 200 && response.Content.Headers.ContentType?.MediaType == "text/html"
                    && Regex.Match(await response.Content.ReadAsStringAsync(), "<title>(.*?)</title>", RegexOptions.Singleline) is { Success: true } title
                    && Regex.IsMatch(title.Groups[1].Value, @"\{\d+\}"))
                {
                    failures.Add($"{key} as {name}: title '{title.Groups[1].Value}' has an unfilled placeholder");
                }
                else if (allowed && denied) failures.Add($"{key} as {name}: refused ({status} {location})");
                else if (!allowed && !denied) failures.Add($"{key} as {name}: let through ({status} {location})");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// A deleted account's token is refused with 401 on every endpoint, public ones included: never a 500, never another
    /// feature's refusal (a misleading "already registered"), never answered as if the person still existed.
    /// </summary>
    [Fact]
    public async Task A_deleted_accounts_token_gets_401_on_every_endpoint()
    {
        var values = await SampleValuesAsync();
        string token;
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Web.Features.Accounts.User>>();
            var user = new Web.Features.Accounts.User
            {
                UserName = "gone@example.org", Email = "gone@example.org", EmailConfirmed = true, DisplayName = "已注销", CreatedAt = factory.Clock.GetUtcNow(),
            };
            Assert.True((await users.CreateAsync(user, EngagementFactory.Password)).Succeeded);
            await users.AddToRolesAsync(user, [Web.Features.Accounts.Roles.Resident, Web.Features.Accounts.Roles.Host]);
            token = await factory.CreateClient().TokenAsync("gone@example.org");
            await scope.ServiceProvider.GetRequiredService<Web.Features.Accounts.AccountErasure>().EraseAsync(user);
        }
        var client = factory.CreateBrowser();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var failures = new List<string>();
        foreach (var (key, method, pattern) in MappedEndpoints().OrderBy(e => e.Key))
        {
            var url = Regex.Replace(pattern, @"\{(\w+)\}", m => values(pattern, m.Groups[1].Value));
            var request = new HttpRequestMessage(new HttpMethod(method == "*" ? "GET" : method), url);
            if (method is "POST" or "PUT")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }
            var status = (int)(await client.SendAsync(request)).StatusCode;
            if (status != 401) failures.Add($"{key}: {status}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static bool Allows(Access caller, Access needed) => needed switch
    {
        Access.Public => true,
        Access.SignedIn or Access.SessionHost => caller != Access.Public,
        Access.Host => caller is Access.Host or Access.Staff or Access.Admin,
        Access.Staff or Access.Unit => caller is Access.Staff or Access.Admin,
        _ => caller == Access.Admin,
    };

    /// <summary>
    /// Whose staff own the sample item: the demo's events are the government office's, its meetings the district
    /// government's (run by the government office, the district office), and the decision, comment and message used
    /// are the civil affairs bureau's.
    /// </summary>
    private static string? OwnerOf(string pattern) =>
        pattern.Contains("/events/") || pattern.Contains("/meetings/") ? "staff@example.org" : "civil@example.org";

    /// <summary>Real ids of the demo data for each route parameter, so a refusal is about the caller and not a missing thing.</summary>
    private async Task<Func<string, string, string>> SampleValuesAsync()
    {
        var ids = await factory.WithDbAsync(async db => new
        {
            Decision = await db.Set<Decision>().Where(d => d.Unit!.Name == "区民政局").OrderBy(d => d.Id).Select(d => d.Id).FirstAsync(),
            Comment = await db.Set<Comment>().Where(c => c.Status == CommentStatus.Published && c.Decision!.Unit!.Name == "区民政局").OrderBy(c => c.Id).Select(c => c.Id).FirstAsync(),
            Meeting = await db.Set<Meeting>().Where(m => m.UnitId == null).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(),
            Application = await db.Set<RepresentativeApplication>().Where(a => db.Set<Meeting>().Any(m => m.Id == a.MeetingId && m.UnitId == null)).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync(),
            Poll = await db.Set<TopicPoll>().OrderBy(p => p.Id).Select(p => p.Id).FirstAsync(),
            Event = await db.Set<OpenEvent>().Where(e => e.Unit!.Name == "区政府办公室").OrderBy(e => e.Id).Select(e => e.Id).FirstAsync(),
            Message = await db.Set<Message>().Where(m => m.Unit!.Name == "区民政局").OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(),
            User = await db.Users.Where(u => u.Email == "resident2@example.org").Select(u => u.Id).FirstAsync(),
        });
        return (pattern, name) => (pattern, name) switch
        {
            (_, "status") => "404",
            (_, "documentName") => "v1",
            (_, "year") => "2026",
            (_, "date") => "2026-11-23",
            (_, "kindName") => "draft",
            (_, "number" or "version") => "1",
            (_, "code") => Web.Features.Live.LiveDemo.JoinCode,
            (_, "verb") => "approve",
            (_, "name") => "events",
            (_, "kind") => "decision",
            (_, "token") => new string('0', 48),
            (_, "commentId") => ids.Comment.ToString(),
            (_, "clusterId" or "proposalId") => "1",
            (_, "applicationId") => ids.Application.ToString(),
            (_, "pollId") => ids.Poll.ToString(),
            (var p, "id") when p.StartsWith("/admin/users") => ids.User.ToString(),
            (var p, "id") when p.StartsWith("/profile/sessions") => Guid.NewGuid().ToString(),
            (var p, "id") when p.Contains("/meetings/") && !p.Contains("topic") => ids.Meeting.ToString(),
            (var p, "id") when p.Contains("topic-polls") => ids.Poll.ToString(),
            (var p, "id") when p.Contains("/events/") => ids.Event.ToString(),
            (var p, "id") when p.Contains("/messages/") => ids.Message.ToString(),
            (var p, "id") when p.StartsWith("/moderation") || p.Contains("/moderation/comments") => ids.Comment.ToString(),
            (var p, "id") when p.StartsWith("/live/") => "1",
            (_, "id") => ids.Decision.ToString(),
            _ => "1",
        };
    }
}
