using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Consultation;

public enum SubmitOutcome { Created, NotFound, Closed, Invalid, Duplicate }

public sealed record SubmitResult(SubmitOutcome Outcome, Comment? Comment = null, string? Field = null, string? Error = null,
    DateTimeOffset? ClosedAt = null, long? DuplicateOf = null);

public sealed record CommentInput(string? Text, int? Paragraph, string? OrganizationName = null, string? CreditCode = null);

public enum ModerationOutcome { Done, NotFound, Forbidden, AlreadyModerated, Invalid }

/// <summary>Comment intake and moderation: the rules of 2023 §八 (先审查、后公开) and §十八 (enterprise opinions).</summary>
public sealed class CommentService(EngagementDbContext db, TimeProvider clock, Platform.Outbox.Outbox outbox, AuditWriter audit,
    IStringLocalizer<SharedResource> text, Platform.Telemetry.EngagementMetrics metrics)
{
    public async Task<SubmitResult> SubmitAsync(int decisionId, Guid authorId, CommentInput input, CancellationToken ct = default)
    {
        var decision = await db.Set<Decision>().AsNoTracking()
            .Where(d => d.Id == decisionId)
            .Select(d => new { d.Id, d.EnterpriseRelated, d.ConsultationOpensAt, d.ConsultationClosesAt })
            .SingleOrDefaultAsync(ct);
        if (decision is null) return new SubmitResult(SubmitOutcome.NotFound);

        var now = clock.GetUtcNow();
        if (decision.ConsultationOpensAt is not { } opens || decision.ConsultationClosesAt is not { } closes || now < opens)
        {
            return new SubmitResult(SubmitOutcome.Closed, Error: text["Comment.NotOpen"]);
        }
        if (now >= closes)
        {
            return new SubmitResult(SubmitOutcome.Closed, ClosedAt: closes,
                Error: string.Format(text["Comment.Closed"], Platform.Time.ChinaTime.ToChina(closes).ToString("yyyy-MM-dd HH:mm")));
        }

        var body = Comments.Clean(input.Text ?? "");
        if (body.Length == 0) return new SubmitResult(SubmitOutcome.Invalid, Field: "text", Error: text["Comment.Empty"]);
        if (body.Length > Comments.MaxLength)
        {
            return new SubmitResult(SubmitOutcome.Invalid, Field: "text", Error: string.Format(text["Comment.TooLong"], Comments.MaxLength, body.Length));
        }
        if (input.Paragraph is { } paragraph)
        {
            var count = await ParagraphCountAsync(decisionId, ct);
            if (paragraph < 1 || paragraph > count)
            {
                return new SubmitResult(SubmitOutcome.Invalid, Field: "paragraph", Error: string.Format(text["Comment.NoSuchParagraph"], paragraph, count));
            }
        }
        string? organization = null, creditCode = null;
        if (!string.IsNullOrWhiteSpace(input.OrganizationName) || !string.IsNullOrWhiteSpace(input.CreditCode))
        {
            if (!decision.EnterpriseRelated)
            {
                return new SubmitResult(SubmitOutcome.Invalid, Field: "organizationName", Error: text["Comment.NotEnterpriseRelated"]);
            }
            organization = Comments.Clean(input.OrganizationName ?? "");
            creditCode = input.CreditCode?.Trim().ToUpperInvariant();
            if (organization.Length is 0 or > 200)
            {
                return new SubmitResult(SubmitOutcome.Invalid, Field: "organizationName", Error: text["Comment.OrganizationName"]);
            }
            if (PersonalDataMasker.Mask(organization).HasPersonalData)
            {
                return new SubmitResult(SubmitOutcome.Invalid, Field: "organizationName", Error: text["Comment.PersonalDataInName"]);
            }
            if (!UnifiedSocialCreditCode.IsValid(creditCode))
            {
                return new SubmitResult(SubmitOutcome.Invalid, Field: "creditCode", Error: text["Comment.CreditCode"]);
            }
        }

        var hash = Comments.Hash(body);
        var first = await db.Set<Comment>().Where(c => c.DecisionId == decisionId && c.AuthorId == authorId && c.TextHash == hash)
            .Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
        if (first is not null) return Duplicate(first.Value);

        var comment = new Comment
        {
            DecisionId = decisionId,
            AuthorId = authorId,
            Text = body,
            PublicText = PersonalDataMasker.Mask(body).Masked,
            Paragraph = input.Paragraph,
            Status = CommentStatus.Pending,
            Channel = CommentChannel.Online,
            OrganizationName = organization,
            CreditCode = creditCode,
            CreatedAt = now,
            TextHash = hash,
        };
        db.Add(comment);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same text posted twice at once: the unique index let one in.
            db.Entry(comment).State = EntityState.Detached;
            var existing = await db.Set<Comment>().Where(c => c.DecisionId == decisionId && c.AuthorId == authorId && c.TextHash == hash)
                .Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
            if (existing is null) throw;
            return Duplicate(existing.Value);
        }
        metrics.CommentReceived("online");
        return new SubmitResult(SubmitOutcome.Created, comment);
    }

    /// <summary>
    /// Opinions gathered through forums, hearings, field visits and polls (2022 §四(二)), entered by the drafting
    /// unit's staff. They are the unit's own summary, so they are public at once, and count like online comments.
    /// </summary>
    public async Task<SubmitResult> RecordOfflineAsync(int decisionId, System.Security.Claims.ClaimsPrincipal staff, CommentChannel channel,
        DateOnly heldOn, string? place, int participants, string? summary, CancellationToken ct = default)
    {
        var decision = await db.Set<Decision>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, ct);
        if (decision is null) return new SubmitResult(SubmitOutcome.NotFound);
        if (!await CanModerateAsync(staff, decision.UnitId, ct)) return new SubmitResult(SubmitOutcome.Invalid, Field: "", Error: text["Decision.NotYourUnit"]);
        if (channel == CommentChannel.Online) return new SubmitResult(SubmitOutcome.Invalid, Field: "Channel", Error: text["Offline.Channel"]);
        var body = Comments.Clean(summary ?? "");
        if (body.Length is 0 or > Comments.MaxLength)
        {
            return new SubmitResult(SubmitOutcome.Invalid, Field: "Summary", Error: string.Format(text["Comment.TooLong"], Comments.MaxLength, body.Length));
        }
        place = Comments.Clean(place ?? "");
        if (place.Length is 0 or > 200) return new SubmitResult(SubmitOutcome.Invalid, Field: "Place", Error: text["Offline.Place"]);
        if (PersonalDataMasker.Mask(place).HasPersonalData) return new SubmitResult(SubmitOutcome.Invalid, Field: "Place", Error: text["Comment.PersonalDataInName"]);
        if (participants is < 1 or > 1_000_000) return new SubmitResult(SubmitOutcome.Invalid, Field: "Participants", Error: text["Offline.Participants"]);
        if (heldOn > Platform.Time.ChinaTime.Today(clock)) return new SubmitResult(SubmitOutcome.Invalid, Field: "HeldOn", Error: text["Offline.Future"]);

        var staffId = Guid.Parse(staff.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value);
        var hash = Comments.Hash($"{channel}|{heldOn:yyyy-MM-dd}|{place}|{body}");
        var first = await db.Set<Comment>().Where(c => c.DecisionId == decisionId && c.AuthorId == staffId && c.TextHash == hash)
            .Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
        if (first is not null) return Duplicate(first.Value);
        var now = clock.GetUtcNow();
        var comment = new Comment
        {
            DecisionId = decisionId, AuthorId = staffId, Text = body, PublicText = PersonalDataMasker.Mask(body).Masked,
            Status = CommentStatus.Published, Channel = channel, HeldOn = heldOn, Place = place, Participants = participants,
            CreatedAt = now, ModeratedAt = now, ModeratedBy = staff.Identity?.Name, TextHash = hash,
        };
        db.Add(comment);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same record entered twice at once: the unique index let one in.
            await transaction.RollbackAsync(ct);
            db.Entry(comment).State = EntityState.Detached;
            var existing = await db.Set<Comment>().Where(c => c.DecisionId == decisionId && c.AuthorId == staffId && c.TextHash == hash)
                .Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
            if (existing is null) throw;
            return Duplicate(existing.Value);
        }
        audit.Record("comment.offline", nameof(Comment), comment.Id.ToString(), null, new { comment.Channel, comment.HeldOn, comment.Place, comment.Participants });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        var channelName = channel.ToString().ToLowerInvariant();
        metrics.CommentReceived(channelName);
        metrics.CommentPublished(channelName);
        return new SubmitResult(SubmitOutcome.Created, comment);
    }

    private SubmitResult Duplicate(long id) => new(SubmitOutcome.Duplicate, DuplicateOf: id, Error: text["Comment.Duplicate"]);

    public async Task<int> ParagraphCountAsync(int decisionId, CancellationToken ct = default)
    {
        var draft = await CurrentMarkdownAsync(decisionId, DocumentKind.Draft, ct);
        return draft is null ? 0 : DraftParagraphs.Split(draft).Count;
    }

    public Task<string?> CurrentMarkdownAsync(int decisionId, DocumentKind kind, CancellationToken ct = default) =>
        db.Set<DecisionDocument>().Where(d => d.DecisionId == decisionId && d.Kind == kind)
            .SelectMany(d => d.Versions).OrderByDescending(v => v.Number).Select(v => v.Markdown).FirstOrDefaultAsync(ct);

    /// <summary>Staff of the drafting unit moderate its comments; admins moderate all.</summary>
    public Task<bool> CanModerateAsync(System.Security.Claims.ClaimsPrincipal user, int decisionUnitId, CancellationToken ct = default) =>
        UnitAccess.CanActForAsync(db, user, decisionUnitId, ct);

    public async Task<ModerationOutcome> ApproveAsync(long commentId, System.Security.Claims.ClaimsPrincipal moderator, string? publicText = null, CancellationToken ct = default)
    {
        var comment = await db.Set<Comment>().Include(c => c.Decision).Include(c => c.Author).SingleOrDefaultAsync(c => c.Id == commentId, ct);
        if (comment is null) return ModerationOutcome.NotFound;
        if (!await CanModerateAsync(moderator, comment.Decision!.UnitId, ct)) return ModerationOutcome.Forbidden;
        if (comment.Status != CommentStatus.Pending) return ModerationOutcome.AlreadyModerated;
        if (publicText is not null)
        {
            // Browsers send a textarea's line breaks as CRLF; the stored text has LF.
            publicText = publicText.Replace("\r\n", "\n");
            // A moderator may mask more by hand, never unmask or rewrite: only '*' may replace characters.
            if (publicText.Length != comment.PublicText.Length
                || publicText.Where((c, i) => c != comment.PublicText[i] && c != PersonalDataMasker.MaskChar).Any())
            {
                return ModerationOutcome.Invalid;
            }
            comment.PublicText = publicText;
        }
        comment.Status = CommentStatus.Published;
        comment.ModeratedAt = clock.GetUtcNow();
        comment.ModeratedBy = moderator.Identity?.Name;
        audit.Record("comment.approve", nameof(Comment), comment.Id.ToString(), new { Status = CommentStatus.Pending }, new { comment.Status, comment.PublicText });
        if (comment.Author?.Email is { } email)
        {
            using var culture = MailCulture.Default();
            outbox.Email(email, text["Mail.CommentPublished.Subject"],
                string.Format(text["Mail.CommentPublished.Body"], comment.Author.DisplayName, comment.Decision.Title, comment.PublicText));
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another moderator decided it a moment ago (Status is a concurrency token): theirs stands.
            return ModerationOutcome.AlreadyModerated;
        }
        metrics.CommentPublished(comment.Channel.ToString().ToLowerInvariant());
        return ModerationOutcome.Done;
    }

    public async Task<ModerationOutcome> RejectAsync(long commentId, System.Security.Claims.ClaimsPrincipal moderator, string? reason, CancellationToken ct = default)
    {
        var comment = await db.Set<Comment>().Include(c => c.Decision).Include(c => c.Author).SingleOrDefaultAsync(c => c.Id == commentId, ct);
        if (comment is null) return ModerationOutcome.NotFound;
        // Who asks is checked before what they sent: someone else's unit learns nothing from the validation.
        if (!await CanModerateAsync(moderator, comment.Decision!.UnitId, ct)) return ModerationOutcome.Forbidden;
        reason = Comments.Clean(reason ?? "");
        if (reason.Length is 0 or > 500) return ModerationOutcome.Invalid;
        if (comment.Status != CommentStatus.Pending) return ModerationOutcome.AlreadyModerated;
        comment.Status = CommentStatus.Rejected;
        comment.RejectReason = reason;
        comment.ModeratedAt = clock.GetUtcNow();
        comment.ModeratedBy = moderator.Identity?.Name;
        audit.Record("comment.reject", nameof(Comment), comment.Id.ToString(), new { Status = CommentStatus.Pending }, new { comment.Status, comment.RejectReason });
        if (comment.Author?.Email is { } email)
        {
            using var culture = MailCulture.Default();
            outbox.Email(email, text["Mail.CommentRejected.Subject"],
                string.Format(text["Mail.CommentRejected.Body"], comment.Author.DisplayName, comment.Decision.Title, reason));
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another moderator decided it a moment ago (Status is a concurrency token): theirs stands.
            return ModerationOutcome.AlreadyModerated;
        }
        return ModerationOutcome.Done;
    }
}
