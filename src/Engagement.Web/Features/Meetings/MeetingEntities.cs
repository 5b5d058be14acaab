using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Admin;
using Engagement.Web.Features.Consultation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Features.Meetings;

/// <summary>A district executive meeting (区政府常务会议) or a unit's head meeting (局长/主任办公会, 2023 task 44).</summary>
public enum MeetingKind { Executive, UnitHead }

/// <summary>How an applicant is connected to the district.</summary>
public enum DistrictConnection { Lives, Works, Studies }

public enum ApplicationStatus { Eligible, Ineligible }

/// <summary>Where an application stands after the draw.</summary>
public enum DrawStanding { None, Selected, Waitlisted, Confirmed, Declined, Lapsed }

/// <summary>A meeting that public representatives may attend (2022 §四(一), 2023 §十八).</summary>
public sealed class Meeting
{
    public int Id { get; set; }
    public MeetingKind Kind { get; set; }

    /// <summary>Null for the district's executive meeting; the unit for a head meeting.</summary>
    public int? UnitId { get; set; }
    public Unit? Unit { get; set; }
    public string Title { get; set; } = "";
    public DateTimeOffset HeldAt { get; set; }
    public string Place { get; set; } = "";
    public int Seats { get; set; }
    public DateTimeOffset ApplicationsOpenAt { get; set; }
    public DateTimeOffset ApplicationsCloseAt { get; set; }
    public string? LiveStreamUrl { get; set; }

    /// <summary>The announced public source in words (stated before the window closes).</summary>
    public string SeedSource { get; set; } = "";

    /// <summary>The seed that ranks: SHA-256 of the revealed secret and the normalised public result (DrawCommitment).</summary>
    public string? Seed { get; set; }
    public DateTimeOffset? SeedEnteredAt { get; set; }

    /// <summary>The public random source announced with the meeting: which lottery, which draw, and when it is drawn (after the close).</summary>
    public string? PublicSource { get; set; }
    public string? PublicDrawNumber { get; set; }
    public DateTimeOffset? PublicDrawAt { get; set; }

    /// <summary>SHA-256 of the server's secret, published at the freeze; the secret itself, kept under Data Protection until the reveal.</summary>
    public string? Commitment { get; set; }
    public DateTimeOffset? CommittedAt { get; set; }
    public string? SecretProtected { get; set; }

    /// <summary>The secret, published once the public result is entered.</summary>
    public string? Secret { get; set; }

    /// <summary>The public result as entered (exactly as published), its normalised line, and when it was entered.</summary>
    public string? PublicResult { get; set; }
    public string? NormalisedResult { get; set; }
    public DateTimeOffset? PublicResultEnteredAt { get; set; }

    /// <summary>An admin's correction of a mistyped result: the first entry stays on record beside the public reason.</summary>
    public string? FirstPublicResult { get; set; }
    public string? CorrectionReason { get; set; }
    public DateTimeOffset? CorrectedAt { get; set; }

    /// <summary>When the eligible list was frozen, and its fingerprint (docs/SELECTION.md).</summary>
    public DateTimeOffset? FrozenAt { get; set; }
    public string? ApplicationsHash { get; set; }
    public DateTimeOffset? DrawnAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<MeetingQuota> Quotas { get; set; } = [];
    public List<MeetingTopic> Topics { get; set; } = [];

    public bool IsTakingApplications(DateTimeOffset now) => ApplicationsOpenAt <= now && now < ApplicationsCloseAt;
}

/// <summary>Seats reserved for one category (2023 task 43: ordinary residents, small and micro business owners).</summary>
public sealed class MeetingQuota
{
    public int Id { get; set; }
    public int MeetingId { get; set; }
    public int Position { get; set; }
    public ApplicantCategory Category { get; set; }
    public int Seats { get; set; }
}

/// <summary>A catalog item on a meeting's agenda.</summary>
public sealed class MeetingTopic
{
    public int MeetingId { get; set; }
    public int DecisionId { get; set; }
    public Decision? Decision { get; set; }
}

/// <summary>An application to attend as a public representative. Personal fields are erased some time after the meeting.</summary>
public sealed class RepresentativeApplication
{
    public long Id { get; set; }
    public int MeetingId { get; set; }
    public Meeting? Meeting { get; set; }
    public Guid? UserId { get; set; }
    public User? User { get; set; }

    /// <summary>Short, not guessable, nothing personal: what the public lists and the draw use.</summary>
    public string PublicId { get; set; } = "";
    public string? RealName { get; set; }
    public string? Phone { get; set; }
    public ApplicantCategory Category { get; set; }
    public DistrictConnection Connection { get; set; }
    public string? Statement { get; set; }
    public DateTimeOffset ConsentedAt { get; set; }
    public ApplicationStatus Status { get; set; }
    public string? IneligibleReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ErasedAt { get; set; }

    public int? Rank { get; set; }
    public DrawStanding Standing { get; set; }

