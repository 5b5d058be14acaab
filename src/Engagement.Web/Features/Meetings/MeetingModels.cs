using System.ComponentModel.DataAnnotations;

namespace Engagement.Web.Features.Meetings;

/// <summary>Settings under <c>Meetings:</c>.</summary>
public sealed class MeetingOptions
{
    /// <summary>Working days a selected representative has to confirm before the seat passes on.</summary>
    public int ConfirmWorkingDays { get; set; } = 2;

    /// <summary>Days after the meeting when names, phones and statements are erased (public ids, categories and the draw stay).</summary>
    public int EraseAfterDays { get; set; } = 180;
}

public sealed class ApplicationForm
{
    [Required(ErrorMessage = "Validation.Required"), StringLength(50, ErrorMessage = "Validation.Length"), Display(Name = "Field.RealName")]
    public string? RealName { get; set; }

    // Checked by MeetingService after reading it as people write it (136-6182-7394, full-width digits, +86).
    [Required(ErrorMessage = "Validation.Required"), Display(Name = "Field.MobilePhone")]
    public string? Phone { get; set; }

    [Required(ErrorMessage = "Validation.Required"), Display(Name = "Field.ApplicantCategory")]
    public string? Category { get; set; }

    [Required(ErrorMessage = "Validation.Required"), Display(Name = "Field.DistrictConnection")]
    public DistrictConnection? Connection { get; set; }

    [StringLength(500, ErrorMessage = "Validation.Length"), Display(Name = "Field.Statement")]
    public string? Statement { get; set; }

    public bool Consent { get; set; }
}

public enum ApplyOutcome { Created, NotFound, Closed, Invalid, Duplicate }

public sealed record ApplyResult(ApplyOutcome Outcome, RepresentativeApplication? Application = null, string? Field = null, string? Error = null,
    string? ExistingPublicId = null);

public enum MeetingActionOutcome { Done, NotFound, Forbidden, Invalid, Conflict }

public sealed record MeetingActionResult(MeetingActionOutcome Outcome, string? Error = null)
{
    public static readonly MeetingActionResult Done = new(MeetingActionOutcome.Done);
    public static readonly MeetingActionResult NotFound = new(MeetingActionOutcome.NotFound);
    public static readonly MeetingActionResult Forbidden = new(MeetingActionOutcome.Forbidden);
}

public sealed record QuotaView(string Category, int Seats);

public sealed record ApplicantView(string PublicId, string Category);

public sealed record ReplacementView(string From, string? To, string Reason, DateTimeOffset At);

/// <summary>The draw as published at <c>GET /api/v1/meetings/{id}/draw</c>: everything needed to recompute it.</summary>
public sealed record DrawView(
    string SeedSource,
    string? Seed,
    string? ApplicationsHash,
    DateTimeOffset? FrozenAt,
    int Seats,
    IReadOnlyList<QuotaView> Quotas,
    IReadOnlyList<ApplicantView> Applications,
    IReadOnlyList<string> Ranking,
    IReadOnlyList<string> Selected,
    IReadOnlyList<string> Waitlist,
    IReadOnlyList<ReplacementView> Replacements,
    IReadOnlyList<string> Holding,
    string? Commitment = null,
    string? Secret = null,
    PublicSourceView? PublicSource = null,
    string? PublicResult = null,
    string? NormalisedResult = null,
    DateTimeOffset? PublicResultEnteredAt = null,
    CorrectionView? Correction = null);

/// <summary>The public random source announced with the meeting: the lottery, its draw number, and when it is drawn.</summary>
public sealed record PublicSourceView(string? Lottery, string? DrawNumber, DateTimeOffset? DrawAt);

/// <summary>A mistyped result corrected by an admin: the first entry, why, and when.</summary>
public sealed record CorrectionView(string FirstResult, string? FirstNormalisedResult, string Reason, DateTimeOffset At);

public sealed record MeetingSummary(int Id, string Kind, string Title, string? Unit, string? UnitEn, DateTimeOffset HeldAt, string Place, int Seats,
    DateTimeOffset ApplicationsOpenAt, DateTimeOffset ApplicationsCloseAt, bool TakingApplications, bool Drawn, string? LiveStreamUrl,
    IReadOnlyList<TopicView> Topics, [property: System.Text.Json.Serialization.JsonIgnore] int? UnitId = null);

public sealed record TopicView(int DecisionId, string Title);

public sealed record OpinionView(string PublicId, string Category, int? DecisionId, string? DecisionTitle, string Text, string Outcome, string? Reason);

public sealed record MyApplication(long Id, string PublicId, ApplicationStatus Status, string? IneligibleReason, DrawStanding Standing, DateOnly? ConfirmBy);

public sealed record MeetingPageView(MeetingSummary Meeting, DrawView Draw, IReadOnlyList<QuotaView> Quotas, MyApplication? Mine, ApplicationForm Form,
    IReadOnlyList<OpinionView> Opinions, bool CanManage, PollView? Poll = null);

public sealed class MeetingForm
{
    public MeetingKind Kind { get; set; }
    public int? UnitId { get; set; }

    [Required(ErrorMessage = "Validation.Required"), StringLength(200, ErrorMessage = "Validation.Length")]
    public string? Title { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    public DateTime? HeldAt { get; set; }

    [Required(ErrorMessage = "Validation.Required"), StringLength(200, ErrorMessage = "Validation.Length")]
    public string? Place { get; set; }

    [Range(1, 100, ErrorMessage = "Validation.Range")]
    public int Seats { get; set; } = 10;

    [Range(0, 100, ErrorMessage = "Validation.Range")]
    public int ResidentSeats { get; set; } = 4;

    [Range(0, 100, ErrorMessage = "Validation.Range")]
    public int SmallBusinessSeats { get; set; } = 2;

    [Required(ErrorMessage = "Validation.Required")]
    public DateTime? ApplicationsOpenAt { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    public DateTime? ApplicationsCloseAt { get; set; }

    [StringLength(500, ErrorMessage = "Validation.Length")]
    public string? LiveStreamUrl { get; set; }

    /// <summary>Optional words on the source; made from the three fields below when empty.</summary>
    [StringLength(500, ErrorMessage = "Validation.Length")]
    public string? SeedSource { get; set; }

    /// <summary>The lottery (or other public random source) whose result decides the draw, e.g. 中国福利彩票双色球.</summary>
    [Required(ErrorMessage = "Validation.Required"), StringLength(100, ErrorMessage = "Validation.Length")]
    public string? PublicSource { get; set; } = "中国福利彩票双色球";

    /// <summary>Which of its draws (期号), e.g. 2026142.</summary>
    [Required(ErrorMessage = "Validation.Required"), StringLength(40, ErrorMessage = "Validation.Length")]
    public string? PublicDrawNumber { get; set; }

    /// <summary>When that draw takes place (China time); after the applications close.</summary>
    [Required(ErrorMessage = "Validation.Required")]
    public DateTime? PublicDrawAt { get; set; }

    public List<int> TopicIds { get; set; } = [];
}
