using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Admin;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Outbox;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Platform.Data;

/// <summary>
/// The one unit of work. Each feature keeps its entities and their <c>IEntityTypeConfiguration</c> in its own
/// folder; they are picked up from this assembly. Provider-specific subclasses exist only so that each provider
/// has its own set of migrations (migrations/Sqlite, migrations/Postgres).
/// </summary>
public abstract class EngagementDbContext(DbContextOptions options)
    : IdentityDbContext<User, Role, Guid>(options),
      IDataProtectionKeyContext
{
    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<CalendarYearRecord> CalendarYears => Set<CalendarYearRecord>();
    public DbSet<CalendarDayRecord> CalendarDays => Set<CalendarDayRecord>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Features.Accounts.SignInSession> SignInSessions => Set<Features.Accounts.SignInSession>();
    public DbSet<Features.Accounts.SignInThrottle> SignInThrottles => Set<Features.Accounts.SignInThrottle>();
    public DbSet<Features.Accounts.SignInLink> SignInLinks => Set<Features.Accounts.SignInLink>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(EngagementDbContext).Assembly);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        AuditEntry.RefuseEdits(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        AuditEntry.RefuseEdits(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }
}

public sealed class SqliteEngagementDbContext(DbContextOptions<SqliteEngagementDbContext> options) : EngagementDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // SQLite has no date-time-offset type and EF cannot order or compare one stored as text; all our instants
        // are UTC, so they are stored as UTC ticks, which sort and compare correctly.
        builder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}

public sealed class PostgresEngagementDbContext(DbContextOptions<PostgresEngagementDbContext> options) : EngagementDbContext(options);

public sealed class UtcTicksConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