    /// <summary>For a selected applicant: the reserved category of their seat, or null for a general seat.</summary>
    public ApplicantCategory? SeatReservedFor { get; set; }
    public DateOnly? ConfirmBy { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>When the last-day reminder to confirm was sent, so it is sent once.</summary>
    public DateTimeOffset? ReminderSentAt { get; set; }
    public bool? Attended { get; set; }
}

/// <summary>A seat passed on: who gave it up, who took it, why and when.</summary>
public sealed class SeatReplacement
{
    public long Id { get; set; }
    public int MeetingId { get; set; }
    public string FromPublicId { get; set; } = "";
    public string? ToPublicId { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

/// <summary>What a representative said at the meeting, and whether it was adopted (2022 §四(一)).</summary>
public sealed class RepresentativeOpinion
{
    public long Id { get; set; }
    public int MeetingId { get; set; }
    public long ApplicationId { get; set; }
    public int? DecisionId { get; set; }
    public string Text { get; set; } = "";
    public Adoption.CommentOutcome Outcome { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

internal sealed class MeetingConfiguration : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> builder)
    {
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.Title).HasMaxLength(200).IsRequired();
        builder.Property(m => m.Place).HasMaxLength(200);
        builder.Property(m => m.LiveStreamUrl).HasMaxLength(500);
        builder.Property(m => m.SeedSource).HasMaxLength(500);
        builder.Property(m => m.Seed).HasMaxLength(500);
        builder.Property(m => m.ApplicationsHash).HasMaxLength(64);
        builder.Property(m => m.PublicSource).HasMaxLength(100);
        builder.Property(m => m.PublicDrawNumber).HasMaxLength(40);
        builder.Property(m => m.Commitment).HasMaxLength(64);
        builder.Property(m => m.SecretProtected).HasMaxLength(1000);
        builder.Property(m => m.Secret).HasMaxLength(64);
        builder.Property(m => m.PublicResult).HasMaxLength(200);
        builder.Property(m => m.NormalisedResult).HasMaxLength(200);
        builder.Property(m => m.FirstPublicResult).HasMaxLength(200);
        builder.Property(m => m.CorrectionReason).HasMaxLength(500);
        builder.HasOne(m => m.Unit).WithMany().HasForeignKey(m => m.UnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(m => m.Quotas).WithOne().HasForeignKey(q => q.MeetingId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(m => m.Topics).WithOne().HasForeignKey(t => t.MeetingId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => m.HeldAt);
    }
}

internal sealed class MeetingQuotaConfiguration : IEntityTypeConfiguration<MeetingQuota>
{
    public void Configure(EntityTypeBuilder<MeetingQuota> builder)
    {
        builder.Property(q => q.Category).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(q => new { q.MeetingId, q.Category }).IsUnique();
    }
}

internal sealed class MeetingTopicConfiguration : IEntityTypeConfiguration<MeetingTopic>
{
    public void Configure(EntityTypeBuilder<MeetingTopic> builder)
    {
        builder.HasKey(t => new { t.MeetingId, t.DecisionId });
        builder.HasOne(t => t.Decision).WithMany().HasForeignKey(t => t.DecisionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RepresentativeApplicationConfiguration : IEntityTypeConfiguration<RepresentativeApplication>
{
    public void Configure(EntityTypeBuilder<RepresentativeApplication> builder)
    {
        builder.HasOne(a => a.Meeting).WithMany().HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(a => a.User).WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(a => a.PublicId).HasMaxLength(16).IsRequired();
        builder.Property(a => a.RealName).HasMaxLength(50);
        builder.Property(a => a.Phone).HasMaxLength(20);
        builder.Property(a => a.Statement).HasMaxLength(500);
        builder.Property(a => a.IneligibleReason).HasMaxLength(500);
        builder.Property(a => a.Category).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Connection).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        // Draw results change only from the state they were read in: two confirmations or replacements cannot cross.
        builder.Property(a => a.Standing).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
        builder.Property(a => a.SeatReservedFor).HasConversion<string>().HasMaxLength(20);
        // One application per person per meeting, decided by the database.
        builder.HasIndex(a => new { a.MeetingId, a.UserId }).IsUnique();
        builder.HasIndex(a => a.PublicId).IsUnique();
        builder.HasIndex(a => new { a.MeetingId, a.Status });
    }
}

internal sealed class SeatReplacementConfiguration : IEntityTypeConfiguration<SeatReplacement>
{
    public void Configure(EntityTypeBuilder<SeatReplacement> builder)
    {
        builder.Property(r => r.FromPublicId).HasMaxLength(16);
        builder.Property(r => r.ToPublicId).HasMaxLength(16);
        builder.Property(r => r.Reason).HasMaxLength(20);
        builder.HasOne<Meeting>().WithMany().HasForeignKey(r => r.MeetingId).OnDelete(DeleteBehavior.Cascade);
        // A seat is given up once.
        builder.HasIndex(r => new { r.MeetingId, r.FromPublicId }).IsUnique();
    }
}

internal sealed class RepresentativeOpinionConfiguration : IEntityTypeConfiguration<RepresentativeOpinion>
{
    public void Configure(EntityTypeBuilder<RepresentativeOpinion> builder)
    {
        builder.Property(o => o.Text).HasMaxLength(2000).IsRequired();
        builder.Property(o => o.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.Reason).HasMaxLength(2000);
        builder.HasOne<Meeting>().WithMany().HasForeignKey(o => o.MeetingId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<RepresentativeApplication>().WithMany().HasForeignKey(o => o.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Decision>().WithMany().HasForeignKey(o => o.DecisionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(o => o.DecisionId);
    }
}
