using System.Security.Claims;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Consultation;

public sealed record AuthoringResult(bool Ok, string? Field = null, string? Error = null, int? Id = null)
{
    public static AuthoringResult Done(int id) => new(true, Id: id);
    public static AuthoringResult Fail(string field, string error) => new(false, field, error);
}

/// <summary>What staff of the drafting unit do with a decision: create it, write its documents, open its consultation.</summary>
public sealed class DecisionAuthoring(EngagementDbContext db, CommentService comments, AuditWriter audit, TimeProvider clock,
    IStringLocalizer<SharedResource> text)
{
    public const int MaxDocumentLength = 200_000;

    public async Task<AuthoringResult> CreateAsync(ClaimsPrincipal user, int year, string title, string summary, int unitId,
        bool enterpriseRelated, string plannedTimeline, bool unitCatalog = false, CancellationToken ct = default)
    {
        if (!await comments.CanModerateAsync(user, unitId, ct)) return AuthoringResult.Fail("UnitId", text["Decision.NotYourUnit"]);
        // The district's catalog, or the unit's own (2022 §四(一): district-level and each unit's catalog).
        int? catalogUnit = unitCatalog ? unitId : null;
        var catalog = await CatalogPublishing.EnsureAsync(db, year, catalogUnit, ct);
        var decision = new Decision
        {
            Catalog = catalog,
            Year = year,
            Title = title.Trim(),
            Summary = summary?.Trim() ?? "",
            UnitId = unitId,
            EnterpriseRelated = enterpriseRelated,
            PlannedTimeline = plannedTimeline?.Trim() ?? "",
            Status = DecisionStatus.Drafting,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Add(decision);
        // The audit row names the new id, so it is written after the decision, in the same transaction.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        audit.Record("decision.create", nameof(Decision), decision.Id.ToString(), null, new { decision.Title, decision.Year, decision.UnitId, decision.EnterpriseRelated });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return AuthoringResult.Done(decision.Id);
    }

    /// <summary>Saves a document as a new version and publishes it; earlier versions stay.</summary>
    public async Task<AuthoringResult> SaveDocumentAsync(ClaimsPrincipal user, int decisionId, DocumentKind kind, string markdown, string? note,
        CancellationToken ct = default)
    {
        var decision = await db.Set<Decision>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, ct);
        if (decision is null) return AuthoringResult.Fail("", text["Decision.NotFound"]);
        if (!await comments.CanModerateAsync(user, decision.UnitId, ct)) return AuthoringResult.Fail("", text["Decision.NotYourUnit"]);
        markdown = (markdown ?? "").Replace("\r\n", "\n").Trim();
        if (markdown.Length == 0) return AuthoringResult.Fail("Markdown", text["Document.Empty"]);
        if (markdown.Length > MaxDocumentLength) return AuthoringResult.Fail("Markdown", string.Format(text["Document.TooLong"], MaxDocumentLength));
        if (kind == DocumentKind.Draft && decision.IsOpenForComment(clock.GetUtcNow()))
        {
            // Comments point at numbered paragraphs: the draft under consultation must not shift under them.
            return AuthoringResult.Fail("Markdown", text["Document.DraftLocked"]);
        }

        var document = await db.Set<DecisionDocument>().Include(d => d.Versions)
            .SingleOrDefaultAsync(d => d.DecisionId == decisionId && d.Kind == kind, ct);
        var now = clock.GetUtcNow();
        if (document is null)
        {
            document = new DecisionDocument { DecisionId = decisionId, Kind = kind };
            db.Add(document);
        }
        var latest = document.Versions.MaxBy(v => v.Number);
        if (latest?.Markdown == markdown) return AuthoringResult.Done(decisionId);
        document.PublishedAt ??= now;
        document.Versions.Add(new DocumentVersion
        {
            Number = (latest?.Number ?? 0) + 1,
            Markdown = markdown,
            Note = note?.Trim() ?? "",
            CreatedAt = now,
            CreatedBy = user.Identity?.Name ?? "",
        });
        audit.Record("document.save", nameof(DecisionDocument), $"{decisionId}/{kind}",
            latest is null ? null : new { Version = latest.Number }, new { Version = (latest?.Number ?? 0) + 1, Length = markdown.Length, Note = note });
        await db.SaveChangesAsync(ct);
        return AuthoringResult.Done(decisionId);
    }

    public const int MaxPdfBytes = 10 * 1024 * 1024;

    /// <summary>
    /// Saves an uploaded PDF as a new version. The type is decided by the content (a PDF header and end-of-file
    /// marker), never by the file's name or the browser's claim.
    /// </summary>
    public async Task<AuthoringResult> SavePdfAsync(ClaimsPrincipal user, int decisionId, DocumentKind kind, byte[] content, string? note,
        CancellationToken ct = default)
    {
        var decision = await db.Set<Decision>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, ct);
        if (decision is null) return AuthoringResult.Fail("", text["Decision.NotFound"]);
        if (!await comments.CanModerateAsync(user, decision.UnitId, ct)) return AuthoringResult.Fail("", text["Decision.NotYourUnit"]);
        // The draft stays text: comments point at its numbered paragraphs.
        if (kind == DocumentKind.Draft) return AuthoringResult.Fail("File", text["Document.DraftMustBeText"]);
        if (content.Length == 0) return AuthoringResult.Fail("File", text["Document.FileMissing"]);
        if (content.Length > MaxPdfBytes) return AuthoringResult.Fail("File", string.Format(text["Document.PdfTooLarge"], MaxPdfBytes / 1024 / 1024));
        if (!IsPdf(content)) return AuthoringResult.Fail("File", text["Document.NotPdf"]);

        var document = await db.Set<DecisionDocument>().SingleOrDefaultAsync(d => d.DecisionId == decisionId && d.Kind == kind, ct);
        var now = clock.GetUtcNow();
        if (document is null)
        {
            document = new DecisionDocument { DecisionId = decisionId, Kind = kind };
            db.Add(document);
        }
        var number = (document.Id == 0 ? 0 : await db.Set<DocumentVersion>().Where(v => v.DocumentId == document.Id).MaxAsync(v => (int?)v.Number, ct) ?? 0) + 1;
        document.PublishedAt ??= now;
        document.Versions.Add(new DocumentVersion
        {
            Number = number, Markdown = "", Pdf = content, PdfLength = content.Length, Note = note?.Trim() ?? "", CreatedAt = now,
            CreatedBy = user.Identity?.Name ?? "",
        });
        audit.Record("document.save", nameof(DecisionDocument), $"{decisionId}/{kind}", null, new { Version = number, Pdf = content.Length, Note = note });
        await db.SaveChangesAsync(ct);
        return AuthoringResult.Done(decisionId);
    }

    public static bool IsPdf(byte[] content)
    {
        if (content.Length < 16 || !content.AsSpan(0, 5).SequenceEqual("%PDF-"u8)) return false;
        var tail = content.AsSpan(Math.Max(0, content.Length - 1024));
        return tail.IndexOf("%%EOF"u8) >= 0;
    }

    public async Task<AuthoringResult> OpenConsultationAsync(ClaimsPrincipal user, int decisionId, DateTimeOffset opensAt, DateTimeOffset closesAt,
        CancellationToken ct = default)
    {
        var decision = await db.Set<Decision>().SingleOrDefaultAsync(d => d.Id == decisionId, ct);
        if (decision is null) return AuthoringResult.Fail("", text["Decision.NotFound"]);
        if (!await comments.CanModerateAsync(user, decision.UnitId, ct)) return AuthoringResult.Fail("", text["Decision.NotYourUnit"]);
        var published = await db.Set<DecisionDocument>().Where(d => d.DecisionId == decisionId && d.PublishedAt != null)
            .Select(d => d.Kind).ToListAsync(ct);
        if (!published.Contains(DocumentKind.Draft)) return AuthoringResult.Fail("", text["Consultation.NeedsDraft"]);
        // 2023 §十四: the interpretation is published together with the draft.
        if (!published.Contains(DocumentKind.Interpretation)) return AuthoringResult.Fail("", text["Consultation.NeedsInterpretation"]);
        if (closesAt <= opensAt) return AuthoringResult.Fail("ClosesAt", text["Consultation.EndBeforeStart"]);
        if (closesAt <= clock.GetUtcNow()) return AuthoringResult.Fail("ClosesAt", text["Consultation.EndInPast"]);

        var before = new { decision.Status, decision.ConsultationOpensAt, decision.ConsultationClosesAt };
        decision.ConsultationOpensAt = opensAt.ToUniversalTime();
        decision.ConsultationClosesAt = closesAt.ToUniversalTime();
        decision.Status = DecisionStatus.OpenForComment;
        audit.Record("consultation.open", nameof(Decision), decisionId.ToString(), before,
            new { decision.Status, decision.ConsultationOpensAt, decision.ConsultationClosesAt });
        await db.SaveChangesAsync(ct);
        return AuthoringResult.Done(decisionId);
    }
}
