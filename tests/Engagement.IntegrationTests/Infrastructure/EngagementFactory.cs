using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Engagement.IntegrationTests.Infrastructure;

/// <summary>
/// The site in memory, on its own fresh database, with demo accounts, rate limiting off and e-mails written to a
/// pickup folder of its own. The clock is a fake set to a fixed day (tests move it when they need another).
/// Each suite runs once on SQLite and once on the real PostgreSQL the test command starts.
/// </summary>
public abstract class EngagementFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "Test-password-2026";
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero); // 10:00 on Monday 23 November in Shanghai

    public FakeTimeProvider Clock { get; } = new(Now);
    public string PickupDirectory { get; } = Directory.CreateTempSubdirectory("engagement-mail-").FullName;
    public abstract DatabaseProvider Provider { get; }
    protected abstract string ConnectionString { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("ConnectionStrings:Engagement", ConnectionString);
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:Residents", "3");
        builder.UseSetting("Demo:Password", Password);
        builder.UseSetting("RateLimiting:Enabled", "false");
        // Staff and admins sign in with a second factor outside Development; the suites that test it turn it on.
        builder.UseSetting("Accounts:RequireTwoFactorForAdmins", "false");
        builder.UseSetting("Accounts:RequireTwoFactorForStaff", "false");
        builder.UseSetting("Outbox:PollSeconds", "0.2");
        builder.UseSetting("Outbox:PickupDirectory", PickupDirectory);
        // Reminders are tested by calling them; a timer sending mail in the background would race the mailbox assertions.
        builder.UseSetting("Adoption:RemindersEnabled", "false");
        builder.UseSetting("Meetings:MaintenanceEnabled", "false");
        builder.UseSetting("OpenMonth:RemindersEnabled", "false");
        builder.UseSetting("Subscriptions:Enabled", "false");
        builder.UseSetting("Live:BlockedWords:0", "违禁词");
        builder.UseSetting("Live:VoteFlushMilliseconds", "100");
        builder.UseSetting("Live:MessagePack", "true");
        // Plain text in the test output; the site's JSON logs are checked on a real process (LogPrivacyTests).
        builder.UseSetting("Logging:Console:FormatterName", "simple");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            if (RemoteAddress is { } address) services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new RemoteAddressFilter(address));
        });
    }

    /// <summary>The client address the site sees (the in-memory server gives none); set by suites that need one, such as /metrics.</summary>
    protected virtual System.Net.IPAddress? RemoteAddress => null;

    private sealed class RemoteAddressFilter(System.Net.IPAddress address) : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>A browser-like client: HTTPS (cookies are Secure outside development), cookies kept, redirects not followed.</summary>
    public HttpClient CreateBrowser(string? acceptLanguage = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
            HandleCookies = true,
        });
        if (acceptLanguage is not null) client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<EngagementDbContext, Task<T>> work)
    {
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<EngagementDbContext>());
    }

    public async Task<T> WithServiceAsync<TService, T>(Func<TService, Task<T>> work) where TService : notnull
    {
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public virtual Task InitializeAsync()
    {
        // Start the host (migrations, demo data) before the first test.
        _ = Server;
        return Task.CompletedTask;
    }

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(PickupDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A fresh SQLite file per factory; subclasses add settings for one suite (rate limits, SMTP ...).</summary>
public class SqliteFactory : EngagementFactory
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"engagement-test-{Guid.NewGuid():N}.db");

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override string ConnectionString => $"Data Source={_file}";

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", ".lock", ".migrating" })
        {
            File.Delete(_file + suffix);
        }
    }
}

public class PostgresFactory : EngagementFactory
{
    private readonly string _database = $"engagement_test_{Guid.NewGuid():N}";

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    protected override string ConnectionString => new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Database = _database }.ToString();

    public override async Task InitializeAsync()
    {
        await PostgresServer.CreateDatabaseAsync(_database);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(_database);
    }
}

/// <summary>The throwaway PostgreSQL that ./test.sh starts; its address comes in ENGAGEMENT_TEST_POSTGRES.</summary>
public static class PostgresServer
{
    /// <summary>A fresh UTF-8 database on the test server; its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ToString();
    }

    /// <summary>Drops a test database, closing whatever is still connected to it.</summary>
    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ENGAGEMENT_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "ENGAGEMENT_TEST_POSTGRES is not set: run the tests with ./test.sh, which starts a throwaway PostgreSQL " +
                "(or point the variable at a PostgreSQL server you can create databases on).");
}
