using System.Net;
using System.Text.RegularExpressions;
using Engagement.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Security;

/// <summary>
/// Every state-changing form refuses a request without a valid antiforgery token; cookies are HttpOnly, Secure and
/// SameSite; the Content-Security-Policy allows no inline script.
/// </summary>
public sealed class FormAndCookieTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    /// <summary>Every page (not API) endpoint that accepts a POST, PUT or DELETE, with its parameters filled.</summary>
    private IReadOnlyList<string> FormEndpoints() =>
        factory.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Any(m => m is "POST" or "PUT" or "DELETE") == true)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => !p.StartsWith("/api/") && !p.StartsWith("/hubs"))
            .Select(p => Regex.Replace(p, @"\{(\w+)(:[^}]*)?\}", m => m.Groups[1].Value switch
            {
                "code" => Web.Features.Live.LiveDemo.JoinCode,
                "verb" => "approve",
                "kindName" => "draft",
                "year" => "2026",
                "id" when p.StartsWith("/admin/users") || p.StartsWith("/profile/sessions") => Guid.Empty.ToString(),
                _ => "1",
            }))
            .Distinct().Order().ToList();

    [Fact]
    public async Task Every_form_refuses_a_post_without_an_antiforgery_token_even_from_a_signed_in_admin()
    {
        var forms = FormEndpoints();
        Assert.True(forms.Count > 60, $"only {forms.Count} form endpoints found");
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        var anonymous = factory.CreateBrowser();
        await anonymous.GetAsync("/account/login"); // has the antiforgery cookie, but sends no token

        var failures = new List<string>();
        foreach (var url in forms)
        {
            // RFC 8058: a mail program posts the unsubscribe link with no page and no cookie; the 48-hex token in the
            // address is the proof, so a guessed one finds nothing (SubscriptionTests send the real one).
            if (url.StartsWith("/unsubscribe/"))
            {
                Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync(url, null)).StatusCode);
                continue;
            }
            foreach (var (who, client) in new[] { ("admin", admin), ("anonymous", anonymous) })
            {
                var response = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["Text"] = "x", ["Password"] = "x" }));
                var status = (int)response.StatusCode;
                var toSignIn = status == 302 && response.Headers.Location?.ToString().Contains("/account/login") == true;
                // An anonymous caller may be sent to sign in first; anything else must be the antiforgery refusal.
                if (status != 400 && !(who == "anonymous" && toSignIn)) failures.Add($"{url} as {who}: {status} {response.Headers.Location}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The admin is still signed in: nothing above signed them out or changed anything.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task Every_cookie_is_http_only_secure_and_same_site()
    {
        var browser = factory.CreateBrowser();
        var cookies = new List<string>();
        void Collect(HttpResponseMessage r)
        {
            if (r.Headers.TryGetValues("Set-Cookie", out var values)) cookies.AddRange(values);
        }
        Collect(await browser.GetAsync("/account/login"));
        var login = await browser.GetPageAsync("/account/login");
        Collect(await browser.SubmitAsync(login, "/account/login", new Dictionary<string, string> { ["Email"] = "resident1@example.org", ["Password"] = EngagementFactory.Password }));
        var home = await browser.GetPageAsync("/");
        Collect(await browser.SubmitAsync(home, "/preferences/language", new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = "/" }));
        home = await browser.GetPageAsync("/");
        Collect(await browser.SubmitAsync(home, "/preferences/elder", new Dictionary<string, string> { ["on"] = "true", ["returnUrl"] = "/" }));
        Collect(await browser.GetAsync($"/live/{Web.Features.Live.LiveDemo.JoinCode}"));

        Assert.Contains(cookies, c => c.StartsWith("engagement.auth="));
        Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.Culture="));
        Assert.Contains(cookies, c => c.StartsWith("engagement.af="));
        Assert.Contains(cookies, c => c.StartsWith("engagement.elder="));
        foreach (var cookie in cookies.Where(c => !c.Contains("expires=Thu, 01 Jan 1970")))
        {
            var attributes = cookie.Split(';').Select(a => a.Trim().ToLowerInvariant()).ToList();
            var name = cookie.Split('=')[0];
            Assert.True(attributes.Contains("httponly"), $"{name} is not HttpOnly");
            Assert.True(attributes.Contains("secure"), $"{name} is not Secure");
            Assert.True(attributes.Any(a => a is "samesite=lax" or "samesite=strict"), $"{name} has no SameSite");
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/decisions")]
    [InlineData("/live/DEMO26")]
    [InlineData("/statistics")]
    [InlineData("/no-such-page")]
    public async Task The_content_security_policy_allows_no_inline_script(string path)
    {
        var response = await factory.CreateBrowser().GetAsync(path);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d);
        var scripts = directives.GetValueOrDefault("script-src") ?? directives["default-src"];
        Assert.DoesNotContain("'unsafe-inline'", scripts);
        Assert.DoesNotContain("'unsafe-eval'", scripts);
        Assert.DoesNotContain("*", scripts.Split(' ').Skip(1));
        Assert.Contains("frame-ancestors 'none'", policy);
        // And the pages carry no inline script for it to allow (JSON data blocks are not script).
        var page = await response.ParseAsync();
        Assert.All(page.QuerySelectorAll("script:not([src])"), s => Assert.Equal("application/json", s.GetAttribute("type")));
        Assert.Empty(page.QuerySelectorAll("[onclick],[onload],[onerror],[onsubmit],[onchange]"));
    }
}
