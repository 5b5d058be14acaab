using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Features.Consultation;

/// <summary>The lifecycle of a major administrative decision (2022 §四(二), 2023 §十九).</summary>
public enum DecisionStatus { Planned, Drafting, OpenForComment, UnderReview, Decided, ReportPublished }

/// <summary>A year's catalog of major administrative decisions (重大行政决策事项目录), published by 31 March.</summary>
public sealed class DecisionCatalog
{
    public int Id { get; set; }
    public int Year { get; set; }

    /// <summary>Null for the district's own catalog; a unit's catalog otherwise.</summary>
    public int? UnitId { get; set; }
    public Unit? Unit { get; set; }
    public DateOnly? PublishedOn { get; set; }
    public List<Decision> Decisions { get; set; } = [];

    /// <summary>2022 §四(一), 2023 §十九: the catalog is published by 31 March of its year.</summary>
    public static DateOnly DueOn(int year) => new(year, 3, 31);
}

/// <summary>One item of the catalog, and its whole life: documents, consultation, comments.</summary>
public sealed class Decision
{
    public int Id { get; set; }
    public int CatalogId { get; set; }
    public DecisionCatalog? Catalog { get; set; }
    public int Year { get; set; }
    public string Title { get; set; } = "";
    public string Summary { get; set; } = "";
    public int UnitId { get; set; }
    public Unit? Unit { get; set; }
    public bool EnterpriseRelated { get; set; }
    public string PlannedTimeline { get; set; } = "";
    public DecisionStatus Status { get; set; }
    public DateTimeOffset? ConsultationOpensAt { get; set; }
    public DateTimeOffset? ConsultationClosesAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<DecisionDocument> Documents { get; set; } = [];

    public bool IsOpenForComment(DateTimeOffset now) =>
        ConsultationOpensAt is { } opens && ConsultationClosesAt is { } closes && opens <= now && now < closes;

    /// <summary>The status a person sees: a consultation whose period has ended is under review, whatever was stored.</summary>
    public DecisionStatus EffectiveStatus(DateTimeOffset now) => Status switch
    {
        DecisionStatus.OpenForComment when ConsultationClosesAt is { } closes && now >= closes => DecisionStatus.UnderReview,
        DecisionStatus.OpenForComment when ConsultationOpensAt is { } opens && now < opens => DecisionStatus.Drafting,
        _ => Status,
    };
}

/// <summary>The kinds of document on a decision's page (2022 §四(二), 2023 §十四, §十九).</summary>
public enum DocumentKind
{
    Draft,
    DraftingExplanation,
    Background,
    Interpretation,
    LegalityReview,
    CollectiveDiscussion,
    DecisionResult,
    RiskAssessment,
    ExpertOpinions,
    EffectEvaluation,
}

/// <summary>A document of a decision; every edit is a new <see cref="DocumentVersion"/>, none is lost.</summary>
public sealed class DecisionDocument
{
    public int Id { get; set; }
    public int DecisionId { get; set; }
    public DocumentKind Kind { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public List<DocumentVersion> Versions { get; set; } = [];
}

public sealed class DocumentVersion
{
    public int Id { get; set; }
    public int DocumentId { get; set; }
    public int Number { get; set; }
    public string Markdown { get; set; } = "";

    /// <summary>A version may be an uploaded PDF instead of Markdown (never selected except to download it).</summary>
    public byte[]? Pdf { get; set; }
    public int? PdfLength { get; set; }
    public string Note { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}

public enum CommentStatus { Pending, Published, Rejected }

/// <summary>Where an opinion came from: online, or entered by staff from a forum, hearing, field visit or poll.</summary>
public enum CommentChannel { Online, Forum, Hearing, FieldVisit, Poll }

/// <summary>A comment on a draft, reviewed before it is public (先审查、后公开, 2023 §八).</summary>
public sealed class Comment
{
    public long Id { get; set; }
    public int DecisionId { get; set; }
    public Decision? Decision { get; set; }
    public Guid? AuthorId { get; set; }
    public User? Author { get; set; }
    public string Text { get; set; } = "";

    /// <summary>What the public sees: <see cref="Text"/> with personal data masked (by the detector and by hand).</summary>
    public string PublicText { get; set; } = "";
    public int? Paragraph { get; set; }
    public CommentStatus Status { get; set; }
    public CommentChannel Channel { get; set; }

