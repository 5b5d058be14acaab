using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Platform;

/// <summary>Fails when the model has changes that no migration holds: run `dotnet run --project src/Engagement.Migrator -- add Name`.</summary>
public sealed class MigrationTests
{
    [Fact]
    public void Sqlite_migrations_hold_every_model_change()
    {
        using var db = new SqliteEngagementDbContext(new DbContextOptionsBuilder<SqliteEngagementDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "The SQLite model has changes without a migration.");
    }

    [Fact]
    public void Postgres_migrations_hold_every_model_change()
    {
        using var db = new PostgresEngagementDbContext(new DbContextOptionsBuilder<PostgresEngagementDbContext>().UseNpgsql("Host=localhost").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "The PostgreSQL model has changes without a migration.");
    }
}
