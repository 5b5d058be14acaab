namespace Engagement.Web.Platform.Data;

/// <summary>
/// A lock file beside a SQLite database (<c>engagement.db.lock</c>): every running instance holds it shared, a restore
/// holds it alone. So a restore refuses while the site runs, and the site refuses to start in the middle of a restore.
/// .NET takes an advisory <c>flock</c> for the file share mode on Linux: shared for <see cref="FileShare.ReadWrite"/>,
/// exclusive for <see cref="FileShare.None"/>; the kernel drops it when the process ends, even by SIGKILL.
/// </summary>
public sealed class SqliteSiteLock : IDisposable
{
    private readonly FileStream _file;

    private SqliteSiteLock(FileStream file) => _file = file;

    public static string PathOf(string databaseFile) => databaseFile + ".lock";

    /// <summary>Held by a running site; null when a restore holds the database.</summary>
    public static SqliteSiteLock? TryShared(string databaseFile) => TryOpen(databaseFile, FileShare.ReadWrite);

    /// <summary>Held by a restore; null when any instance of the site (or another restore) holds the database.</summary>
    public static SqliteSiteLock? TryExclusive(string databaseFile) => TryOpen(databaseFile, FileShare.None);

    /// <summary>Held while one process migrates the file; others wait their turn and then find nothing left to apply.</summary>
    public static async Task<SqliteSiteLock> MigratingAsync(string databaseFile, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryOpen(databaseFile, FileShare.None, ".migrating") is { } held) return held;
            await Task.Delay(100, cancellationToken);
        }
    }

    private static SqliteSiteLock? TryOpen(string databaseFile, FileShare share, string suffix = ".lock")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databaseFile))!);
        try
        {
            return new SqliteSiteLock(new FileStream(databaseFile + suffix, FileMode.OpenOrCreate, FileAccess.ReadWrite, share));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _file.Dispose();
}
