using System.Security.Claims;
using System.Text.Json;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Privacy;
using Engagement.Web.Platform.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Features.Adoption;

/// <summary>
/// Adoption reports (2022 §四(二), 2023 §十九): the issue date that starts the 10-working-day clock, clusters of
/// widely raised comments, an outcome and reason for every comment, and immutable published versions.
/// </summary>
public sealed class AdoptionService(EngagementDbContext db, TimeProvider clock, CalendarService calendars, CommentService comments,
    Platform.Outbox.Outbox outbox, AuditWriter audit, IOptions<AdoptionOptions> options, IStringLocalizer<SharedResource> text, Platform.Web.SiteLinks links)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private AdoptionOptions Options => options.Value;

    public async Task<ReportDeadline> DeadlineAsync(DateOnly issuedOn, CancellationToken ct = default) =>
        AdoptionRules.DueDate(await calendars.CurrentAsync(ct), issuedOn);

    public async Task<AdoptionResult> RecordIssueAsync(int decisionId, ClaimsPrincipal user, IssueForm form, CancellationToken ct = default)
    {
        var decision = await db.Set<Decision>().SingleOrDefaultAsync(d => d.Id == decisionId, ct);
        if (decision is null) return AdoptionResult.NotFound;
        if (!await comments.CanModerateAsync(user, decision.UnitId, ct)) return AdoptionResult.Forbidden;
        var today = ChinaTime.Today(clock);
        if (form.IssuedOn is not { } issuedOn || issuedOn.Year < 2000)
        {
            return new AdoptionResult(AdoptionOutcome.Invalid, nameof(form.IssuedOn), text["Issue.DateRequired"]);
        }
        if (issuedOn > today) return new AdoptionResult(AdoptionOutcome.Invalid, nameof(form.IssuedOn), text["Issue.Future"]);
        if (decision.ConsultationClosesAt is { } closes && issuedOn < ChinaTime.DateOf(closes))
        {
            return new AdoptionResult(AdoptionOutcome.Invalid, nameof(form.IssuedOn), text["Issue.BeforeConsultationClosed"]);
        }
        var number = Consultation.Comments.Clean(form.DocumentNumber ?? "");
        if (number.Length is 0 or > 100) return new AdoptionResult(AdoptionOutcome.Invalid, nameof(form.DocumentNumber), text["Issue.NumberRequired"]);
        var link = string.IsNullOrWhiteSpace(form.Link) ? null : form.Link.Trim();
        if (link is not null && !Platform.Web.SiteLinks.IsWebAddress(link))
        {
            return new AdoptionResult(AdoptionOutcome.Invalid, nameof(form.Link), text["Issue.Link"]);
        }
        if (await db.Set<AdoptionReport>().AnyAsync(r => r.DecisionId == decisionId, ct))
        {
            // The clock the public saw is fixed once a report is out; a correction is a new report version.
            return new AdoptionResult(AdoptionOutcome.Conflict, nameof(form.IssuedOn), text["Issue.AlreadyReported"]);
        }

        var issue = await db.Set<DecisionIssue>().SingleOrDefaultAsync(i => i.DecisionId == decisionId, ct);
        var before = issue is null ? null : new { issue.IssuedOn, issue.DocumentNumber, issue.Link };
        if (issue is null)
        {
            issue = new DecisionIssue { DecisionId = decisionId };
            db.Add(issue);
        }
        issue.IssuedOn = issuedOn;
        issue.DocumentNumber = number;
        issue.Link = link;
        issue.RecordedAt = clock.GetUtcNow();
        issue.RecordedBy = user.Identity?.Name ?? "";
        if (decision.Status is not DecisionStatus.ReportPublished) decision.Status = DecisionStatus.Decided;
        audit.Record("decision.issued", nameof(Decision), decisionId.ToString(), before, new { issue.IssuedOn, issue.DocumentNumber, issue.Link });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new AdoptionResult(AdoptionOutcome.Conflict, nameof(form.IssuedOn), text["Issue.Concurrent"]);
        }
        return AdoptionResult.Done;
    }

    /// <summary>
    /// Clusters the decision's published comments again. Staff's curated clusters and pinned comments stay; comments
    /// the clusterer placed are placed afresh (new ones may join staff's clusters). Without <paramref name="force"/>,
    /// runs only when some comment has no cluster yet.
    /// </summary>
    public async Task ReclusterAsync(int decisionId, bool force = false, CancellationToken ct = default)
    {
        var published = await db.Set<Comment>().AsNoTracking()
            .Where(c => c.DecisionId == decisionId && c.Status == CommentStatus.Published)
            .OrderBy(c => c.Id).Select(c => new { c.Id, c.PublicText }).ToListAsync(ct);
        var reviews = await db.Set<CommentReview>().Where(r => r.DecisionId == decisionId).ToDictionaryAsync(r => r.CommentId, ct);
        if (!force && published.All(c => reviews.TryGetValue(c.Id, out var r) && r.ClusterId is not null)) return;
        var clusters = await db.Set<CommentCluster>().Where(c => c.DecisionId == decisionId).ToDictionaryAsync(c => c.Id, ct);

        var curated = clusters.Values.Where(c => c.IsCurated).Select(c => c.Id).ToList();
        var pinKey = curated.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => p.index);
        var inputs = published.Select(c => new ClusterInput(c.PublicText,
            reviews.TryGetValue(c.Id, out var r) && r.IsPinned && r.ClusterId is { } cluster && pinKey.TryGetValue(cluster, out var key) ? key : null)).ToList();
        // Staff's moves, merges and splits, as must-links and cannot-links between the comments they concerned.
        var index = published.Select((c, i) => (c.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var links = await db.Set<ClusterLink>().AsNoTracking().Where(l => l.DecisionId == decisionId).ToListAsync(ct);
        (int, int)[] Pairs(ClusterLinkKind kind) => links.Where(l => l.Kind == kind && index.ContainsKey(l.CommentId) && index.ContainsKey(l.OtherCommentId))
            .Select(l => (index[l.CommentId], index[l.OtherCommentId])).ToArray();
        var constraints = new ClusterConstraints(Pairs(ClusterLinkKind.MustLink), Pairs(ClusterLinkKind.CannotLink));
        var lexicon = await LexiconForAsync(decisionId, ct);
        var result = new CommentClusterer(new ClusteringOptions { Lexicon = lexicon }).Cluster(inputs, constraints);

        var now = clock.GetUtcNow();
        var targets = new CommentCluster[result.Clusters.Count];
        for (var k = 0; k < targets.Length; k++)
        {
            if (result.Clusters[k] is { } key)
            {
                targets[k] = clusters[curated[key]];
                continue;
            }
            var central = Enumerable.Range(0, published.Count).Where(i => result.Assignment[i] == k).MaxBy(i => result.Centrality[i]);
            targets[k] = new CommentCluster { DecisionId = decisionId, Title = TitleFrom(published[central].PublicText), CreatedAt = now };
            db.Add(targets[k]);
        }
        for (var i = 0; i < published.Count; i++)
        {
            if (!reviews.TryGetValue(published[i].Id, out var review))
            {
                review = new CommentReview { CommentId = published[i].Id, DecisionId = decisionId };
                db.Add(review);
            }
            if (!review.IsPinned || review.ClusterId is null || !pinKey.ContainsKey(review.ClusterId.Value))
            {
                review.IsPinned = false;
                review.Cluster = targets[result.Assignment[i]];
            }
            review.Centrality = result.Centrality[i];
        }
        db.RemoveRange(clusters.Values.Where(c => !c.IsCurated));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The district's lexicon with the equivalences the decision's unit confirmed.</summary>
    private async Task<Lexicon> LexiconForAsync(int decisionId, CancellationToken ct)
    {
        var unit = await UnitOfAsync(decisionId, ct);
        var confirmed = await db.Set<UnitEquivalence>().AsNoTracking().Where(e => e.UnitId == unit && e.IsConfirmed).Select(e => e.Words).ToListAsync(ct);
        return confirmed.Count == 0 ? Lexicon.Default : Lexicon.Default.With(confirmed.Select(w => w.Split(' ')));
    }

    /// <summary>Equivalent expressions the staff's must-links on this decision suggest, not yet decided by its unit.</summary>
    private async Task<IReadOnlyList<EquivalenceSuggestion>> SuggestionsAsync(int decisionId, CancellationToken ct)
    {
        var mustLinks = await db.Set<ClusterLink>().AsNoTracking().Where(l => l.DecisionId == decisionId && l.Kind == ClusterLinkKind.MustLink)
            .Select(l => new { l.CommentId, l.OtherCommentId }).ToListAsync(ct);
        if (mustLinks.Count == 0) return [];
        var unit = await UnitOfAsync(decisionId, ct);
        var decided = (await db.Set<UnitEquivalence>().AsNoTracking().Where(e => e.UnitId == unit).Select(e => e.Words).ToListAsync(ct)).ToHashSet();
        var texts = await db.Set<Comment>().AsNoTracking().Where(c => c.DecisionId == decisionId && c.Status == CommentStatus.Published)
            .Select(c => new { c.Id, c.PublicText }).ToDictionaryAsync(c => c.Id, c => c.PublicText, ct);
        return EquivalenceSuggestions.Suggest(texts, mustLinks.Select(l => (l.CommentId, l.OtherCommentId)), await LexiconForAsync(decisionId, ct), decided);
    }

    /// <summary>
    /// Confirms (or dismisses) words as meaning the same in the comments of the decision's unit: confirmed ones join
    /// the lexicon for every later clustering of the unit's decisions, starting with this one's next recluster.
    /// </summary>
    public async Task<AdoptionResult> DecideEquivalenceAsync(int decisionId, ClaimsPrincipal user, IReadOnlyCollection<string>? words, bool? decision,
        CancellationToken ct = default)
    {
        if (await UnitOfAsync(decisionId, ct) is not { } unit) return AdoptionResult.NotFound;
        if (!await comments.CanModerateAsync(user, unit, ct)) return AdoptionResult.Forbidden;
        if (decision is not { } confirm) return new AdoptionResult(AdoptionOutcome.Invalid, "confirm", text["Equivalence.Decision"]);
        if (!EquivalenceSuggestions.IsValid(words)) return new AdoptionResult(AdoptionOutcome.Invalid, "words", text["Equivalence.Invalid"]);
        var key = EquivalenceSuggestions.Key(words!);
        // Two people deciding the same words at once both get what they asked: the second updates the first's row.
        for (var attempt = 0; ; attempt++)
        {
            var row = await db.Set<UnitEquivalence>().SingleOrDefaultAsync(e => e.UnitId == unit && e.Words == key, ct);
            if (row is null)
            {
                row = new UnitEquivalence { UnitId = unit, Words = key };
                db.Add(row);
            }
            row.IsConfirmed = confirm;
            row.DecidedAt = clock.GetUtcNow();
            audit.Record(confirm ? "equivalence.confirm" : "equivalence.dismiss", nameof(Decision), decisionId.ToString(), null, new { Unit = unit, Words = key });
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                return new AdoptionResult(AdoptionOutcome.Conflict, "words", text["Equivalence.Concurrent"]);
            }
        }
        return AdoptionResult.Done;
    }

    /// <summary>
    /// Records what a move said: each moved comment belongs with the target's most central comments and not with
    /// the most central one it left (a split: the moved ones belong together, apart from where they were).
    /// </summary>
    private async Task RecordMoveAsync(int decisionId, IReadOnlyList<CommentReview> moving, long? targetId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var movingIds = moving.Select(m => m.CommentId).ToHashSet();
        var anchors = targetId is { } id
            ? await db.Set<CommentReview>().AsNoTracking().Where(r => r.ClusterId == id && !movingIds.Contains(r.CommentId))
                .OrderByDescending(r => r.Centrality).ThenBy(r => r.CommentId).Take(3).Select(r => r.CommentId).ToListAsync(ct)
            : [moving[0].CommentId];
        var sources = moving.Where(m => m.ClusterId is not null && m.ClusterId != targetId).Select(m => m.ClusterId!.Value).Distinct().ToList();
        var left = new Dictionary<long, long>();
        foreach (var source in sources)
        {
            var anchor = await db.Set<CommentReview>().AsNoTracking().Where(r => r.ClusterId == source && !movingIds.Contains(r.CommentId))
                .OrderByDescending(r => r.Centrality).ThenBy(r => r.CommentId).Select(r => (long?)r.CommentId).FirstOrDefaultAsync(ct);
            if (anchor is { } a) left[source] = a;
        }
        // A comment moved again says where it belongs now: what its earlier moves said is replaced.
        var movedIds = moving.Select(m => m.CommentId).ToList();
        db.RemoveRange(await db.Set<ClusterLink>().Where(l => l.DecisionId == decisionId && movedIds.Contains(l.CommentId)).ToListAsync(ct));
        foreach (var m in moving)
        {
            foreach (var anchor in anchors.Where(a => a != m.CommentId))
            {
                db.Add(new ClusterLink { DecisionId = decisionId, CommentId = m.CommentId, OtherCommentId = anchor, Kind = ClusterLinkKind.MustLink, CreatedAt = now });
            }
            if (m.ClusterId is { } from && left.TryGetValue(from, out var away))
            {
                db.Add(new ClusterLink { DecisionId = decisionId, CommentId = m.CommentId, OtherCommentId = away, Kind = ClusterLinkKind.CannotLink, CreatedAt = now });
            }
        }
    }

    private static string TitleFrom(string text)
    {
        var line = Consultation.Comments.Clean(text).Replace('\n', ' ');
        return line.Length <= 40 ? line : line[..40] + "…";
    }

    public async Task<ReviewView?> ReviewAsync(int decisionId, CancellationToken ct = default)
    {
        var decision = await db.Set<Decision>().AsNoTracking().Where(d => d.Id == decisionId).Select(d => new { d.Id, d.Title }).SingleOrDefaultAsync(ct);
        if (decision is null) return null;
        await ReclusterAsync(decisionId, ct: ct);
        var issue = await db.Set<DecisionIssue>().AsNoTracking().SingleOrDefaultAsync(i => i.DecisionId == decisionId, ct);
        ReportDeadline? deadline = null;
        int? left = null;
        if (issue is not null)
        {
            var calendar = await calendars.CurrentAsync(ct);
            deadline = AdoptionRules.DueDate(calendar, issue.IssuedOn);
            if (deadline.DueOn is { } due) left = AdoptionRules.WorkingDaysLeft(calendar, ChinaTime.Today(clock), due);
        }
        var items = await (from c in db.Set<Comment>().AsNoTracking()
                           where c.DecisionId == decisionId && c.Status == CommentStatus.Published
                           join r in db.Set<CommentReview>() on c.Id equals r.CommentId
                           orderby r.Centrality descending, c.Id
                           select new { r.ClusterId, Comment = new ReviewComment(c.Id, c.Channel, c.PublicText, c.OrganizationName, c.Paragraph, c.HeldOn, c.Place, c.Participants, r.Outcome, r.Reason, r.IsPinned, c.CreatedAt) })
            .ToListAsync(ct);
        var pending = await db.Set<Comment>().CountAsync(c => c.DecisionId == decisionId && c.Status == CommentStatus.Pending, ct);
        var clusters = await db.Set<CommentCluster>().AsNoTracking().Where(c => c.DecisionId == decisionId).OrderBy(c => c.Id).ToListAsync(ct);
        var total = items.Count;
        var views = clusters.Select(c =>
            {
                var members = items.Where(i => i.ClusterId == c.Id).Select(i => i.Comment).ToList();
                var wide = AdoptionRules.IsWidelyRaised(members.Count, total, Options);
                return new ReviewCluster(c.Id, c.Title, c.IsCurated, wide, c.Outcome, c.Reason, wide && AdoptionRules.BlocksPublication(c.Outcome, c.Reason), members);
            })
            .Where(c => c.Comments.Count > 0)
            .OrderByDescending(c => c.Comments.Count).ThenBy(c => c.Id).ToList();
        return new ReviewView(decision.Id, decision.Title, issue, deadline, left, total, pending, items.Count(i => i.Comment.Outcome is null),
            views, await VersionsAsync(decisionId, ct), Options, await SuggestionsAsync(decisionId, ct));
    }

    public async Task<AdoptionResult> SetCommentOutcomeAsync(long commentId, ClaimsPrincipal user, string? outcomeCode, string? reason, CancellationToken ct = default)
    {
        var comment = await db.Set<Comment>().AsNoTracking().Where(c => c.Id == commentId && c.Status == CommentStatus.Published)
            .Select(c => new { c.Id, c.DecisionId, c.Decision!.UnitId }).SingleOrDefaultAsync(ct);
        if (comment is null) return AdoptionResult.NotFound;
        if (!await comments.CanModerateAsync(user, comment.UnitId, ct)) return AdoptionResult.Forbidden;
        if (Validate(outcomeCode, ref reason) is { } invalid) return invalid;
        await ReclusterAsync(comment.DecisionId, ct: ct);
        var review = await db.Set<CommentReview>().SingleAsync(r => r.CommentId == commentId, ct);
        var before = new { review.Outcome, review.Reason };
        AdoptionRules.TryParseOutcome(outcomeCode, out var outcome);
        review.Outcome = outcome;
        review.Reason = reason;
        review.ReviewedAt = clock.GetUtcNow();
        review.ReviewedBy = user.Identity?.Name;
        audit.Record("comment.outcome", nameof(Comment), commentId.ToString(), before, new { review.Outcome, review.Reason });
        await db.SaveChangesAsync(ct);
        return AdoptionResult.Done;
    }

    private AdoptionResult? Validate(string? outcomeCode, ref string? reason)
    {
        if (!AdoptionRules.TryParseOutcome(outcomeCode, out var outcome))
        {
            return new AdoptionResult(AdoptionOutcome.Invalid, "outcome", text["Outcome.Unknown"]);
        }
        reason = Consultation.Comments.Clean(reason ?? "");
        if (reason.Length > AdoptionRules.MaxReasonLength)
        {
            return new AdoptionResult(AdoptionOutcome.Invalid, "reason", string.Format(text["Reason.TooLong"], AdoptionRules.MaxReasonLength));
        }
        if (reason.Length == 0)
        {
            if (AdoptionRules.NeedsReason(outcome)) return new AdoptionResult(AdoptionOutcome.Invalid, "reason", text["Reason.Required"]);
            reason = null;
        }
        return null;
    }

    /// <summary>
    /// Names a cluster and, with an outcome, answers it and every comment in it at once. Either makes the cluster
    /// staff's own: it and its comments stay as they are when new comments arrive.
    /// </summary>
    public async Task<AdoptionResult> UpdateClusterAsync(long clusterId, ClaimsPrincipal user, string? title, string? outcomeCode, string? reason, CancellationToken ct = default)
    {
        var cluster = await db.Set<CommentCluster>().SingleOrDefaultAsync(c => c.Id == clusterId, ct);
        if (cluster is null) return AdoptionResult.NotFound;
        if (await UnitOfAsync(cluster.DecisionId, ct) is not { } unit) return AdoptionResult.NotFound;
        if (!await comments.CanModerateAsync(user, unit, ct)) return AdoptionResult.Forbidden;
        var before = new { cluster.Title, cluster.Outcome, cluster.Reason };
        if (title is not null)
        {
            title = Consultation.Comments.Clean(title).Replace('\n', ' ');
            if (title.Length is 0 or > 200) return new AdoptionResult(AdoptionOutcome.Invalid, "title", text["Cluster.Title"]);
            cluster.Title = title;
        }
        var members = await db.Set<CommentReview>().Where(r => r.ClusterId == clusterId).ToListAsync(ct);
        if (!string.IsNullOrEmpty(outcomeCode))
        {
            if (Validate(outcomeCode, ref reason) is { } invalid) return invalid;
            AdoptionRules.TryParseOutcome(outcomeCode, out var outcome);
            cluster.Outcome = outcome;
            cluster.Reason = reason;
            var now = clock.GetUtcNow();
            foreach (var member in members)
            {
                member.Outcome = outcome;
                member.Reason = reason;
                member.ReviewedAt = now;
                member.ReviewedBy = user.Identity?.Name;
            }
        }
        Curate(cluster, members);
        audit.Record("cluster.update", nameof(CommentCluster), clusterId.ToString(), before, new { cluster.Title, cluster.Outcome, cluster.Reason, Comments = members.Count });
        await db.SaveChangesAsync(ct);
        return AdoptionResult.Done;
    }

    private static void Curate(CommentCluster cluster, IEnumerable<CommentReview> members)
    {
        cluster.IsCurated = true;
        foreach (var member in members) member.IsPinned = true;
    }

    /// <summary>Moves comments into another cluster of the same decision, or into a new one (a split) when <paramref name="targetId"/> is null.</summary>
    public async Task<AdoptionResult> MoveCommentsAsync(int decisionId, ClaimsPrincipal user, IReadOnlyCollection<long> commentIds, long? targetId,
        string? newTitle, CancellationToken ct = default)
    {
        if (await UnitOfAsync(decisionId, ct) is not { } unit) return AdoptionResult.NotFound;
        if (!await comments.CanModerateAsync(user, unit, ct)) return AdoptionResult.Forbidden;
        if (commentIds.Count == 0) return new AdoptionResult(AdoptionOutcome.Invalid, "commentIds", text["Cluster.NoneChosen"]);
        await ReclusterAsync(decisionId, ct: ct);
        var moving = await db.Set<CommentReview>().Where(r => r.DecisionId == decisionId && commentIds.Contains(r.CommentId)).ToListAsync(ct);
        if (moving.Count != commentIds.Distinct().Count()) return new AdoptionResult(AdoptionOutcome.Invalid, "commentIds", text["Cluster.UnknownComment"]);
        CommentCluster target;
        if (targetId is { } id)
        {
            var existing = await db.Set<CommentCluster>().SingleOrDefaultAsync(c => c.Id == id && c.DecisionId == decisionId, ct);
            if (existing is null) return new AdoptionResult(AdoptionOutcome.Invalid, "targetId", text["Cluster.Unknown"]);
            target = existing;
        }
        else
        {
            var title = Consultation.Comments.Clean(newTitle ?? "").Replace('\n', ' ');
            if (title.Length > 200) return new AdoptionResult(AdoptionOutcome.Invalid, "title", text["Cluster.Title"]);
            var first = await db.Set<Comment>().Where(c => c.Id == moving[0].CommentId).Select(c => c.PublicText).SingleAsync(ct);
            target = new CommentCluster { DecisionId = decisionId, Title = title.Length > 0 ? title : TitleFrom(first), CreatedAt = clock.GetUtcNow() };
            db.Add(target);
        }
        await RecordMoveAsync(decisionId, moving, targetId, ct);
        var sources = moving.Select(m => m.ClusterId).OfType<long>().Distinct().ToList();
        foreach (var source in await db.Set<CommentCluster>().Where(c => sources.Contains(c.Id)).ToListAsync(ct))
        {
            // Staff looked at what stays behind too: keep it as it is.
            Curate(source, await db.Set<CommentReview>().Where(r => r.ClusterId == source.Id).ToListAsync(ct));
        }
        foreach (var review in moving) review.Cluster = target;
        var targetMembers = target.Id == 0 ? moving : await db.Set<CommentReview>().Where(r => r.ClusterId == target.Id).ToListAsync(ct);
        Curate(target, targetMembers.Concat(moving));
        await db.SaveChangesAsync(ct);
        audit.Record("cluster.move", nameof(CommentCluster), target.Id.ToString(), new { From = sources }, new { Comments = commentIds });
        await db.SaveChangesAsync(ct);
        return AdoptionResult.Done;
    }

    /// <summary>Merges clusters into the first one: their comments, and the first one's name and answer.</summary>
    public async Task<AdoptionResult> MergeClustersAsync(int decisionId, ClaimsPrincipal user, IReadOnlyList<long> clusterIds, CancellationToken ct = default)
    {
        if (await UnitOfAsync(decisionId, ct) is not { } unit) return AdoptionResult.NotFound;
        if (!await comments.CanModerateAsync(user, unit, ct)) return AdoptionResult.Forbidden;
        var ids = clusterIds.Distinct().ToList();
        if (ids.Count < 2) return new AdoptionResult(AdoptionOutcome.Invalid, "clusterIds", text["Cluster.MergeTwo"]);
        var found = await db.Set<CommentCluster>().Where(c => c.DecisionId == decisionId && ids.Contains(c.Id)).ToListAsync(ct);
        if (found.Count != ids.Count) return new AdoptionResult(AdoptionOutcome.Invalid, "clusterIds", text["Cluster.Unknown"]);
        var target = found.Single(c => c.Id == ids[0]);
        var members = await db.Set<CommentReview>().Where(r => r.ClusterId != null && ids.Contains(r.ClusterId.Value)).ToListAsync(ct);
        // What a merge said: the most central comments of each cluster merged in belong with the target's.
        static List<long> Central(IEnumerable<CommentReview> of) => of.OrderByDescending(r => r.Centrality).ThenBy(r => r.CommentId).Take(5).Select(r => r.CommentId).ToList();
        var targetCentral = Central(members.Where(m => m.ClusterId == target.Id));
        foreach (var other in ids.Where(i => i != target.Id))
        {
            foreach (var a in Central(members.Where(m => m.ClusterId == other)))
            {
                foreach (var b in targetCentral)
                {
                    db.Add(new ClusterLink { DecisionId = decisionId, CommentId = a, OtherCommentId = b, Kind = ClusterLinkKind.MustLink, CreatedAt = clock.GetUtcNow() });
                }
            }
        }
        foreach (var member in members) member.ClusterId = target.Id;
        Curate(target, members);
        db.RemoveRange(found.Where(c => c.Id != target.Id));
        audit.Record("cluster.merge", nameof(CommentCluster), target.Id.ToString(), new { Clusters = ids }, new { Comments = members.Count });
        await db.SaveChangesAsync(ct);
        return AdoptionResult.Done;
    }

    private Task<int?> UnitOfAsync(int decisionId, CancellationToken ct) =>
        db.Set<Decision>().Where(d => d.Id == decisionId).Select(d => (int?)d.UnitId).SingleOrDefaultAsync(ct);

    /// <summary>
    /// Publishes the report as a new immutable version. Refused while comments await moderation or an outcome, or
    /// while a widely raised cluster is neither adopted nor given a reason (listed in the answer). A correction
    /// (version 2 and later) needs a note of what changed; only commenters whose answer changed hear of it again.
    /// </summary>
    public async Task<PublishResult> PublishAsync(int decisionId, ClaimsPrincipal user, string? note, CancellationToken ct = default)
    {
        var decision = await db.Set<Decision>().Include(d => d.Unit).SingleOrDefaultAsync(d => d.Id == decisionId, ct);
        if (decision is null) return new PublishResult(PublishOutcome.NotFound);
        if (!await comments.CanModerateAsync(user, decision.UnitId, ct)) return new PublishResult(PublishOutcome.Forbidden);
        var issue = await db.Set<DecisionIssue>().AsNoTracking().SingleOrDefaultAsync(i => i.DecisionId == decisionId, ct);
        if (issue is null) return new PublishResult(PublishOutcome.NotIssued, Error: text["Publish.NotIssued"]);
        var view = await ReviewAsync(decisionId, ct);
        var blocking = view!.Clusters.Where(c => c.BlocksPublication).Select(c => new BlockingCluster(c.Id, c.Title, c.Comments.Count)).ToList();
        if (blocking.Count > 0 || view.WithoutOutcome > 0 || view.Pending > 0)
        {
            return new PublishResult(PublishOutcome.Refused, Blocking: blocking, WithoutOutcome: view.WithoutOutcome, Pending: view.Pending, Error: text["Publish.Refused"]);
        }
        var previous = await db.Set<AdoptionReport>().AsNoTracking().Where(r => r.DecisionId == decisionId).OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct);
        note = Consultation.Comments.Clean(note ?? "");
        if (note.Length > AdoptionRules.MaxReasonLength) return new PublishResult(PublishOutcome.NoteRequired, Error: string.Format(text["Reason.TooLong"], AdoptionRules.MaxReasonLength));
        if (previous is not null && note.Length == 0) return new PublishResult(PublishOutcome.NoteRequired, Error: text["Publish.NoteRequired"]);

        var now = clock.GetUtcNow();
        var deadline = AdoptionRules.DueDate(await calendars.CurrentAsync(ct), issue.IssuedOn);
        var version = (previous?.Version ?? 0) + 1;
        var onTime = previous?.OnTime ?? AdoptionRules.IsOnTime(ChinaTime.Today(clock), deadline.DueOn);
        var content = Build(decision, issue, view, deadline.DueOn, now, onTime, version, note.Length == 0 ? null : note);
        var report = new AdoptionReport
        {
            DecisionId = decisionId, Version = version, PublishedAt = now, PublishedBy = user.Identity?.Name ?? "", Note = content.Note,
            DueOn = deadline.DueOn, OnTime = onTime, Content = JsonSerializer.Serialize(content, Json),
        };
        db.Add(report);
        decision.Status = DecisionStatus.ReportPublished;
        audit.Record("report.publish", nameof(AdoptionReport), $"{decisionId}/{version}", null,
            new { version, content.Counts, content.Note, OnTime = onTime, content.DueDate });
        await NotifyAsync(content, previous is null ? null : JsonSerializer.Deserialize<ReportContent>(previous.Content, Json), ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new PublishResult(PublishOutcome.Conflict, Error: text["Publish.Concurrent"]);
        }
        return new PublishResult(PublishOutcome.Published, version);
    }

    /// <summary>
    /// The report as it would be published now (the next version), built by the same code as publishing and stored
    /// nowhere: what staff check before they publish. Null when there is nothing to preview (no such decision, not issued).
    /// </summary>
    public async Task<ReportContent?> PreviewAsync(int decisionId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var decision = await db.Set<Decision>().AsNoTracking().Include(d => d.Unit).SingleOrDefaultAsync(d => d.Id == decisionId, ct);
        if (decision is null || !await comments.CanModerateAsync(user, decision.UnitId, ct)) return null;
        var issue = await db.Set<DecisionIssue>().AsNoTracking().SingleOrDefaultAsync(i => i.DecisionId == decisionId, ct);
        if (issue is null) return null;
        var view = await ReviewAsync(decisionId, ct);
        var previous = await db.Set<AdoptionReport>().AsNoTracking().Where(r => r.DecisionId == decisionId).OrderByDescending(r => r.Version)
            .Select(r => new { r.Version, r.OnTime }).FirstOrDefaultAsync(ct);
        var deadline = AdoptionRules.DueDate(await calendars.CurrentAsync(ct), issue.IssuedOn);
        var onTime = previous?.OnTime ?? AdoptionRules.IsOnTime(ChinaTime.Today(clock), deadline.DueOn);
        return Build(decision, issue, view!, deadline.DueOn, clock.GetUtcNow(), onTime, (previous?.Version ?? 0) + 1, null);
    }

    private static ReportContent Build(Decision decision, DecisionIssue issue, ReviewView view, DateOnly? due, DateTimeOffset now, bool onTime,
        int version, string? note)
    {
        var all = view.Clusters.SelectMany(c => c.Comments.Select(m => (Cluster: c, Comment: m))).OrderBy(x => x.Comment.Id).ToList();
        var channels = Enum.GetValues<CommentChannel>()
            .Select(ch => new ChannelCount(AdoptionRules.Code(ch), all.Count(x => x.Comment.Channel == ch),
                all.Where(x => x.Comment.Channel == ch).Sum(x => x.Comment.Participants ?? 1)))
            .ToList();
        var commenters = new CommenterCounts(
            all.Count(x => x.Comment.Channel == CommentChannel.Online && x.Comment.Organization is null),
            all.Count(x => x.Comment.Organization is not null),
            all.Count(x => x.Comment.Channel != CommentChannel.Online));
        var counts = new OutcomeCounts(
            all.Count(x => x.Comment.Outcome == CommentOutcome.Adopted),
            all.Count(x => x.Comment.Outcome == CommentOutcome.PartlyAdopted),
            all.Count(x => x.Comment.Outcome == CommentOutcome.NotAdopted),
            all.Count(x => x.Comment.Outcome == CommentOutcome.OutOfScope));
        var clusters = view.Clusters.Select(c => new ReportCluster(c.Id, c.Title, c.Comments.Count, c.WidelyRaised,
                c.Outcome is { } o ? AdoptionRules.Code(o) : CommonOutcome(c.Comments), c.Reason,
                c.Comments.Select(m => m.Id).Order().ToList(), c.Comments.Take(3).Select(m => m.Id).ToList()))
            .ToList();
        var reportComments = all.Select(x => new ReportComment(x.Comment.Id, AdoptionRules.Code(x.Comment.Channel), x.Comment.Paragraph, x.Comment.Text,
                x.Comment.Organization is null ? null : PersonalDataMasker.Mask(x.Comment.Organization).Masked, x.Comment.HeldOn,
                x.Comment.Place is null ? null : PersonalDataMasker.Mask(x.Comment.Place).Masked, x.Comment.Participants,
                x.Comment.CreatedAt, x.Cluster.Id, x.Comment.Outcome is { } outcome ? AdoptionRules.Code(outcome) : AdoptionRules.Unanswered, x.Comment.Reason))
            .ToList();
        return new ReportContent(decision.Id, decision.Title, decision.Unit?.Name ?? "", decision.Unit?.NameEn ?? "", decision.ConsultationOpensAt,
            decision.ConsultationClosesAt, issue.IssuedOn, issue.DocumentNumber, issue.Link, due, now, onTime, version, note, channels, commenters,
            counts, clusters, reportComments);
    }

    private static string? CommonOutcome(IReadOnlyList<ReviewComment> members)
    {
        var outcomes = members.Select(m => m.Outcome).Distinct().ToList();
        return outcomes is [{ } only] ? AdoptionRules.Code(only) : null;
    }

    /// <summary>Each commenter hears of the outcome of their own comment; on a correction, only those whose answer changed.</summary>
    private async Task NotifyAsync(ReportContent report, ReportContent? previous, CancellationToken ct)
    {
        var before = previous?.Comments.ToDictionary(c => c.Id) ?? [];
        var changed = report.Comments
            .Where(c => c.Channel == "online" && (previous is null || !before.TryGetValue(c.Id, out var old) || old.Outcome != c.Outcome || old.Reason != c.Reason))
            .Select(c => c.Id).ToList();
        var authors = await db.Set<Comment>().AsNoTracking().Where(c => changed.Contains(c.Id) && c.Author != null && c.Author.Email != null)
            .Select(c => new { c.Id, c.Author!.Email, c.Author.DisplayName }).ToListAsync(ct);
        var byId = report.Comments.ToDictionary(c => c.Id);
        using var culture = MailCulture.Default();
        foreach (var author in authors)
        {
            var comment = byId[author.Id];
            var link = links.Absolute($"/decisions/{report.DecisionId}/report#comment-{comment.Id}");
            outbox.Email(author.Email!, string.Format(text["Mail.Outcome.Subject"], report.Title),
                string.Format(text["Mail.Outcome.Body"], author.DisplayName, report.Title, text["Outcome." + comment.Outcome], comment.Reason ?? "", link));
        }
    }

    public async Task<IReadOnlyList<ReportVersionInfo>> VersionsAsync(int decisionId, CancellationToken ct = default) =>
        await db.Set<AdoptionReport>().AsNoTracking().Where(r => r.DecisionId == decisionId).OrderByDescending(r => r.Version)
            .Select(r => new ReportVersionInfo(r.Version, r.PublishedAt, r.Note, r.OnTime)).ToListAsync(ct);

    /// <summary>A published version (the latest when <paramref name="version"/> is null), exactly as it was published.</summary>
    public async Task<ReportContent?> ReportAsync(int decisionId, int? version = null, CancellationToken ct = default)
    {
        var query = db.Set<AdoptionReport>().AsNoTracking().Where(r => r.DecisionId == decisionId);
        query = version is { } v ? query.Where(r => r.Version == v) : query.OrderByDescending(r => r.Version);
        var content = await query.Select(r => r.Content).FirstOrDefaultAsync(ct);
        return content is null ? null : JsonSerializer.Deserialize<ReportContent>(content, Json);
    }

    /// <summary>The due date and whether it was kept, for the public decision page; null before the decision is issued.</summary>
    public async Task<ReportStatus?> StatusAsync(int decisionId, CancellationToken ct = default)
    {
        var issue = await db.Set<DecisionIssue>().AsNoTracking().SingleOrDefaultAsync(i => i.DecisionId == decisionId, ct);
        if (issue is null) return null;
        var first = await db.Set<AdoptionReport>().AsNoTracking().Where(r => r.DecisionId == decisionId).OrderBy(r => r.Version)
            .Select(r => new { r.PublishedAt, r.OnTime }).FirstOrDefaultAsync(ct);
        return new ReportStatus(issue.IssuedOn, issue.DocumentNumber, issue.Link, await DeadlineAsync(issue.IssuedOn, ct), first?.PublishedAt, first?.OnTime);
    }

    /// <summary>Every decided item with its due date; staff see their unit's, admins all.</summary>
    public async Task<DashboardView> DashboardAsync(int? unitId, CancellationToken ct = default)
    {
        var rows = await (from i in db.Set<DecisionIssue>().AsNoTracking()
                          join d in db.Set<Decision>() on i.DecisionId equals d.Id
                          where unitId == null || d.UnitId == unitId
                          select new
                          {
                              d.Id, d.Title, Unit = d.Unit!.Name, UnitEn = d.Unit.NameEn, i.IssuedOn, i.DocumentNumber,
                              First = db.Set<AdoptionReport>().Where(r => r.DecisionId == d.Id).OrderBy(r => r.Version)
                                  .Select(r => new { r.PublishedAt, r.OnTime }).FirstOrDefault(),
                          }).ToListAsync(ct);
        var calendar = await calendars.CurrentAsync(ct);
        var today = ChinaTime.Today(clock);
        var result = rows.Select(r =>
            {
                var deadline = AdoptionRules.DueDate(calendar, r.IssuedOn);
                var left = deadline.DueOn is { } due ? AdoptionRules.WorkingDaysLeft(calendar, today, due) : null;
                return new DashboardRow(r.Id, r.Title, r.Unit, r.UnitEn, r.IssuedOn, r.DocumentNumber, deadline, left, r.First?.PublishedAt, r.First?.OnTime);
            })
            .OrderBy(r => r.PublishedAt is not null).ThenBy(r => r.Deadline.DueOn ?? DateOnly.MinValue).ThenBy(r => r.DecisionId).ToList();
        var missing = result.Where(r => r.Deadline.MissingYear is not null).Select(r => r.Deadline.MissingYear!.Value).Distinct().Order().ToList();
        return new DashboardView(result, missing);
    }

    /// <summary>
    /// Queues the reminders due today: 3 working days before a report's due date and on it, to the drafting unit's
    /// staff, once each (a unique row per decision, due date and kind). Returns how many were queued.
    /// </summary>
    public async Task<int> SendRemindersAsync(string? siteUrl = null, CancellationToken ct = default)
    {
        var calendar = await calendars.CurrentAsync(ct);
        var today = ChinaTime.Today(clock);
        var open = await (from i in db.Set<DecisionIssue>().AsNoTracking()
                          join d in db.Set<Decision>() on i.DecisionId equals d.Id
                          where !db.Set<AdoptionReport>().Any(r => r.DecisionId == d.Id)
                          select new { d.Id, d.Title, d.UnitId, i.IssuedOn }).ToListAsync(ct);
        var queued = 0;
        using var culture = MailCulture.Default();
        foreach (var item in open)
        {
            if (AdoptionRules.DueDate(calendar, item.IssuedOn).DueOn is not { } due) continue;
            var kind = today == due ? "due" : AdoptionRules.WorkingDaysBefore(calendar, due, Options.ReminderWorkingDaysBefore) == today ? "before" : null;
            if (kind is null) continue;
            if (await db.Set<ReportReminder>().AnyAsync(r => r.DecisionId == item.Id && r.DueOn == due && r.Kind == kind, ct)) continue;
            var staff = await db.Users.AsNoTracking().Where(u => u.UnitId == item.UnitId && u.Email != null && u.EmailConfirmed)
                .Select(u => new { u.Email, u.DisplayName }).ToListAsync(ct);
            var path = $"/staff/reports/{item.Id}";
            var link = siteUrl is null ? links.Absolute(path) : siteUrl.TrimEnd('/') + path;
            foreach (var person in staff)
            {
                outbox.Email(person.Email!, string.Format(text[kind == "due" ? "Mail.ReportDue.Subject" : "Mail.ReportSoon.Subject"], item.Title),
                    string.Format(text[kind == "due" ? "Mail.ReportDue.Body" : "Mail.ReportSoon.Body"], person.DisplayName, item.Title, due.ToString("yyyy-MM-dd"), link));
            }
            db.Add(new ReportReminder { DecisionId = item.Id, DueOn = due, Kind = kind, SentAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
                queued++;
            }
            catch (DbUpdateException)
            {
                // Another instance sent this one first.
                db.ChangeTracker.Clear();
            }
        }
        return queued;
    }
}
