using System.Net;
using System.Net.Http.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Messages;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Engagement.IntegrationTests.Faults;

/// <summary>A site whose PostgreSQL connection runs through a <see cref="TcpProxy"/> the test can cut and restore.</summary>
public sealed class ProxiedPostgresFactory : EngagementFactory
{
    private readonly string _database = $"engagement_outage_{Guid.NewGuid():N}";
    private readonly NpgsqlConnectionStringBuilder _server = new(PostgresServer.ConnectionString);

    public ProxiedPostgresFactory() => Proxy = new TcpProxy(_server.Host!, _server.Port);

    public TcpProxy Proxy { get; }

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string ConnectionString => new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString)
    {
        Host = "127.0.0.1", Port = Proxy.Port, Database = _database, Timeout = 3, CommandTimeout = 10,
    }.ToString();

    public override async Task InitializeAsync()
    {
        await PostgresServer.CreateDatabaseAsync(_database);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Proxy.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(_database);
    }
}

/// <summary>
/// PostgreSQL goes away and comes back: while it is gone, pages answer 503 with a clear page, the API a 503 problem
/// with Retry-After, /healthz reports it and nothing is half-saved; when it returns, the site recovers on its own.
/// </summary>
public sealed class DatabaseOutageTests(ProxiedPostgresFactory factory) : IClassFixture<ProxiedPostgresFactory>
{
    [Fact]
    public async Task Requests_fail_with_503_while_the_database_is_away_and_the_site_recovers_when_it_returns()
    {
        var resident = await factory.CreateClient().AsAsync("resident1@example.org");
        var browser = factory.CreateBrowser();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/decisions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/healthz")).StatusCode);

        factory.Proxy.Cut();
        try
        {
            // A public page cached before the outage is still served; one that needs the database is a 503 with a clear page.
            Assert.Equal(HttpStatusCode.OK, (await factory.CreateBrowser().GetAsync("/decisions")).StatusCode);
            var page = await browser.GetAsync($"/decisions?q={Guid.NewGuid():N}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Contains("服务暂时不可用", (await page.ParseAsync()).QuerySelector("h1")!.TextContent);
            Assert.True(page.Headers.RetryAfter is not null);

            var api = await factory.CreateClient().GetAsync("/api/v1/decisions");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
            Assert.True(api.Headers.RetryAfter is not null);

            var lost = await resident.PostAsJsonAsync("/api/v1/messages", new { text = "数据库中断时提交的留言" });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);

            var health = await factory.CreateClient().GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("Unhealthy", await health.Content.ReadAsStringAsync());
        }
        finally
        {
            factory.Proxy.Restore();
        }

        // Back on its own: no restart, no manual step.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await factory.CreateClient().GetAsync("/healthz")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "/healthz did not recover within 30 seconds");
            await Task.Delay(250);
        }
        HttpStatusCode decisions = 0;
        for (var attempt = 0; attempt < 20 && decisions != HttpStatusCode.OK; attempt++)
        {
            // A pooled connection broken by the cut fails once and is dropped; the next request gets a fresh one.
            decisions = (await browser.GetAsync($"/decisions?q={Guid.NewGuid():N}")).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, decisions);
        Assert.Equal(HttpStatusCode.Created, (await resident.PostAsJsonAsync("/api/v1/messages", new { text = "数据库恢复后提交的留言" })).StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Set<Message>().AnyAsync(m => m.Text == "数据库中断时提交的留言")));
    }
}
