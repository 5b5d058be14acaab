using System.Text.Json;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Outbox;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Engagement.Web.Platform.Health;

/// <summary>
/// Health that says what is wrong. <c>/healthz/live</c>: the process answers (restart it when not).
/// <c>/healthz/ready</c>: each check named, with what it found: the database, Redis when configured, the outbox
/// sending, and the next year's working-day calendar from 1 November (degraded, not down: the site still serves).
/// <c>/healthz</c> stays the database alone, as before.
/// </summary>
public static class ReadinessChecks
{
    public const string Ready = "ready";

    public static IServiceCollection AddReadinessChecks(this IServiceCollection services, IConfiguration configuration)
    {
        var checks = services.AddHealthChecks()
            .AddDbContextCheck<EngagementDbContext>("database", tags: [Ready])
            .AddCheck<OutboxHealthCheck>("outbox", tags: [Ready])
            .AddCheck<CalendarHealthCheck>("calendar", tags: [Ready]);
        if (configuration["Redis:Configuration"] is { Length: > 0 })
        {
            services.AddSingleton<RedisHealthCheck>();
            checks.AddCheck<RedisHealthCheck>("redis", tags: [Ready]);
        }
        return services;
    }

    public static void MapReadinessChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => c.Name == "database" }).AllowAnonymous();
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync }).AllowAnonymous();
    }

    /// <summary>{"status", "checks": [{"name", "status", "description", "durationMs", "data"}]}: no personal data, only counts and ages.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.GetType().Name,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}

/// <summary>
/// The outbox is stuck when a message has waited past its sending time for more than <c>Health:OutboxStuckMinutes</c>
/// (default 15), or more than <c>Health:OutboxBacklog</c> (default 1,000) wait unsent.
/// </summary>
public sealed class OutboxHealthCheck(EngagementDbContext db, TimeProvider clock, IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var stuckAfter = TimeSpan.FromMinutes(configuration.GetValue("Health:OutboxStuckMinutes", 15));
        var backlogLimit = configuration.GetValue("Health:OutboxBacklog", 1000);
        var unsent = db.Set<OutboxMessage>().AsNoTracking().Where(m => m.SentAt == null);
        var backlog = await unsent.CountAsync(cancellationToken);
        var oldestDue = await unsent.Where(m => m.NextAttemptAt <= now).OrderBy(m => m.NextAttemptAt).Select(m => (DateTimeOffset?)m.NextAttemptAt).FirstOrDefaultAsync(cancellationToken);
        var waited = oldestDue is { } due ? now - due : TimeSpan.Zero;
        var data = new Dictionary<string, object> { ["unsent"] = backlog, ["oldestDueSeconds"] = (long)waited.TotalSeconds };
        if (waited > stuckAfter)
            return HealthCheckResult.Unhealthy($"A message has waited {(long)waited.TotalMinutes} minutes past its sending time (limit {stuckAfter.TotalMinutes:0}).", data: data);
        if (backlog > backlogLimit)
            return HealthCheckResult.Unhealthy($"{backlog} messages wait unsent (limit {backlogLimit}).", data: data);
        return HealthCheckResult.Healthy($"{backlog} unsent.", data);
    }
}

/// <summary>From 1 November the next year's State Council calendar must be loaded: degraded while it is not.</summary>
public sealed class CalendarHealthCheck(CalendarService calendars) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await calendars.NextYearMissingAsync(cancellationToken) is { } year
            ? HealthCheckResult.Degraded($"The working-day calendar for {year} is not loaded; deadlines in {year} cannot be counted.")
            : HealthCheckResult.Healthy("The calendars needed are loaded.");
}

/// <summary>Redis (the live Q&A backplane) answers a PING within two seconds; one connection, made on first check and reused.</summary>
public sealed class RedisHealthCheck(IConfiguration configuration) : IHealthCheck, IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await ConnectAsync();
            var latency = await connection.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"PING answered in {latency.TotalMilliseconds:0.0} ms.");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer: live Q&A cannot reach the other instances.", e);
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        if (_connection is { } existing) return existing;
        await _connecting.WaitAsync();
        try
        {
            if (_connection is null)
            {
                var options = ConfigurationOptions.Parse(configuration["Redis:Configuration"]!);
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = 2000;
                options.ConnectRetry = 0;
                _connection = await ConnectionMultiplexer.ConnectAsync(options);
            }
            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        _connecting.Dispose();
    }
}
