using Engagement.Web.Features.Consultation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Features.Adoption;

/// <summary>What became of a comment (2022 §四(二): 采纳情况及理由).</summary>
public enum CommentOutcome { Adopted, PartlyAdopted, NotAdopted, OutOfScope }

/// <summary>The decision as issued: the date that starts the 10-working-day clock, its document number and where it is published.</summary>
public sealed class DecisionIssue
{
    public int DecisionId { get; set; }
    public DateOnly IssuedOn { get; set; }
    public string DocumentNumber { get; set; } = "";
    public string? Link { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public string RecordedBy { get; set; } = "";
}

/// <summary>A group of a decision's comments that ask for the same thing, found by the clusterer and curated by staff.</summary>
public sealed class CommentCluster
{
    public long Id { get; set; }
    public int DecisionId { get; set; }
    public string Title { get; set; } = "";

    /// <summary>Staff named, merged, split or answered it: re-clustering keeps it and every comment pinned to it.</summary>
    public bool IsCurated { get; set; }
    public CommentOutcome? Outcome { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The drafting unit's answer to one comment, and the cluster it sits in.</summary>
public sealed class CommentReview
{
    public long CommentId { get; set; }
    public int DecisionId { get; set; }
    public long? ClusterId { get; set; }
    public CommentCluster? Cluster { get; set; }

    /// <summary>Staff put this comment in its cluster by hand; re-clustering never moves it.</summary>
    public bool IsPinned { get; set; }

    /// <summary>How close the comment is to its cluster's centre (0..1), for choosing representative comments.</summary>
    public double Centrality { get; set; }
    public CommentOutcome? Outcome { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public string? ReviewedBy { get; set; }
}

/// <summary>One published version of a decision's adoption report: an immutable snapshot; a correction is a new version.</summary>
public sealed class AdoptionReport
{
    public long Id { get; set; }
    public int DecisionId { get; set; }
    public int Version { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public string PublishedBy { get; set; } = "";
    public string? Note { get; set; }
    public DateOnly? DueOn { get; set; }
    public bool OnTime { get; set; }

    /// <summary>The whole report as JSON (<see cref="ReportContent"/>), exactly as it was published.</summary>
    public string Content { get; set; } = "";
}

/// <summary>A reminder sent to the drafting unit about a report's due date, so each is sent once.</summary>
public sealed class ReportReminder
{
    public long Id { get; set; }
    public int DecisionId { get; set; }
    public DateOnly DueOn { get; set; }
    public string Kind { get; set; } = "";
    public DateTimeOffset SentAt { get; set; }
}

public enum ClusterLinkKind { MustLink, CannotLink }

/// <summary>
/// What a staff member's move, merge or split said about two comments of a decision: they belong together
/// (must-link) or apart (cannot-link). Every recluster of the decision keeps them; the review page learns
/// equivalent expressions from the must-links.
/// </summary>
public sealed class ClusterLink
{
    public long Id { get; set; }
    public int DecisionId { get; set; }
    public long CommentId { get; set; }
    public long OtherCommentId { get; set; }
    public ClusterLinkKind Kind { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// Words a unit's staff confirmed (or dismissed) as meaning the same in comments, e.g. "摊位费 租金": confirmed ones
/// join the lexicon for every later clustering of that unit's decisions; dismissed ones are not suggested again.
/// </summary>
public sealed class UnitEquivalence
{
    public long Id { get; set; }
    public int UnitId { get; set; }

    /// <summary>The words, space-separated, in a fixed order (see <see cref="EquivalenceSuggestions.Key"/>).</summary>
    public string Words { get; set; } = "";
    public bool IsConfirmed { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
}

internal sealed class ClusterLinkConfiguration : IEntityTypeConfiguration<ClusterLink>
{
    public void Configure(EntityTypeBuilder<ClusterLink> builder)
    {
        builder.HasOne<Decision>().WithMany().HasForeignKey(l => l.DecisionId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(l => l.Kind).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(l => l.DecisionId);
    }
}

internal sealed class UnitEquivalenceConfiguration : IEntityTypeConfiguration<UnitEquivalence>
{
    public void Configure(EntityTypeBuilder<UnitEquivalence> builder)
    {
        builder.HasOne<Admin.Unit>().WithMany().HasForeignKey(e => e.UnitId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.Words).HasMaxLength(200).IsRequired();
        builder.HasIndex(e => new { e.UnitId, e.Words }).IsUnique();
    }
}

internal sealed class DecisionIssueConfiguration : IEntityTypeConfiguration<DecisionIssue>
{
    public void Configure(EntityTypeBuilder<DecisionIssue> builder)
    {
        builder.HasKey(i => i.DecisionId);
        builder.HasOne<Decision>().WithOne().HasForeignKey<DecisionIssue>(i => i.DecisionId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(i => i.DocumentNumber).HasMaxLength(100).IsRequired();
        builder.Property(i => i.Link).HasMaxLength(500);
        builder.Property(i => i.RecordedBy).HasMaxLength(256);
    }
}

internal sealed class CommentClusterConfiguration : IEntityTypeConfiguration<CommentCluster>
{
    public void Configure(EntityTypeBuilder<CommentCluster> builder)
    {
        builder.HasOne<Decision>().WithMany().HasForeignKey(c => c.DecisionId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Title).HasMaxLength(200).IsRequired();
        builder.Property(c => c.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Reason).HasMaxLength(AdoptionRules.MaxReasonLength);
        builder.HasIndex(c => c.DecisionId);
    }
}

internal sealed class CommentReviewConfiguration : IEntityTypeConfiguration<CommentReview>
{
    public void Configure(EntityTypeBuilder<CommentReview> builder)
    {
        builder.HasKey(r => r.CommentId);
        builder.HasOne<Comment>().WithOne().HasForeignKey<CommentReview>(r => r.CommentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(r => r.Cluster).WithMany().HasForeignKey(r => r.ClusterId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Reason).HasMaxLength(AdoptionRules.MaxReasonLength);
        builder.Property(r => r.ReviewedBy).HasMaxLength(256);
        builder.HasIndex(r => new { r.DecisionId, r.ClusterId });
    }
}

internal sealed class AdoptionReportConfiguration : IEntityTypeConfiguration<AdoptionReport>
{
    public void Configure(EntityTypeBuilder<AdoptionReport> builder)
    {
        builder.HasOne<Decision>().WithMany().HasForeignKey(r => r.DecisionId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.PublishedBy).HasMaxLength(256);
        builder.Property(r => r.Note).HasMaxLength(AdoptionRules.MaxReasonLength);
        // Two publishes at once cannot both become version N: the database decides.
        builder.HasIndex(r => new { r.DecisionId, r.Version }).IsUnique();
    }
}

internal sealed class ReportReminderConfiguration : IEntityTypeConfiguration<ReportReminder>
{
    public void Configure(EntityTypeBuilder<ReportReminder> builder)
    {
        builder.Property(r => r.Kind).HasMaxLength(20);
        builder.HasIndex(r => new { r.DecisionId, r.DueOn, r.Kind }).IsUnique();
    }
}
