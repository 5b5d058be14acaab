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
        var site = new SqliteConnectionStringBuilder(siteConnectionString).DataSource;
        // Opening a missing file would create an empty one and "back it up": refuse instead, naming the file looked for.
        if (!File.Exists(site)) throw new IOException($"There is no database at {site}: check ConnectionStrings:Engagement (a relative path is under the application's folder).");
        await using (var probe = new SqliteConnection(new SqliteConnectionStringBuilder(siteConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            await probe.OpenAsync(ct);
            await RequireSiteTablesAsync(probe, site, ct);
        }
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

    /// <summary>
    /// Replaces the site's database with <paramref name="backup"/>; refused while any instance of the site runs on it
    /// (<see cref="SqliteSiteLock"/>). The old file is kept as <c>.before-restore</c>.
    /// </summary>
    public static async Task RestoreAsync(string siteConnectionString, string backup, CancellationToken ct = default)
    {
        if (!File.Exists(backup)) throw new FileNotFoundException($"There is no backup at {backup}.", backup);
        await using (var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = backup, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            await check.OpenAsync(ct);
            await CheckAsync(check, ct);
            await RequireSiteTablesAsync(check, backup, ct);
        }
        var site = new SqliteConnectionStringBuilder(siteConnectionString).DataSource;
        using var alone = SqliteSiteLock.TryExclusive(site)
            ?? throw new SiteRunningException($"The site is running on {site} (its lock file {SqliteSiteLock.PathOf(site)} is held): stop every instance, then restore.");
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

    /// <summary>Refuses a file that is a database but not this site's: no migration history or no accounts table.</summary>
    private static async Task RequireSiteTablesAsync(SqliteConnection connection, string file, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('__EFMigrationsHistory', 'AspNetUsers', 'DecisionCatalog');";
        if (Convert.ToInt32(await command.ExecuteScalarAsync(ct)) < 3)
        {
            throw new InvalidDataException($"{file} holds no Engagement site (none of its tables): check ConnectionStrings:Engagement, or start the site once to create them.");
        }
    }

    private static async Task CheckAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var result = (string?)await command.ExecuteScalarAsync(ct);
        if (result != "ok") throw new InvalidDataException($"The database failed its integrity check: {result}");
    }
}

/// <summary>A restore refused because an instance of the site holds the database.</summary>
public sealed class SiteRunningException(string message) : IOException(message);
