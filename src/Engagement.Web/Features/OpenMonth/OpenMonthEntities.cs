using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Features.OpenMonth;

/// <summary>The areas of government openness an open-day event shows (2022 §四(三), 2023 §二十一).</summary>
public enum ThemeArea { OneNetService, OneNetGovernance, BusinessEnvironment, Livelihood, FairSupervision, PublicSafety, Other }

/// <summary>What happens at an event; at least one of these.</summary>
[Flags]
public enum EventSegments { None = 0, QuestionsAndAnswers = 1, Forum = 2, HandsOn = 4, Questionnaire = 8 }

public enum RegistrationStatus { Confirmed, Waitlisted, Cancelled }

public sealed class Venue
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    public string AccessibleEntrance { get; set; } = "";
    public string TransportNotes { get; set; } = "";
}

/// <summary>An open-day event: in August for the Open Month, or any time of year.</summary>
public sealed class OpenEvent
{
    public int Id { get; set; }
    public int UnitId { get; set; }
    public Unit? Unit { get; set; }
    public int VenueId { get; set; }
    public Venue? Venue { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public ThemeArea Theme { get; set; }
    public EventSegments Segments { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public int Capacity { get; set; }
    public DateTimeOffset RegistrationOpensAt { get; set; }
    public DateTimeOffset RegistrationClosesAt { get; set; }
    public bool OpenMonth { get; set; }
    public string? LiveUrl { get; set; }

    /// <summary>After the event: the opinions gathered and how they were handled, published by the organiser.</summary>
    public string? Summary { get; set; }
    public DateTimeOffset? SummaryPublishedAt { get; set; }

    /// <summary>When the questionnaire stops taking answers; null: two weeks after the event ends (QuestionnaireService.ClosesAt).</summary>
    public DateTimeOffset? QuestionnaireClosesAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Places taken by confirmed registrations (people, companions included); changed only by conditional updates.</summary>
    public int Confirmed { get; set; }
}

/// <summary>A resident's registration for themselves and their companions.</summary>
public sealed class EventRegistration
{
    public long Id { get; set; }
    public int EventId { get; set; }
    public OpenEvent? Event { get; set; }
    /// <summary>Null once the person deleted their account: the registration stays, for the event's figures, without them.</summary>
    public Guid? UserId { get; set; }
    public User? User { get; set; }
    public int Companions { get; set; }
    public RegistrationStatus Status { get; set; }

    /// <summary>Shown as a QR code and typed or scanned at the door.</summary>
    public string CheckInCode { get; set; } = "";
    public DateTimeOffset? CheckedInAt { get; set; }

    /// <summary>When the day-before reminder went out, so it goes once.</summary>
    public DateTimeOffset? ReminderSentAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }

    public int Places => 1 + Companions;
}

internal sealed class VenueConfiguration : IEntityTypeConfiguration<Venue>
{
    public void Configure(EntityTypeBuilder<Venue> builder)
    {
        builder.Property(v => v.Name).HasMaxLength(200).IsRequired();
        builder.Property(v => v.Address).HasMaxLength(300);
        builder.Property(v => v.AccessibleEntrance).HasMaxLength(500);
        builder.Property(v => v.TransportNotes).HasMaxLength(500);
    }
}

internal sealed class OpenEventConfiguration : IEntityTypeConfiguration<OpenEvent>
{
    public void Configure(EntityTypeBuilder<OpenEvent> builder)
    {
        builder.Property(e => e.Title).HasMaxLength(200).IsRequired();
        builder.Property(e => e.Description).HasMaxLength(4000);
        builder.Property(e => e.Theme).HasConversion<string>().HasMaxLength(30);
        builder.Property(e => e.LiveUrl).HasMaxLength(500);
        builder.Property(e => e.Summary).HasMaxLength(4000);
        builder.HasOne(e => e.Unit).WithMany().HasForeignKey(e => e.UnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.Venue).WithMany().HasForeignKey(e => e.VenueId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => e.StartsAt);
        builder.HasIndex(e => new { e.VenueId, e.StartsAt });
    }
}

internal sealed class EventRegistrationConfiguration : IEntityTypeConfiguration<EventRegistration>
{
    public void Configure(EntityTypeBuilder<EventRegistration> builder)
    {
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
        builder.Property(r => r.CheckInCode).HasMaxLength(16).IsRequired();
        builder.HasOne(r => r.Event).WithMany().HasForeignKey(r => r.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(r => r.User).WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.SetNull);
        // A person registers once per event (a cancelled registration is taken up again, not duplicated).
        builder.HasIndex(r => new { r.EventId, r.UserId }).IsUnique();
        builder.HasIndex(r => r.CheckInCode).IsUnique();
        builder.HasIndex(r => new { r.EventId, r.Status, r.Id });
    }
}
