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

    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, bool createFolder = true)
    {
        var connectionString = configuration.GetConnectionString("Engagement");
        // Contexts are pooled (their options built once, their interceptors singletons): a request, a hub call or a
        // job takes a context already set up and gives it back reset. Setting up a new one for every scope (EF's
        // internal services and its options' cache key) was a fifth of the CPU of joining a live session
        // (docs/PERFORMANCE.md, "Live Q&A").
        switch (Provider(configuration))
        {
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Engagement is empty.");
                }
                // No retrying execution strategy: it cannot wrap the explicit transactions that keep a change and
                // its audit row and notification together; a failed request is answered as failed instead.
                services.AddDbContextPool<EngagementDbContext, PostgresEngagementDbContext>((sp, o) => o.UseNpgsql(connectionString)
                    .AddInterceptors(TextLimits.Instance, sp.GetRequiredService<Web.PublicPageCacheInvalidation>()));
                break;
            default:
                var sqlite = SqliteConnectionString(connectionString, environment.ContentRootPath, createFolder);
                services.AddDbContextPool<EngagementDbContext, SqliteEngagementDbContext>((sp, o) => o.UseSqlite(sqlite)
                    .AddInterceptors(SqlitePragmas.Instance, TextLimits.Instance, sp.GetRequiredService<Web.PublicPageCacheInvalidation>()));
                break;
        }
        return services;
    }

    /// <summary>A relative SQLite file is placed under the content root, whatever the working directory, and its folder made.</summary>
    public static string SqliteConnectionString(string? connectionString, string contentRoot, bool createFolder = true)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(connectionString) ? DefaultSqlite : connectionString);
        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:") return builder.ToString();
        builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
        if (createFolder) Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        return builder.ToString();
    }

    /// <summary>A stable number for PostgreSQL's advisory lock that serialises the migrations of every instance.</summary>
    private const long MigrationLockKey = 0x456E_6761_6765_4D31; // "EngageM1"

    /// <summary>
    /// Applies the pending migrations at start-up, one instance at a time: several instances started at once on an
    /// empty database would otherwise each create the same tables. PostgreSQL: a session advisory lock held on its own
    /// connection for the whole migration; SQLite: an exclusive lock file beside the database (<c>.migrating</c>). Each
    /// migration applied is named in the log. On SQLite also turns on write-ahead logging for concurrent readers.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(EngagementDbContext db, ILogger? log = null, CancellationToken cancellationToken = default)
    {
        Npgsql.NpgsqlConnection? lockConnection = null;
        using var sqliteLock = SqliteFile(db) is { } file ? await SqliteSiteLock.MigratingAsync(file, cancellationToken) : null;
        try
        {
            if (db.Database.IsNpgsql())
            {
                lockConnection = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString());
                await lockConnection.OpenAsync(cancellationToken);
                await using var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection);
                take.Parameters.AddWithValue("key", MigrationLockKey);
                await take.ExecuteNonQueryAsync(cancellationToken);
            }
            // Read under the lock: an instance that waited finds the work done by the one before it.
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            foreach (var name in pending) log?.LogInformation("Applying database migration {Migration}", name);
            await db.Database.MigrateAsync(cancellationToken);
            if (pending.Count > 0) log?.LogInformation("Database schema up to date: {Count} migration(s) applied", pending.Count);
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
            return pending;
        }
        finally
        {
            if (lockConnection is not null)
            {
                // Closing the session releases its advisory locks too; unlocking first keeps a pooled session clean.
                try
                {
                    await using var release = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
                    release.Parameters.AddWithValue("key", MigrationLockKey);
                    await release.ExecuteNonQueryAsync(CancellationToken.None);
                }
                catch (Npgsql.NpgsqlException) { }
                await lockConnection.DisposeAsync();
            }
        }
    }

    /// <summary>The SQLite file a connection string names (absolute after <see cref="SqliteConnectionString"/>), or null for PostgreSQL or memory.</summary>
    public static string? SqliteFile(EngagementDbContext db)
    {
        if (!db.Database.IsSqlite()) return null;
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        return string.IsNullOrEmpty(file) || file == ":memory:" ? null : file;
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
