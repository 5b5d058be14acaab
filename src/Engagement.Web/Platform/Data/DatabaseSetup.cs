using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Platform.Data;

public enum DatabaseProvider { Sqlite, Postgres }

public static class DatabaseSetup
{
    public const string DefaultSqlite = "Data Source=App_Data/engagement.db";

    public static DatabaseProvider Provider(IConfiguration configuration)
    {
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value)) return DatabaseProvider.Sqlite;
        return Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider must be Sqlite or Postgres, not '{value}'.");
    }

    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = configuration.GetConnectionString("Engagement");
        switch (Provider(configuration))
        {
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Engagement is empty.");
                }
                // No retrying execution strategy: it cannot wrap the explicit transactions that keep a change and
                // its audit row and notification together; a failed request is answered as failed instead.
                services.AddDbContext<EngagementDbContext, PostgresEngagementDbContext>((sp, o) => o.UseNpgsql(connectionString)
                    .AddInterceptors(sp.GetRequiredService<Web.PublicPageCacheInvalidation>()));
                break;
            default:
                var sqlite = SqliteConnectionString(connectionString, environment.ContentRootPath);
                services.AddDbContext<EngagementDbContext, SqliteEngagementDbContext>((sp, o) => o.UseSqlite(sqlite)
                    .AddInterceptors(SqlitePragmas.Instance, sp.GetRequiredService<Web.PublicPageCacheInvalidation>()));
                break;
        }
        return services;
    }

    /// <summary>A relative SQLite file is placed under the content root, whatever the working directory, and its folder made.</summary>
    public static string SqliteConnectionString(string? connectionString, string contentRoot)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(connectionString) ? DefaultSqlite : connectionString);
        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:") return builder.ToString();
        builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        return builder.ToString();
    }

    /// <summary>Applies migrations at start-up; on SQLite also turns on write-ahead logging for concurrent readers.</summary>
    public static async Task MigrateAsync(EngagementDbContext db, CancellationToken cancellationToken = default)
    {
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}

/// <summary>
/// With write-ahead logging, <c>synchronous=NORMAL</c> syncs at checkpoints instead of at every commit: the file cannot
/// be corrupted, and only a power cut (not a crashed process) can lose the last commits. Without it every vote and
/// question waits for its own disk flush, and a burst of small writes queues behind the disk.
/// </summary>
internal sealed class SqlitePragmas : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
