using Engagement.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Features.Subscriptions;

/// <summary>What a topic tag is put on (a decision, a meeting, an event), or a notice is about (those, or a live session).</summary>
public enum TaggedKind { Decision, Meeting, Event, LiveSession }

/// <summary>What a person follows: a unit, a topic, a street or town, or everything enterprise-related.</summary>
public enum SubscriptionKind { Unit, Topic, Street, Enterprise }

/// <summary>Told at once (one e-mail per item), or in one e-mail on Monday morning.</summary>
public enum Delivery { Immediate, Weekly }

/// <summary>What happened to an item that its followers are told of.</summary>
public enum NoticeEvent { ConsultationOpened, ReportPublished, ApplicationsOpened, RegistrationOpened, LiveScheduled }

/// <summary>A topic from the list admins keep (养老, 住房, 交通 ...). Retired topics stay on old items but are no longer offered.</summary>
public sealed class Topic
{
    public int Id { get; set; }
    /// <summary>Stable, for feeds and the API (<c>elder-care</c>); names may be corrected, the code stays.</summary>
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string NameEn { get; set; } = "";
    public int SortOrder { get; set; }
    public bool Retired { get; set; }
}

/// <summary>A topic on a decision, a meeting or an event.</summary>
public sealed class TopicTag
{
    public int TopicId { get; set; }
    public Topic? Topic { get; set; }
    public TaggedKind Kind { get; set; }
    public int ItemId { get; set; }
}

public sealed class Subscription
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public SubscriptionKind Kind { get; set; }
    /// <summary>The unit's id (for a unit or a street), the topic's code, or empty (enterprise-related).</summary>
    public string Value { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>How and in which language a person is told, and the token of the unsubscribe link in every e-mail.</summary>
public sealed class SubscriptionSettings
{
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public Delivery Delivery { get; set; }
    public string Language { get; set; } = "zh-CN";
    public string UnsubscribeToken { get; set; } = "";
    public DateTimeOffset? LastDigestAt { get; set; }
}

/// <summary>
/// That one person is to be told of one thing that happened to one item: unique per person, event and item, so no one
/// is e-mailed twice for it, however often the scan runs or on however many instances.
/// </summary>
public sealed class Notice
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public NoticeEvent Event { get; set; }
    public TaggedKind ItemKind { get; set; }
    public int ItemId { get; set; }
    public string Title { get; set; } = "";
    public string Url { get; set; } = "";
    public DateTimeOffset HappenedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

internal sealed class TopicConfiguration : IEntityTypeConfiguration<Topic>
{
    public void Configure(EntityTypeBuilder<Topic> builder)
    {
        builder.Property(t => t.Code).HasMaxLength(40);
        builder.Property(t => t.Name).HasMaxLength(40);
        builder.Property(t => t.NameEn).HasMaxLength(80);
        builder.HasIndex(t => t.Code).IsUnique();
    }
}

internal sealed class TopicTagConfiguration : IEntityTypeConfiguration<TopicTag>
{
    public void Configure(EntityTypeBuilder<TopicTag> builder)
    {
        builder.HasKey(t => new { t.Kind, t.ItemId, t.TopicId });
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
        builder.HasOne(t => t.Topic).WithMany().HasForeignKey(t => t.TopicId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.TopicId);
    }
}

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Value).HasMaxLength(40);
        builder.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.UserId, s.Kind, s.Value }).IsUnique();
        builder.HasIndex(s => new { s.Kind, s.Value });
    }
}

internal sealed class SubscriptionSettingsConfiguration : IEntityTypeConfiguration<SubscriptionSettings>
{
    public void Configure(EntityTypeBuilder<SubscriptionSettings> builder)
    {
        builder.HasKey(s => s.UserId);
        builder.Property(s => s.Delivery).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Language).HasMaxLength(8);
        builder.Property(s => s.UnsubscribeToken).HasMaxLength(64);
        builder.HasIndex(s => s.UnsubscribeToken).IsUnique();
        builder.HasOne(s => s.User).WithOne().HasForeignKey<SubscriptionSettings>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> builder)
    {
        builder.Property(n => n.Event).HasConversion<string>().HasMaxLength(32);
        builder.Property(n => n.ItemKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.Title).HasMaxLength(300);
        builder.Property(n => n.Url).HasMaxLength(200);
        builder.HasOne(n => n.User).WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(n => new { n.UserId, n.Event, n.ItemKind, n.ItemId }).IsUnique();
        builder.HasIndex(n => n.SentAt);
    }
}
