using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Features.Messages;

/// <summary>What staff decide a message is (2022 §三(一)): it decides who answers and how.</summary>
public enum MessageKind
{
    /// <summary>Not triaged yet.</summary>
    Unsorted,
    /// <summary>A question on a policy: the drafting unit answers it.</summary>
    PolicyQuestion,
    /// <summary>A request or a complaint: the unit responsible answers it.</summary>
    RequestOrComplaint,
    /// <summary>A petition matter (信访): transferred to the proper channel, with a note to the author.</summary>
    Petition,
}

public enum MessageStatus { Received, Assigned, Replied, Transferred }

/// <summary>
/// A resident's online message (留言) on a decision page or on the general board. <see cref="Text"/> is what they
/// wrote, seen by them and by staff; <see cref="PublicText"/> is the same with personal data masked, the only text
/// ever public. The reply is due <see cref="DueOn"/>: 1 working day for a simple question, 5 otherwise, counted from
/// the day after it arrived.
/// </summary>
public sealed class Message
{
    public long Id { get; set; }
    /// <summary>Null once the author deleted their account: the message stays, for the record and the statistics.</summary>
    public Guid? AuthorId { get; set; }
    public User? Author { get; set; }

    /// <summary>The page it was left on: <c>/decisions/{id}</c> or <c>/messages</c> (the general board).</summary>
    public string Page { get; set; } = "";
    public int? DecisionId { get; set; }
    public string Text { get; set; } = "";
    public string PublicText { get; set; } = "";
    public string TextHash { get; set; } = "";
    public bool ConsentToPublish { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }

    public MessageKind Kind { get; set; }
    public MessageStatus Status { get; set; }
    public int? UnitId { get; set; }
    public Unit? Unit { get; set; }
    public bool IsSimple { get; set; }
    /// <summary>Null while the working-day calendar of the year it falls in is not loaded.</summary>
    public DateOnly? DueOn { get; set; }
    public DateTimeOffset? TriagedAt { get; set; }

    /// <summary>The reply, or for a petition matter the note saying where it was transferred.</summary>
    public string? Reply { get; set; }
    public DateTimeOffset? RepliedAt { get; set; }
    public string? RepliedBy { get; set; }
    /// <summary>The unit that replied (kept as it was when it replied).</summary>
    public int? ReplyingUnitId { get; set; }
    public Unit? ReplyingUnit { get; set; }
    /// <summary>Working days from the day after arrival to the reply, on the calendar of the day it was replied.</summary>
    public int? WorkingDaysToReply { get; set; }
    public bool? RepliedOnTime { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }
}

/// <summary>A reminder or escalation sent once (a unique row per message and kind keeps two instances from sending it twice).</summary>
public sealed class MessageReminder
{
    public long Id { get; set; }
    public long MessageId { get; set; }
    public DateOnly DueOn { get; set; }
    public string Kind { get; set; } = "";
    public DateTimeOffset SentAt { get; set; }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.Property(m => m.Page).HasMaxLength(200).IsRequired();
        builder.Property(m => m.Text).HasMaxLength(MessageRules.MaxLength * 2).IsRequired();
        builder.Property(m => m.PublicText).HasMaxLength(MessageRules.MaxLength * 2).IsRequired();
        builder.Property(m => m.TextHash).HasMaxLength(64).IsRequired();
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(30);
        // Two staff replying at once: the second save finds the status changed and stands down.
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
        builder.Property(m => m.Reply).HasMaxLength(MessageRules.MaxReplyLength * 2);
        builder.Property(m => m.RepliedBy).HasMaxLength(256);
        builder.HasOne(m => m.Author).WithMany().HasForeignKey(m => m.AuthorId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(m => m.Unit).WithMany().HasForeignKey(m => m.UnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(m => m.ReplyingUnit).WithMany().HasForeignKey(m => m.ReplyingUnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Consultation.Decision>().WithMany().HasForeignKey(m => m.DecisionId).OnDelete(DeleteBehavior.Restrict);
        // The same text on the same page from the same person is one message, however often it is sent.
        builder.HasIndex(m => new { m.AuthorId, m.Page, m.TextHash }).IsUnique();
        builder.HasIndex(m => new { m.Page, m.PublishedAt });
        builder.HasIndex(m => new { m.UnitId, m.Status, m.DueOn });
        builder.HasIndex(m => m.ReceivedAt);
    }
}

internal sealed class MessageReminderConfiguration : IEntityTypeConfiguration<MessageReminder>
{
    public void Configure(EntityTypeBuilder<MessageReminder> builder)
    {
        builder.Property(r => r.Kind).HasMaxLength(20).IsRequired();
        builder.HasIndex(r => new { r.MessageId, r.DueOn, r.Kind }).IsUnique();
        builder.HasOne<Message>().WithMany().HasForeignKey(r => r.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}
