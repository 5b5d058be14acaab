using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Platform.Outbox;

/// <summary>A notification owed to someone, stored with the change that causes it and sent later by <see cref="OutboxSender"/>.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Set while one sender works on the message, so two instances never send it at once.</summary>
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>The address and text are erased once sent: the goodbye to someone who deleted their account.</summary>
    public bool EraseWhenSent { get; set; }

    /// <summary>Extra headers, one "Name: value" a line (the unsubscribe headers of a notice, RFC 8058).</summary>
    public string? Headers { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.Property(m => m.To).HasMaxLength(256);
        builder.Property(m => m.Subject).HasMaxLength(300);
        builder.Property(m => m.LastError).HasMaxLength(2000);
        builder.Property(m => m.Headers).HasMaxLength(1000);
        builder.HasIndex(m => new { m.SentAt, m.NextAttemptAt });
    }
}

/// <summary>
/// The one outbox. It only adds to the caller's unit of work: the caller's <c>SaveChanges</c> commits the change
/// and the notification together, so neither exists without the other.
/// </summary>
public sealed class Outbox(EngagementDbContext db, TimeProvider clock)
{
    public OutboxMessage Email(string to, string subject, string body)
    {
        var now = clock.GetUtcNow();
        var message = new OutboxMessage
        {
            Id = Guid.NewGuid(),
            To = to,
            Subject = subject,
            Body = body,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        db.OutboxMessages.Add(message);
        return message;
    }
}
