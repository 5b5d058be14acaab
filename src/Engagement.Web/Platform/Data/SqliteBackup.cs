using Microsoft.Data.Sqlite;

namespace Engagement.Web.Platform.Data;

/// <summary>
/// A consistent copy of a running SQLite site through SQLite's online backup API (pages are copied under a read
/// transaction, so writers may go on and the copy is a snapshot of one moment), checked with <c>PRAGMA integrity_check</c>;
/// and its restore into a stopped site, which keeps the file it replaces beside it.
/// <code>
/// dotnet run --project src/Engagement.Web -- backup  /var/backups/engagement-2026-11-23.db
/// dotnet run --project src/Engagement.Web -- restore /var/backups/engagement-2026-11-23.db
/// </code>
/// Both use the site's own configuration (<c>ConnectionStrings:Engagement</c>), so they act on the file the site uses.
/// </summary>
public static class SqliteBackup
{
    public static async Task BackupAsync(string siteConnectionString, string target, CancellationToken ct = default)
    {
        if (File.Exists(target)) throw new IOException($"{target} exists already; a backup never overwrites a file.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        var partial = target + ".partial";
        File.Delete(partial);
        await using (var source = new SqliteConnection(siteConnectionString))
        await using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
        {
            await source.OpenAsync(ct);
            await destination.OpenAsync(ct);
            source.BackupDatabase(destination);
            await CheckAsync(destination, ct);
            // One file, no write-ahead log beside it: the copy can be moved or mailed on its own.
            await using var journal = destination.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode=DELETE;";
            await journal.ExecuteNonQueryAsync(ct);
        }
        File.Move(partial, target);
    }

    /// <summary>Replaces the site's database with <paramref name="backup"/>; run while the site is stopped. The old file is kept as <c>.before-restore</c>.</summary>
    public static async Task RestoreAsync(string siteConnectionString, string backup, CancellationToken ct = default)
    {
        if (!File.Exists(backup)) throw new FileNotFoundException($"There is no backup at {backup}.", backup);
        await using (var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = backup, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            await check.OpenAsync(ct);
            await CheckAsync(check, ct);
        }
        var site = new SqliteConnectionStringBuilder(siteConnectionString).DataSource;
        if (File.Exists(site))
        {
            var kept = site + ".before-restore";
            File.Delete(kept);
            await using (var current = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = site, Pooling = false }.ToString()))
            {
                // Folds the write-ahead log into the file first, so the kept copy is whole.
                await current.OpenAsync(ct);
                await using var checkpoint = current.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                await checkpoint.ExecuteNonQueryAsync(ct);
            }
            SqliteConnection.ClearAllPools();
            File.Move(site, kept);
            foreach (var suffix in new[] { "-wal", "-shm" }) File.Delete(site + suffix);
        }
        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = backup, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = site, Pooling = false }.ToString());
        await source.OpenAsync(ct);
        await destination.OpenAsync(ct);
        source.BackupDatabase(destination);
    }

    private static async Task CheckAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var result = (string?)await command.ExecuteScalarAsync(ct);
        if (result != "ok") throw new InvalidDataException($"The database failed its integrity check: {result}");
    }

    /// <summary>
    /// <c>backup FILE</c> or <c>restore FILE</c> on the command line: runs it against the configured site database and
    /// returns the exit code; null when the arguments are not a backup command (the site starts as usual).
    /// </summary>
    public static async Task<int?> RunCommandAsync(string[] args, IConfiguration configuration, IHostEnvironment environment)
    {
        if (args.Length == 0 || args[0] is not ("backup" or "restore")) return null;
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: dotnet run --project src/Engagement.Web -- backup|restore <file>");
            return 2;
        }
        if (DatabaseSetup.Provider(configuration) != DatabaseProvider.Sqlite)
        {
            Console.Error.WriteLine("backup and restore are for SQLite sites; for PostgreSQL use pg_dump and pg_restore (docs/DEPLOYMENT.md).");
            return 2;
        }
        var connection = DatabaseSetup.SqliteConnectionString(configuration.GetConnectionString("Engagement"), environment.ContentRootPath);
        try
        {
            if (args[0] == "backup") await BackupAsync(connection, args[1]);
            else await RestoreAsync(connection, args[1]);
            Console.WriteLine($"{args[0]}: done ({Path.GetFullPath(args[1])})");
            return 0;
        }
        catch (Exception error) when (error is IOException or InvalidDataException or SqliteException)
        {
            Console.Error.WriteLine($"{args[0]} failed: {error.Message}");
            return 1;
        }
    }
}
