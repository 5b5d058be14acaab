using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Engagement.IntegrationTests.Faults;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.IntegrationTests.Live;
using Engagement.Web.Features.Live;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace Engagement.IntegrationTests.Deployment;

/// <summary>
/// The configuration of docs/DEPLOYMENT.md on loopback: two instances of the built site on one PostgreSQL database,
/// joined by the Redis backplane, with their data-protection keys in that database, behind Debian's nginx
/// (<c>deploy/nginx/engagement.conf</c>, rendered with the test's ports and a throwaway certificate, TLS ending there). A resident signed in through nginx stays
/// signed in on either instance, and live Q&amp;A reaches participants on both.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class NginxTests : IAsyncLifetime
{
    private readonly string _database = $"engagement_nginx_{Guid.NewGuid():N}";
    private readonly string _work = Directory.CreateTempSubdirectory("engagement-nginx-").FullName;
    private SiteProcess _a = null!, _b = null!;
    private Nginx _nginx = null!;

    private string ConnectionString => new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Database = _database }.ToString();
    private string Proxy => _nginx.Https;

    public async Task InitializeAsync()
    {
        await PostgresServer.CreateDatabaseAsync(_database);
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres", ["ConnectionStrings__Engagement"] = ConnectionString,
            ["Redis__Configuration"] = RedisServer.Configuration, ["Redis__ChannelPrefix"] = "nginx-" + _database[^8..],
            ["ForwardedHeaders__Enabled"] = "true", ["Demo__Enabled"] = "true", ["Demo__Residents"] = "3", ["Demo__Password"] = "Nginx-test-2026",
            ["RateLimiting__Enabled"] = "false", ["Outbox__PickupDirectory"] = Path.Combine(_work, "mail"), ["OutputCache__Seconds"] = "0",
        };
        // One after the other: the first creates the schema, the demo and the data-protection key; the second finds them.
        _a = new SiteProcess(settings);
        await _a.StartAsync();
        _b = new SiteProcess(settings);
        await _b.StartAsync();

        _nginx = new Nginx(_work);
        await _nginx.StartAsync(_a.Port, _b.Port);
    }

    public async Task DisposeAsync()
    {
        if (_nginx is not null) await _nginx.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(_database);
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_resident_signed_in_through_nginx_stays_signed_in_on_both_instances_and_live_questions_reach_both()
    {
        // Sign in through nginx, as a browser does: the form, its antiforgery token, the cookie.
        var cookies = new CookieContainer();
        using var browser = Nginx.Client(Proxy, cookies);
        var form = await new HtmlParser().ParseDocumentAsync(await browser.GetStringAsync("/account/login"));
        var token = form.QuerySelector("form[action='/account/login'] input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var login = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Email"] = "resident1@example.org", ["Password"] = "Nginx-test-2026",
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var auth = cookies.GetCookies(new Uri(Proxy))["engagement.auth"];
        Assert.NotNull(auth);

        // Through nginx (round robin) and on each instance directly, the same cookie is the same signed-in person.
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/profile")).StatusCode);
        foreach (var instance in new[] { _a, _b })
        {
            using var direct = new HttpClient { BaseAddress = new Uri(instance.BaseUrl) };
            var request = new HttpRequestMessage(HttpMethod.Get, "/profile");
            request.Headers.Add("Cookie", $"engagement.auth={auth!.Value}");
            var profile = await direct.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
            Assert.Contains("resident1@example.org", await profile.Content.ReadAsStringAsync());
        }

        // Live Q&A: a participant on each instance and one through nginx (WebSockets proxied); a question asked on
        // instance A reaches the other two.
        var received = new List<(string Who, string Text)>();
        async Task<HubConnection> ConnectAsync(string who, string baseUrl)
        {
            var connection = new HubConnectionBuilder().WithUrl($"{baseUrl}/hubs/live", o =>
            {
                // The throwaway certificate of the nginx in front.
                o.HttpMessageHandlerFactory = handler =>
                {
                    if (handler is HttpClientHandler client) client.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
                    return handler;
                };
                o.WebSocketConfiguration = socket => socket.RemoteCertificateValidationCallback = (_, _, _, _) => true;
            }).Build();
            connection.On<JsonElement>("QuestionAdded", q => { lock (received) received.Add((who, q.GetProperty("text").GetString()!)); });
            await connection.StartAsync();
            await connection.InvokeAsync<JoinResult>("Join", LiveDemo.JoinCode, who);
            return connection;
        }
        await using var onA = await ConnectAsync("甲", _a.BaseUrl);
        await using var onB = await ConnectAsync("乙", _b.BaseUrl);
        await using var viaNginx = await ConnectAsync("丙", Proxy);
        var text = $"两台服务器之间能看到这个问题吗？{Guid.NewGuid():N}";
        await onA.InvokeAsync<AskResult>("Ask", text);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            lock (received) if (received.Count(r => r.Text == text) >= 3) break;
            await Task.Delay(100);
        }
        lock (received)
        {
            Assert.Contains(received, r => r.Who == "乙" && r.Text == text);
            Assert.Contains(received, r => r.Who == "丙" && r.Text == text);
        }

        // Prometheus scrapes each instance on its own port; nginx does not pass /metrics on. Each instance reports its
        // own Redis link and the live connections it holds.
        foreach (var path in new[] { "/metrics", "/METRICS", "/metrics/", "/Metrics?x=1" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(path)).StatusCode);
        }
        foreach (var instance in new[] { _a, _b })
        {
            using var prometheus = new HttpClient { BaseAddress = new Uri(instance.BaseUrl) };
            var samples = await prometheus.ScrapeAsync();
            Assert.Equal(1, samples.Value("engagement_redis_connected"));
            Assert.True(samples.Value("engagement_live_participants") >= 1);
        }
    }
}
