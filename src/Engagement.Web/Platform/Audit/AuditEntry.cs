using System.Security.Claims;
using System.Text.Json;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Platform.Audit;

/// <summary>One staff, host or admin action: who, when, what, before and after. Appended, never changed.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? ActorId { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string EntityType { get; set; } = "";
    public string EntityId { get; set; } = "";
    public string? Before { get; set; }
    public string? After { get; set; }
    public string? IpAddress { get; set; }

    /// <summary>The application can add audit rows but never edit or delete one.</summary>
    internal static void RefuseEdits(ChangeTracker tracker)
    {
        foreach (var entry in tracker.Entries<AuditEntry>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("Audit records are append-only: they cannot be edited or deleted.");
            }
        }
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.Actor).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(100);
        builder.Property(a => a.EntityType).HasMaxLength(100);
        builder.Property(a => a.EntityId).HasMaxLength(100);
        builder.Property(a => a.IpAddress).HasMaxLength(64);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.EntityType, a.EntityId });
    }
}

/// <summary>
/// The one audit writer. It adds the row to the caller's unit of work, so the action and its audit row commit
/// together or not at all.
/// </summary>
public sealed class AuditWriter(EngagementDbContext db, IHttpContextAccessor http, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private ClaimsPrincipal? _actor;
    private System.Net.IPAddress? _address;

    /// <summary>For work outside a request (a SignalR hub call): who acts, and from where.</summary>
    public void ActAs(ClaimsPrincipal user, System.Net.IPAddress? address)
    {
        _actor = user;
        _address = address;
    }

    public void Record(string action, string entityType, string entityId, object? before = null, object? after = null)
    {
        var user = _actor ?? http.HttpContext?.User;
        var id = user?.FindFirstValue(ClaimTypes.NameIdentifier);
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow(),
            ActorId = Guid.TryParse(id, out var actorId) ? actorId : null,
            Actor = user?.Identity?.Name ?? "system",
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Before = before is null ? null : JsonSerializer.Serialize(before, Json),
            After = after is null ? null : JsonSerializer.Serialize(after, Json),
            IpAddress = (_address ?? http.HttpContext?.Connection.RemoteIpAddress)?.ToString(),
        });
    }
}
