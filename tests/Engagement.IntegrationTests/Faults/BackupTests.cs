using System.Net;
using System.Net.Http.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Messages;
using Engagement.Web.Platform.Data;
using SqliteConnection = Microsoft.Data.Sqlite.SqliteConnection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Faults;

/// <summary>A site on a given SQLite file (a restored backup).</summary>
public sealed class SqliteFileFactory(string file) : EngagementFactory
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override string ConnectionString => $"Data Source={file}";
}

/// <summary>
/// <c>backup FILE</c> takes a consistent copy of a running SQLite site while residents keep writing; <c>restore FILE</c>
/// puts it back, and a site started on the restored file finds everything that was there when the copy was taken.
/// </summary>
public sealed class BackupTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task A_backup_taken_under_writes_restores_to_a_site_that_finds_everything()
    {
        var site = factory.Services.GetRequiredService<IConfiguration>().GetConnectionString("Engagement")!;
        var work = Directory.CreateTempSubdirectory("engagement-backup-").FullName;
        try
        {
            var resident = await factory.CreateClient().AsAsync("resident1@example.org");
            var before = new List<long>();
            for (var i = 0; i < 20; i++)
            {
                var response = await resident.PostAsJsonAsync("/api/v1/messages", new { text = $"备份前的留言 {i} {Guid.NewGuid():N}" });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                before.Add((await response.JsonAsync()).GetProperty("id").GetInt64());
            }

            // Writers keep going while the copy is taken.
            using var stop = new CancellationTokenSource();
            var written = 0;
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                var client = await factory.CreateClient().AsAsync($"resident{w % 3 + 1}@example.org");
                while (!stop.IsCancellationRequested)
                {
                    var r = await client.PostAsJsonAsync("/api/v1/messages", new { text = $"备份中的留言 {w} {Guid.NewGuid():N}" });
                    if (r.StatusCode == HttpStatusCode.Created) Interlocked.Increment(ref written);
                }
            })).ToList();
            await Task.Delay(300);
            var backup = Path.Combine(work, "engagement-backup.db");
            await SqliteBackup.BackupAsync(site, backup);
            await Task.Delay(300);
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            Assert.True(written > 0, "no writes happened during the backup");

            // A backup never overwrites a file, and a damaged file is not restored.
            await Assert.ThrowsAsync<IOException>(() => SqliteBackup.BackupAsync(site, backup));
            var damaged = Path.Combine(work, "damaged.db");
            await File.WriteAllBytesAsync(damaged, [.. (await File.ReadAllBytesAsync(backup)).Take(50_000), .. new byte[50_000]]);
            var target = Path.Combine(work, "restored.db");
            await Assert.ThrowsAnyAsync<Exception>(() => SqliteBackup.RestoreAsync($"Data Source={target}", damaged));
            Assert.False(File.Exists(target));

            // Restored into a new site: everything from before the copy, and the copy is whole.
            await SqliteBackup.RestoreAsync($"Data Source={target}", backup);
            long backupMessages, backupAudit;
            await using (var check = new SqliteConnection($"Data Source={backup};Mode=ReadOnly;Pooling=False"))
            {
                await check.OpenAsync();
                await using var count = check.CreateCommand();
                count.CommandText = "SELECT COUNT(*) FROM \"Message\"";
                backupMessages = (long)(await count.ExecuteScalarAsync())!;
                count.CommandText = "SELECT COUNT(*) FROM \"AuditEntries\"";
                backupAudit = (long)(await count.ExecuteScalarAsync())!;
            }
            var restored = new SqliteFileFactory(target);
            try
            {
                await restored.InitializeAsync();
                var ids = await restored.WithDbAsync(db => db.Set<Message>().Select(m => m.Id).ToListAsync());
                Assert.All(before, id => Assert.Contains(id, ids));
                Assert.Equal(backupMessages, ids.Count);
                Assert.Equal(backupAudit, await restored.WithDbAsync(db => db.AuditEntries.LongCountAsync()));
                // The restored site works: people sign in and write.
                var client = await restored.CreateClient().AsAsync("resident2@example.org");
                Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/messages", new { text = "恢复后的第一条留言" })).StatusCode);
            }
            finally
            {
                await restored.DisposeAsync();
            }

            // Restoring over an existing site keeps the file it replaced.
            SqliteConnection.ClearAllPools();
            await SqliteBackup.RestoreAsync($"Data Source={target}", backup);
            Assert.True(File.Exists(target + ".before-restore"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }
}
