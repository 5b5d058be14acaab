using System.ComponentModel.DataAnnotations;
using Engagement.Web.Features.Consultation;

namespace Engagement.Web.Features.Adoption;

/// <summary>
/// A published adoption report, exactly as stored and served at <c>GET /api/v1/decisions/{id}/report</c>:
/// dates ISO 8601, outcomes and channels as lower-case codes (<see cref="AdoptionRules.Code(CommentOutcome)"/>).
/// </summary>
public sealed record ReportContent(
    int DecisionId,
    string Title,
    string Unit,
    string UnitEn,
    DateTimeOffset? ConsultationOpensAt,
    DateTimeOffset? ConsultationClosesAt,
    DateOnly IssuedOn,
    string DocumentNumber,
    string? Link,
    DateOnly? DueDate,
    DateTimeOffset PublishedAt,
    bool OnTime,
    int Version,
    string? Note,
    IReadOnlyList<ChannelCount> Channels,
    CommenterCounts Commenters,
    OutcomeCounts Counts,
    IReadOnlyList<ReportCluster> Clusters,
    IReadOnlyList<ReportComment> Comments);

public sealed record ChannelCount(string Channel, int Comments, int Participants);

/// <summary>Who spoke: residents online, enterprises and associations (2023 §十八), and gatherings recorded by staff.</summary>
public sealed record CommenterCounts(int Residents, int Organizations, int Gatherings);

public sealed record OutcomeCounts(int Adopted, int PartlyAdopted, int NotAdopted, int OutOfScope);

public sealed record ReportCluster(long Id, string Title, int Size, bool WidelyRaised, string? Outcome, string? Reason,
    IReadOnlyList<long> CommentIds, IReadOnlyList<long> RepresentativeIds);

public sealed record ReportComment(long Id, string Channel, int? Paragraph, string Text, string? Organization, DateOnly? HeldOn, string? Place,
    int? Participants, DateTimeOffset CreatedAt, long? ClusterId, string Outcome, string? Reason);

public sealed record ReportVersionInfo(int Version, DateTimeOffset PublishedAt, string? Note, bool OnTime);

/// <summary>The public report page: one version of the report and the list of all versions.</summary>
public sealed record ReportPageView(ReportContent Report, IReadOnlyList<ReportVersionInfo> Versions, bool IsLatest);

public sealed record ReviewComment(long Id, CommentChannel Channel, string Text, string? Organization, int? Paragraph, DateOnly? HeldOn,
    string? Place, int? Participants, CommentOutcome? Outcome, string? Reason, bool IsPinned, DateTimeOffset CreatedAt);

public sealed record ReviewCluster(long Id, string Title, bool IsCurated, bool WidelyRaised, CommentOutcome? Outcome, string? Reason,
    bool BlocksPublication, IReadOnlyList<ReviewComment> Comments);

/// <summary>What the drafting unit sees while preparing a report.</summary>
public sealed record ReviewView(
    int DecisionId,
    string Title,
    DecisionIssue? Issue,
    ReportDeadline? Deadline,
    int? WorkingDaysLeft,
    int Total,
    int Pending,
    int WithoutOutcome,
    IReadOnlyList<ReviewCluster> Clusters,
    IReadOnlyList<ReportVersionInfo> Versions,
    AdoptionOptions Options,
    IReadOnlyList<EquivalenceSuggestion> Suggestions);

/// <summary>One row of the deadline dashboard.</summary>
public sealed record DashboardRow(int DecisionId, string Title, string Unit, string UnitEn, DateOnly IssuedOn, string DocumentNumber,
    ReportDeadline Deadline, int? WorkingDaysLeft, DateTimeOffset? PublishedAt, bool? OnTime)
{
    public bool IsOverdue => PublishedAt is null && WorkingDaysLeft < 0;
}

public sealed record DashboardView(IReadOnlyList<DashboardRow> Rows, IReadOnlyList<int> MissingYears);

/// <summary>What the public decision page shows about the report: when it is due and whether the date was kept.</summary>
public sealed record ReportStatus(DateOnly IssuedOn, string DocumentNumber, string? Link, ReportDeadline Deadline, DateTimeOffset? PublishedAt, bool? OnTime);

public sealed class IssueForm
{
    [Required(ErrorMessage = "Validation.Required")]
    public DateOnly? IssuedOn { get; set; }

    [Required(ErrorMessage = "Validation.Required"), StringLength(100, ErrorMessage = "Validation.Length")]
    public string? DocumentNumber { get; set; }

    [StringLength(500, ErrorMessage = "Validation.Length")]
    public string? Link { get; set; }
}

public enum AdoptionOutcome { Done, NotFound, Forbidden, Invalid, Conflict }

public sealed record AdoptionResult(AdoptionOutcome Outcome, string? Field = null, string? Error = null)
{
    public static readonly AdoptionResult Done = new(AdoptionOutcome.Done);
    public static readonly AdoptionResult NotFound = new(AdoptionOutcome.NotFound);
    public static readonly AdoptionResult Forbidden = new(AdoptionOutcome.Forbidden);
}

public enum PublishOutcome { Published, NotFound, Forbidden, NotIssued, Refused, NoteRequired, Conflict }

/// <summary>The answer to a publish attempt: the new version, or why not (with the clusters that still need an answer).</summary>
public sealed record PublishResult(PublishOutcome Outcome, int? Version = null, IReadOnlyList<BlockingCluster>? Blocking = null,
    int WithoutOutcome = 0, int Pending = 0, string? Error = null);

public sealed record BlockingCluster(long Id, string Title, int Size);
