using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Accounts;

/// <summary>
/// Accounts as an attacker and a careful owner see them: every cause that must end a sign-in ends every kind of it
/// (cookie, bearer token, refresh token, live connection); answers and timings say nothing about who has an account;
/// a stranger's guesses cannot keep the owner out; staff sign in with a second factor.
/// </summary>
public abstract class SignInSecurityTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    private const string OwnPassword = "Zhongshan-park-2026";

    /// <summary>A confirmed account of its own, so one test's failures and sign-outs never touch another's.</summary>
    private async Task<User> NewUserAsync(string name, params string[] roles)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var email = $"{name}.{Guid.NewGuid():N}"[..30] + "@example.org";
        int? unit = null;
        if (roles.Contains(Roles.Staff))
        {
            unit = await scope.ServiceProvider.GetRequiredService<Web.Platform.Data.EngagementDbContext>().Units
                .Where(u => u.Name == "区民政局").Select(u => (int?)u.Id).SingleAsync();
        }
        var user = new User { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "仙霞路居民", CreatedAt = factory.Clock.GetUtcNow(), UnitId = unit };
        Assert.True((await users.CreateAsync(user, OwnPassword)).Succeeded);
        await users.AddToRolesAsync(user, roles.Length == 0 ? [Roles.Resident] : roles);
        return user;
    }

    private sealed record SignedIn(HttpClient Browser, HttpClient Api, string RefreshToken, HubConnection Hub, TaskCompletionSource Closed);

    /// <summary>Signs the person in every way there is: a browser's cookie, an API client's tokens, a live-hub connection.</summary>
    private async Task<SignedIn> SignInEverywayAsync(User user)
    {
        var browser = factory.CreateBrowser();
        await browser.SignInAsync(user.Email!, OwnPassword);
        var tokens = await (await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = OwnPassword })).JsonAsync();
        var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        var hubToken = (await (await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = OwnPassword })).JsonAsync())
            .GetProperty("accessToken").GetString();
        var hub = new HubConnectionBuilder()
            .WithUrl("https://localhost/hubs/live", o =>
            {
                o.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult(hubToken);
            })
            .Build();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await hub.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/profile")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/auth/me")).StatusCode);
        return new SignedIn(browser, api, tokens.GetProperty("refreshToken").GetString()!, hub, closed);
    }

    private async Task AssertEndedAsync(SignedIn signedIn, string cause)
    {
        var page = await signedIn.Browser.GetAsync("/profile");
        Assert.True(page.StatusCode == HttpStatusCode.Redirect && page.Headers.Location!.ToString().Contains("/account/login"), $"{cause}: cookie still works ({page.StatusCode})");
        Assert.True((await signedIn.Api.GetAsync("/api/v1/auth/me")).StatusCode == HttpStatusCode.Unauthorized, $"{cause}: bearer token still works");
        var refresh = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = signedIn.RefreshToken });
        Assert.True(refresh.StatusCode == HttpStatusCode.Unauthorized, $"{cause}: refresh token still works ({refresh.StatusCode})");
        var closed = await Task.WhenAny(signedIn.Closed.Task, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(closed == signedIn.Closed.Task, $"{cause}: live connection still open");
        await signedIn.Hub.DisposeAsync();
    }

    private async Task<HttpClient> AdminAsync()
    {
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        return admin;
    }

    private static async Task PostFormAsync(HttpClient browser, string pageUrl, string action, Dictionary<string, string>? values = null,
        HttpStatusCode expected = HttpStatusCode.Redirect)
    {
        var page = await browser.GetPageAsync(pageUrl);
        var response = await browser.SubmitAsync(page, action, values);
        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("password reset by e-mail")]
    [InlineData("password changed on another device")]
    [InlineData("account deleted")]
    [InlineData("roles changed by an admin")]
    [InlineData("unit changed by an admin")]
    [InlineData("account disabled by an admin")]
    [InlineData("signed out everywhere by an admin")]
    [InlineData("signed out everywhere by the person")]
    public async Task Each_cause_ends_every_cookie_token_refresh_token_and_live_connection(string cause)
    {
        var staff = cause.StartsWith("unit");
        var user = await NewUserAsync("revoke", staff ? [Roles.Resident, Roles.Staff] : [Roles.Resident]);
        var victim = await SignInEverywayAsync(user);
        var other = factory.CreateBrowser();
        await other.SignInAsync(user.Email!, OwnPassword);

        switch (cause)
        {
            case "password reset by e-mail":
                await PostFormAsync(factory.CreateBrowser(), "/account/forgot-password", "/account/forgot-password",
                    new() { ["Email"] = user.Email! }, HttpStatusCode.OK);
                var mail = await factory.WaitForAsync(user.Email!, "重置");
                var anonymous = factory.CreateBrowser();
                await PostFormAsync(anonymous, mail.LocalLink(), "/account/reset-password",
                    new() { ["Password"] = "Hongqiao-road-2027", ["ConfirmPassword"] = "Hongqiao-road-2027" }, HttpStatusCode.OK);
                break;
            case "password changed on another device":
                await PostFormAsync(other, "/profile", "/profile/password",
                    new() { ["Change.CurrentPassword"] = OwnPassword, ["Change.Password"] = "Hongqiao-road-2027", ["Change.ConfirmPassword"] = "Hongqiao-road-2027" });
                // The device that changed it stays signed in.
                Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/profile")).StatusCode);
                break;
            case "account deleted":
                await PostFormAsync(other, "/profile", "/profile/delete", new() { ["Password"] = OwnPassword }, HttpStatusCode.OK);
                break;
            case "roles changed by an admin":
                await PostFormAsync(await AdminAsync(), $"/admin/users/{user.Id}", $"/admin/users/{user.Id}", new() { ["Roles"] = Roles.Host });
                break;
            case "unit changed by an admin":
                var unit = await factory.WithDbAsync(db => db.Units.Where(u => u.Name == "区发展改革委").Select(u => u.Id).SingleAsync());
                var admin = await AdminAsync();
                var edit = await admin.GetPageAsync($"/admin/users/{user.Id}");
                var content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = edit.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!,
                    ["Roles"] = Roles.Staff, ["UnitId"] = unit.ToString(),
                });
                Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync($"/admin/users/{user.Id}", content)).StatusCode);
                break;
            case "account disabled by an admin":
                await PostFormAsync(await AdminAsync(), $"/admin/users/{user.Id}", $"/admin/users/{user.Id}/disable");
                // And no new sign-in is accepted, with the reason given only to whoever knows the password.
                var refused = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = OwnPassword });
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Contains("disabled", (await refused.JsonAsync()).GetProperty("detail").GetString());
                break;
            case "signed out everywhere by an admin":
                await PostFormAsync(await AdminAsync(), $"/admin/users/{user.Id}", $"/admin/users/{user.Id}/sign-out-everywhere");
                break;
            case "signed out everywhere by the person":
                await PostFormAsync(other, "/profile", "/profile/sessions/sign-out-everywhere");
                Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync("/profile")).StatusCode);
                break;
        }
        await AssertEndedAsync(victim, cause);
    }

    [Fact]
    public async Task The_person_sees_where_they_are_signed_in_and_signs_one_place_out()
    {
        var user = await NewUserAsync("places");
        var phone = factory.CreateBrowser();
        phone.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36");
        await phone.SignInAsync(user.Email!, OwnPassword);
        var desk = factory.CreateBrowser();
        desk.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0");
        await desk.SignInAsync(user.Email!, OwnPassword);

        var profile = await desk.GetPageAsync("/profile");
        var rows = profile.QuerySelectorAll("#session-list tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Contains(rows, r => r.TextContent.Contains("Chrome · Android"));
        var current = Assert.Single(rows, r => r.ClassList.Contains("table-active"));
        Assert.Contains("Edge · Windows", current.TextContent);

        var phoneRow = rows.Single(r => r.TextContent.Contains("Android"));
        var action = phoneRow.QuerySelector("form")!.GetAttribute("action")!;
        Assert.Equal(HttpStatusCode.Redirect, (await desk.SubmitAsync(profile, action)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/profile")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("/profile")).StatusCode);
        Assert.Single((await desk.GetPageAsync("/profile")).QuerySelectorAll("#session-list tbody tr"));

        // Another person's sign-in cannot be ended from here.
        var stranger = factory.CreateBrowser();
        await stranger.SignInAsync("resident1@example.org");
        var strangerProfile = await stranger.GetPageAsync("/profile");
        var mine = Guid.Parse((await desk.GetPageAsync("/profile")).QuerySelector("#session-list tbody tr")!.GetAttribute("data-session")!);
        var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = strangerProfile.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!,
        });
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/profile/sessions/{mine}/sign-out", content)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("/profile")).StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_a_replayed_one_ends_the_sign_in()
    {
        var user = await NewUserAsync("refresh");
        var login = await (await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = OwnPassword })).JsonAsync();
        var first = login.GetProperty("refreshToken").GetString();
        var renewed = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = first });
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var second = (await renewed.JsonAsync()).GetProperty("accessToken").GetString();
        var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", second);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/auth/me")).StatusCode);

        // The first refresh token again: someone holds a copy. The whole sign-in ends.
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = first })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_deleted_accounts_token_gets_401_not_500_or_another_refusal()
    {
        var user = await NewUserAsync("deleted");
        var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await factory.CreateClient().TokenAsync(user.Email!, OwnPassword));
        var ids = await factory.WithDbAsync(async db => new
        {
            Decision = await db.Set<Web.Features.Consultation.Decision>().OrderBy(d => d.Id).Select(d => d.Id).FirstAsync(),
            Meeting = await db.Set<Web.Features.Meetings.Meeting>().OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(),
            Event = await db.Set<Web.Features.OpenMonth.OpenEvent>().OrderBy(e => e.Id).Select(e => e.Id).FirstAsync(),
        });
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            await scope.ServiceProvider.GetRequiredService<AccountErasure>().EraseAsync((await users.FindByIdAsync(user.Id.ToString()))!);
        }
        var calls = new (string Url, object Body)[]
        {
            ($"/api/v1/decisions/{ids.Decision}/comments", new { text = "建议在天山路增设非机动车停放点。" }),
            ("/api/v1/messages", new { text = "请问长宁区的政府信息公开申请怎么提交？" }),
            ($"/api/v1/meetings/{ids.Meeting}/applications", new { realName = "王敏", phone = "13912345678", category = "Resident", statement = "关注养老服务" }),
            ($"/api/v1/events/{ids.Event}/registrations", new { companions = 0 }),
        };
        foreach (var (url, body) in calls)
        {
            var response = await api.PostAsJsonAsync(url, body);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{url}: {(int)response.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_answers_an_unknown_address_exactly_as_a_wrong_password_before_and_during_a_pause()
    {
        var user = await NewUserAsync("same-answer");
        var unknown = $"nobody.{Guid.NewGuid():N}"[..20] + "@example.org";
        for (var i = 0; i < 7; i++)
        {
            var known = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "wrong-password-1" });
            var stranger = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = unknown, password = "wrong-password-1" });
            Assert.Equal(known.StatusCode, stranger.StatusCode);
            var (a, b) = ((await known.JsonAsync()).GetProperty("detail").GetString(), (await stranger.JsonAsync()).GetProperty("detail").GetString());
            Assert.Equal(a, b);
            Assert.Equal(i < 4 ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, known.StatusCode);
        }

        // The sign-in page too, in words, and the way back in is offered for both.
        foreach (var email in new[] { user.Email!, unknown })
        {
            var browser = factory.CreateBrowser();
            var page = await browser.GetPageAsync("/account/login");
            var answer = await browser.SubmitAsync(page, "/account/login", new Dictionary<string, string> { ["Email"] = email, ["Password"] = "wrong-password-1" });
            Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
            var html = await answer.ParseAsync();
            Assert.Contains("密码登录已暂停", html.QuerySelector("#login-errors")!.TextContent);
            Assert.NotNull(html.QuerySelector("#send-link"));
        }

        // Password reset and the sign-in link answer the same page for both.
        foreach (var (pageUrl, action, marker) in new[] { ("/account/forgot-password", "/account/forgot-password", "#reset-sent"), ("/account/sign-in-link", "/account/sign-in-link", "#link-sent") })
        {
            var answers = new List<string>();
            foreach (var email in new[] { user.Email!, unknown })
            {
                var browser = factory.CreateBrowser();
                var response = await browser.SubmitAsync(await browser.GetPageAsync(pageUrl), action, new Dictionary<string, string> { ["Email"] = email });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                answers.Add((await response.ParseAsync()).QuerySelector(marker)!.TextContent);
            }
            Assert.Equal(answers[0], answers[1]);
        }
    }

    [Fact]
    public async Task Sign_in_takes_as_long_for_an_unknown_address_as_for_a_wrong_password()
    {
        var user = await NewUserAsync("timing");
        var client = factory.CreateClient();
        // Warm up both paths (JIT, connection pool), then 50 tries each, interleaved so drift hits both alike.
        for (var i = 0; i < 3; i++)
        {
            await client.PostAsJsonAsync("/api/v1/auth/login", new { email = $"warm{i}@example.org", password = "wrong-password-1" });
        }
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            known.Add(await TimeAsync(client, user.Email!));
            unknown.Add(await TimeAsync(client, $"nobody{i}.{Guid.NewGuid():N}"[..24] + "@example.org"));
        }
        var (k, u) = (Median(known), Median(unknown));
        Assert.True(Math.Abs(k - u) <= 0.2 * Math.Max(k, u), $"median for a known address {k:F1} ms, for an unknown one {u:F1} ms");
    }

    private static async Task<double> TimeAsync(HttpClient client, string email)
    {
        var watch = Stopwatch.StartNew();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "wrong-password-1" });
        watch.Stop();
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }

    [Fact]
    public async Task A_stranger_cannot_lock_the_owner_out_nor_lengthen_the_pause_and_the_owner_gets_back_in_by_e_mail()
    {
        var user = await NewUserAsync("owner");
        // The owner's own browser, which has signed in before.
        var owners = factory.CreateBrowser();
        await owners.SignInAsync(user.Email!, OwnPassword);
        await owners.SubmitAsync(await owners.GetPageAsync("/profile"), "/account/logout");

        // A stranger guesses from elsewhere until sign-in by password is paused for the address...
        var stranger = factory.CreateClient();
        for (var i = 0; i < 5; i++) await stranger.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = $"guess-{i}-123" });
        var key = SignInThrottles.ForAddress(user.Email!);
        var until = await factory.WithDbAsync(db => db.SignInThrottles.Where(t => t.Key == key).Select(t => t.BlockedUntil).SingleAsync());
        Assert.Equal(factory.Clock.GetUtcNow().AddMinutes(1), until);
        // ... and hammering on during the pause neither counts nor lengthens it.
        for (var i = 0; i < 10; i++)
        {
            var paused = await stranger.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = OwnPassword });
            Assert.Equal(HttpStatusCode.TooManyRequests, paused.StatusCode);
            Assert.True(paused.Headers.RetryAfter is not null);
        }
        Assert.Equal(until, await factory.WithDbAsync(db => db.SignInThrottles.Where(t => t.Key == key).Select(t => t.BlockedUntil).SingleAsync()));

        // The admin sees it, in the audit log and on the person's page.
        var admin = await AdminAsync();
        Assert.NotNull((await admin.GetPageAsync($"/admin/users/{user.Id}")).QuerySelector("#access-paused"));
        Assert.Contains("密码登录暂停", (await admin.GetPageAsync($"/admin/audit?item={user.Id}")).Body!.TextContent);

        // The owner's own browser signs in regardless.
        await owners.SignInAsync(user.Email!, OwnPassword);
        Assert.Equal(HttpStatusCode.OK, (await owners.GetAsync("/profile")).StatusCode);

        // On a new device the owner is paused too, and gets back in with an e-mailed one-time link.
        var newPhone = factory.CreateBrowser();
        var login = await newPhone.SubmitAsync(await newPhone.GetPageAsync("/account/login"), "/account/login",
            new Dictionary<string, string> { ["Email"] = user.Email!, ["Password"] = OwnPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, login.StatusCode);
        var sent = await newPhone.SubmitAsync(await login.ParseAsync(), "/account/sign-in-link");
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var mail = await factory.WaitForAsync(user.Email!, "一次性登录链接");
        var use = await newPhone.GetPageAsync(mail.LocalLink());
        var signedIn = await newPhone.SubmitAsync(use, "/account/sign-in-link/use");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newPhone.GetAsync("/profile")).StatusCode);
        // The link works once; the pause on the address is lifted.
        var again = factory.CreateBrowser();
        Assert.Equal(HttpStatusCode.Gone, (await again.SubmitAsync(await again.GetPageAsync(mail.LocalLink()), "/account/sign-in-link/use")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = OwnPassword })).StatusCode);
    }

    [Fact]
    public async Task Pauses_grow_one_five_fifteen_minutes_and_end_on_their_own()
    {
        var user = await NewUserAsync("pauses");
        var client = factory.CreateClient();
        var key = SignInThrottles.ForAddress(user.Email!);
        async Task<TimeSpan?> PauseAsync() => await factory.WithDbAsync(db => db.SignInThrottles.Where(t => t.Key == key).Select(t => t.BlockedUntil).SingleAsync())
            - factory.Clock.GetUtcNow();
        for (var i = 0; i < 5; i++) await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "wrong-password-1" });
        Assert.Equal(TimeSpan.FromMinutes(1), await PauseAsync());
        foreach (var (wait, next) in new[] { (1, 5), (5, 15), (15, 15) })
        {
            // The pause ends; the next failure starts a longer one, up to 15 minutes.
            factory.Clock.Advance(TimeSpan.FromMinutes(wait));
            await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "wrong-password-1" });
            Assert.Equal(TimeSpan.FromMinutes(next), await PauseAsync());
        }
        factory.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = OwnPassword })).StatusCode);
    }

    /// <summary>The same site with the second factor required for staff and admins, as outside Development.</summary>
    private WebApplicationFactory<Program> Strict() =>
        factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Accounts:RequireTwoFactorForStaff", "true");
            b.UseSetting("Accounts:RequireTwoFactorForAdmins", "true");
        });

    private static HttpClient BrowserOf(WebApplicationFactory<Program> site) =>
        site.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task Staff_set_up_a_second_factor_before_working_and_then_sign_in_with_it_by_page_and_by_api()
    {
        using var site = Strict();
        var user = await NewUserAsync("clerk", Roles.Resident, Roles.Staff);
        var browser = BrowserOf(site);
        await browser.SignInAsync(user.Email!, OwnPassword);

        // Until the second factor is set up, the back office sends the clerk to set it up, and the API refuses.
        var staffHome = await browser.GetAsync("/staff");
        Assert.Equal("/profile/two-factor?required=1", staffHome.Headers.Location?.OriginalString);
        var tokenOnly = site.CreateClient();
        tokenOnly.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await site.CreateClient().TokenAsync(user.Email!, OwnPassword));
        Assert.Equal(HttpStatusCode.Forbidden, (await tokenOnly.GetAsync("/api/v1/reports/dashboard")).StatusCode);

        var setUp = await browser.GetPageAsync("/profile/two-factor");
        Assert.NotNull(setUp.QuerySelector("#two-factor-required"));
        var key = setUp.QuerySelector("#shared-key")!.TextContent;
        Assert.Equal("image/svg+xml", (await browser.GetAsync("/profile/two-factor/qr.svg")).Content.Headers.ContentType?.MediaType);
        var wrong = await browser.SubmitAsync(setUp, "/profile/two-factor/enable", new Dictionary<string, string> { ["Code"] = "000000" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        var enabled = await (await browser.SubmitAsync(setUp, "/profile/two-factor/enable",
            new Dictionary<string, string> { ["Code"] = Authenticator.Code(key) })).ParseAsync();
        var codes = enabled.QuerySelectorAll("#recovery-codes li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(10, codes.Count);
        // This browser goes on working; the token made without the second factor has ended.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/staff")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tokenOnly.GetAsync("/api/v1/auth/me")).StatusCode);

        // A new sign-in asks for the code; a wrong one is refused, the right one signs in, and is not taken twice.
        var later = BrowserOf(site);
        var step = await later.SubmitAsync(await later.GetPageAsync("/account/login"), "/account/login",
            new Dictionary<string, string> { ["Email"] = user.Email!, ["Password"] = OwnPassword });
        Assert.Equal("/account/second-factor", step.Headers.Location?.OriginalString);
        var codePage = await later.GetPageAsync("/account/second-factor");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await later.SubmitAsync(codePage, "/account/second-factor", new Dictionary<string, string> { ["Code"] = "123456" })).StatusCode);
        var code = Authenticator.NextCode(key);
        var full = await later.SubmitAsync(codePage, "/account/second-factor", new Dictionary<string, string> { ["Code"] = code[..3] + " " + code[3..] });
        Assert.Equal(HttpStatusCode.Redirect, full.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await later.GetAsync("/staff")).StatusCode);

        var replay = BrowserOf(site);
        await replay.SubmitAsync(await replay.GetPageAsync("/account/login"), "/account/login",
            new Dictionary<string, string> { ["Email"] = user.Email!, ["Password"] = OwnPassword });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await replay.SubmitAsync(await replay.GetPageAsync("/account/second-factor"), "/account/second-factor",
            new Dictionary<string, string> { ["Code"] = code })).StatusCode);
        // A recovery code works once.
        var recovered = await replay.SubmitAsync(await replay.GetPageAsync("/account/second-factor"), "/account/second-factor",
            new Dictionary<string, string> { ["RecoveryCode"] = codes[0] });
        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);

        // The API: the password alone is answered "requires two factor"; with a code, a token that works.
        var api = site.CreateClient();
        var needs = await api.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = OwnPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, needs.StatusCode);
        Assert.True((await needs.JsonAsync()).GetProperty("requiresTwoFactor").GetBoolean());
        var reused = await api.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = OwnPassword, twoFactorRecoveryCode = codes[0] });
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        var withCode = await api.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = OwnPassword, twoFactorCode = Authenticator.NextCode(key, 2) });
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await withCode.JsonAsync()).GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/reports/dashboard")).StatusCode);

        // Staff cannot turn it off while their role requires it.
        var manage = await browser.GetPageAsync("/profile/two-factor");
        Assert.Null(manage.QuerySelector("#two-factor-off"));
        var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = manage.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!, ["Password"] = OwnPassword,
        });
        Assert.Equal(HttpStatusCode.Conflict, (await browser.PostAsync("/profile/two-factor/disable", content)).StatusCode);
    }

    [Fact]
    public async Task A_resident_may_turn_the_second_factor_on_and_off_and_an_admin_can_reset_it()
    {
        var user = await NewUserAsync("careful");
        var browser = factory.CreateBrowser();
        await browser.SignInAsync(user.Email!, OwnPassword);
        var setUp = await browser.GetPageAsync("/profile/two-factor");
        var key = setUp.QuerySelector("#shared-key")!.TextContent;
        // Opening the page twice shows the same key and signs nobody out.
        Assert.Equal(key, (await browser.GetPageAsync("/profile/two-factor")).QuerySelector("#shared-key")!.TextContent);
        await browser.SubmitAsync(setUp, "/profile/two-factor/enable", new Dictionary<string, string> { ["Code"] = Authenticator.Code(key) });
        Assert.True(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.TwoFactorEnabled).SingleAsync()));

        var admin = await AdminAsync();
        Assert.Contains("已开启两步验证", (await admin.GetPageAsync($"/admin/users/{user.Id}")).QuerySelector("#access-two-factor")!.TextContent);
        await PostFormAsync(admin, $"/admin/users/{user.Id}", $"/admin/users/{user.Id}/two-factor-reset");
        Assert.False(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.TwoFactorEnabled).SingleAsync()));
        // The reset signed the person out everywhere; they sign in with the password alone again.
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/profile")).StatusCode);
        await browser.SignInAsync(user.Email!, OwnPassword);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/profile")).StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityId == user.Id.ToString() && a.Action == "account.two-factor-off")));
    }
}

public sealed class SignInSecurityTests_Sqlite(SqliteFactory factory) : SignInSecurityTests<SqliteFactory>(factory);
public sealed class SignInSecurityTests_Postgres(PostgresFactory factory) : SignInSecurityTests<PostgresFactory>(factory);