    /// <summary>For enterprise-related drafts: the enterprise or association speaking, and its credit code (2023 §十八).</summary>
    public string? OrganizationName { get; set; }
    public string? CreditCode { get; set; }
    public string? RejectReason { get; set; }

    /// <summary>For opinions from forums, hearings, field visits and polls: when, where and how many took part.</summary>
    public DateOnly? HeldOn { get; set; }
    public string? Place { get; set; }
    public int? Participants { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ModeratedAt { get; set; }
    public string? ModeratedBy { get; set; }

    /// <summary>The same author's same text on the same draft is one comment: a hash of the normalised text, unique per author and draft.</summary>
    public string TextHash { get; set; } = "";
}

internal sealed class DecisionCatalogConfiguration : IEntityTypeConfiguration<DecisionCatalog>
{
    public void Configure(EntityTypeBuilder<DecisionCatalog> builder)
    {
        builder.HasOne(c => c.Unit).WithMany().HasForeignKey(c => c.UnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.Year, c.UnitId }).IsUnique();
        // NULLs are distinct in a unique index, so the district's own catalog (no unit) needs its own.
        builder.HasIndex(c => c.Year).IsUnique().HasFilter("\"UnitId\" IS NULL").HasDatabaseName("IX_DecisionCatalog_Year_District");
    }
}

internal sealed class DecisionConfiguration : IEntityTypeConfiguration<Decision>
{
    public void Configure(EntityTypeBuilder<Decision> builder)
    {
        builder.Property(d => d.Title).HasMaxLength(200).IsRequired();
        builder.Property(d => d.Summary).HasMaxLength(2000);
        builder.Property(d => d.PlannedTimeline).HasMaxLength(500);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasOne(d => d.Catalog).WithMany(c => c.Decisions).HasForeignKey(d => d.CatalogId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(d => d.Unit).WithMany().HasForeignKey(d => d.UnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(d => d.Documents).WithOne().HasForeignKey(d => d.DecisionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.Year, d.Status });
    }
}

internal sealed class DecisionDocumentConfiguration : IEntityTypeConfiguration<DecisionDocument>
{
    public void Configure(EntityTypeBuilder<DecisionDocument> builder)
    {
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(30);
        builder.HasIndex(d => new { d.DecisionId, d.Kind }).IsUnique();
        builder.HasMany(d => d.Versions).WithOne().HasForeignKey(v => v.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DocumentVersionConfiguration : IEntityTypeConfiguration<DocumentVersion>
{
    public void Configure(EntityTypeBuilder<DocumentVersion> builder)
    {
        builder.Property(v => v.Note).HasMaxLength(500);
        builder.Property(v => v.CreatedBy).HasMaxLength(256);
        builder.HasIndex(v => new { v.DocumentId, v.Number }).IsUnique();
    }
}

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> builder)
    {
        builder.Property(c => c.Text).HasMaxLength(Comments.MaxLength).IsRequired();
        builder.Property(c => c.PublicText).HasMaxLength(Comments.MaxLength).IsRequired();
        // Approve and reject update only a comment still pending, so two moderators cannot both decide it.
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.OrganizationName).HasMaxLength(200);
        builder.Property(c => c.CreditCode).HasMaxLength(18);
        builder.Property(c => c.RejectReason).HasMaxLength(500);
        builder.Property(c => c.Place).HasMaxLength(200);
        builder.Property(c => c.ModeratedBy).HasMaxLength(256);
        builder.Property(c => c.TextHash).HasMaxLength(64);
        builder.HasOne(c => c.Decision).WithMany().HasForeignKey(c => c.DecisionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(c => c.Author).WithMany().HasForeignKey(c => c.AuthorId).OnDelete(DeleteBehavior.SetNull);
        // The database decides duplicates, so two simultaneous posts of the same text cannot both get in.
        builder.HasIndex(c => new { c.DecisionId, c.AuthorId, c.TextHash }).IsUnique();
        builder.HasIndex(c => new { c.DecisionId, c.Status, c.CreatedAt });
        // Covers the per-paragraph counts beside the draft, read on every view of a decision's page.
        builder.HasIndex(c => new { c.DecisionId, c.Status, c.Paragraph });
        builder.HasIndex(c => new { c.Status, c.CreatedAt });
    }
}

public static class Documents
{
    /// <summary>A document kind from a URL: its exact name only (a number or an unknown name is no document).</summary>
    public static bool TryParseKind(string? name, out DocumentKind kind) =>
        Enum.TryParse(name, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !name!.Any(char.IsDigit);
}
