using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Platform.Outbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Platform;

/// <summary>Health that says what is wrong: the process, and each named check the site needs to serve.</summary>
public abstract class HealthTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    private static Dictionary<string, JsonElement> Checks(JsonElement body) =>
        body.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);

    private async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync()
    {
        var response = await factory.CreateClient().GetAsync("/healthz/ready");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (response.StatusCode, await response.JsonAsync());
    }

    [Fact]
    public async Task Live_answers_while_the_process_runs_and_names_no_checks()
    {
        var response = await factory.CreateClient().GetAsync("/healthz/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Empty(body.GetProperty("checks").EnumerateArray());
    }

    [Fact]
    public async Task Ready_names_each_check_turns_unhealthy_when_the_outbox_is_stuck_and_healthy_again_after()
    {
        var (status, body) = await ReadyAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        var checks = Checks(body);
        Assert.Equal(["calendar", "database", "outbox"], checks.Keys.Order());
        Assert.Equal("Healthy", checks["database"].GetProperty("status").GetString());
        Assert.Equal("Healthy", checks["outbox"].GetProperty("status").GetString());

        // A sender died holding a message due an hour ago: it will not go out by itself.
        var id = Guid.NewGuid();
        await factory.WithDbAsync(async db =>
        {
            db.Add(new OutboxMessage
            {
                Id = id, To = "someone@example.org", Subject = "提醒", Body = "…", CreatedAt = EngagementFactory.Now.AddHours(-2),
                NextAttemptAt = factory.Clock.GetUtcNow().AddHours(-1), LockedUntil = factory.Clock.GetUtcNow().AddDays(1),
            });
            return await db.SaveChangesAsync();
        });
        (status, body) = await ReadyAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        var outbox = Checks(body)["outbox"];
        Assert.Equal("Unhealthy", outbox.GetProperty("status").GetString());
        Assert.Contains("60 minutes", outbox.GetProperty("description").GetString());
        Assert.DoesNotContain("someone@example.org", body.GetRawText());
        // The plain /healthz (the database) is not affected.
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/healthz")).StatusCode);

        await factory.WithDbAsync(async db =>
            await db.Set<OutboxMessage>().Where(m => m.Id == id).ExecuteUpdateAsync(u => u.SetProperty(m => m.SentAt, factory.Clock.GetUtcNow())));
        (status, body) = await ReadyAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", Checks(body)["outbox"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task From_november_a_missing_next_years_calendar_is_degraded_not_down_and_healthy_once_loaded()
    {
        // 23 November 2026: the State Council's 2027 notice is not in the shipped data yet.
        var (status, body) = await ReadyAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        var calendar = Checks(body)["calendar"];
        Assert.Equal("Degraded", calendar.GetProperty("status").GetString());
        Assert.Contains("2027", calendar.GetProperty("description").GetString());

        using var scope = factory.Services.CreateScope();
        var calendars = scope.ServiceProvider.GetRequiredService<CalendarService>();
        const string Notice = """{"year": 2027, "papers": ["https://www.gov.cn/zhengce/"], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}""";
        Assert.True((await calendars.ReplaceYearAsync(2027, Notice, "test")).IsValid);
        try
        {
            Assert.Equal("Healthy", Checks((await ReadyAsync()).Body)["calendar"].GetProperty("status").GetString());
        }
        finally
        {
            await factory.WithDbAsync(async db => await db.CalendarYears.Where(y => y.Year == 2027).ExecuteDeleteAsync());
        }
    }
}

public sealed class HealthTests_Sqlite(SqliteFactory factory) : HealthTests<SqliteFactory>(factory);
public sealed class HealthTests_Postgres(PostgresFactory factory) : HealthTests<PostgresFactory>(factory);

/// <summary>A site configured for a Redis of its own, on a port the test starts and stops.</summary>
public sealed class RedisAwayFactory : SqliteFactory
{
    public int Port { get; } = FreePort();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Redis:Configuration", $"127.0.0.1:{Port}");
    }
}

public sealed class RedisHealthTests(RedisAwayFactory factory) : IClassFixture<RedisAwayFactory>
{
    private Process StartRedis() => Process.Start(new ProcessStartInfo("redis-server", $"--port {factory.Port} --bind 127.0.0.1 --save \"\" --appendonly no")
    {
        RedirectStandardOutput = true, UseShellExecute = false,
    })!;

    private async Task<string?> RedisStatusAsync(string expected)
    {
        // The connection comes back by itself; give it a few seconds.
        string? status = null;
        for (var i = 0; i < 40 && status != expected; i++)
        {
            if (i > 0) await Task.Delay(250);
            var body = await (await factory.CreateClient().GetAsync("/healthz/ready")).JsonAsync();
            status = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "redis").GetProperty("status").GetString();
        }
        return status;
    }

    [Fact]
    public async Task Ready_turns_unhealthy_while_a_configured_redis_is_away_and_healthy_again_when_it_is_back()
    {
        Assert.Equal("Unhealthy", await RedisStatusAsync("Unhealthy"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await factory.CreateClient().GetAsync("/healthz/ready")).StatusCode);

        using var redis = StartRedis();
        try
        {
            Assert.Equal("Healthy", await RedisStatusAsync("Healthy"));
            Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/healthz/ready")).StatusCode);
        }
        finally
        {
            redis.Kill();
            await redis.WaitForExitAsync();
        }
        Assert.Equal("Unhealthy", await RedisStatusAsync("Unhealthy"));
    }
}
