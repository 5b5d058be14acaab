using System.ComponentModel.DataAnnotations;
using Engagement.Web.Platform.Privacy;

namespace Engagement.Web.Features.Consultation;

public sealed record UnitOption(int Id, string Name, string NameEn);

public sealed record CatalogView(DecisionFilter Filter, IReadOnlyList<int> Years, IReadOnlyList<UnitOption> Units, IReadOnlyList<DecisionListItem> Items,
    IReadOnlyList<CatalogInfo> Catalogs);

public sealed record CatalogInfo(int Year, string? Unit, string? UnitEn, DateOnly? PublishedOn);

public sealed class CommentForm
{
    [Required(ErrorMessage = "Validation.Required"), StringLength(Comments.MaxLength, ErrorMessage = "Validation.Length")]
    [Display(Name = "Field.Comment")]
    public string Text { get; set; } = "";

    [Display(Name = "Field.Paragraph")]
    public int? Paragraph { get; set; }

    [StringLength(200, ErrorMessage = "Validation.Length"), Display(Name = "Field.OrganizationName")]
    public string? OrganizationName { get; set; }

    [StringLength(18, ErrorMessage = "Validation.Length"), Display(Name = "Field.CreditCode")]
    public string? CreditCode { get; set; }
}

public sealed record MyComment(long Id, string Text, int? Paragraph, CommentStatus Status, string? RejectReason, DateTimeOffset CreatedAt);

public sealed record DecisionPageView(
    DecisionDetail Detail,
    IReadOnlyList<string> DraftParagraphs,
    IReadOnlyDictionary<int, int> ParagraphCounts,
    IReadOnlyList<PublicComment> Comments,
    int TotalComments,
    int Page,
    int PageSize,
    IReadOnlyList<MyComment> Mine,
    CommentForm Form,
    bool IsOpen,
    bool HasClosed,
    bool CanModerate);

public sealed record QueueItem(long Id, int DecisionId, string DecisionTitle, string Text, string PublicText, IReadOnlyList<PersonalDataSpan> Found,
    int? Paragraph, string Author, string? Organization, string? CreditCode, DateTimeOffset CreatedAt, bool Overdue)
{
    /// <summary>Long numbers the detector could not place (not masked): the moderator checks whether they are personal.</summary>
    public IReadOnlyList<string> UnrecognisedNumbers { get; init; } = [];
}

public sealed record ModerationView(int? DecisionId, IReadOnlyList<(int Id, string Title)> Decisions, IReadOnlyList<QueueItem> Items, int Total);

public sealed class DecisionForm
{
    [Required(ErrorMessage = "Validation.Required"), StringLength(200, ErrorMessage = "Validation.Length"), Display(Name = "Field.Title")]
    public string Title { get; set; } = "";

    [StringLength(2000, ErrorMessage = "Validation.Length"), Display(Name = "Field.Summary")]
    public string? Summary { get; set; }

    [Range(2000, 2100, ErrorMessage = "Validation.Range"), Display(Name = "Field.Year")]
    public int Year { get; set; }

    [Display(Name = "Field.Unit")]
    public int UnitId { get; set; }

    [Display(Name = "Field.EnterpriseRelated")]
    public bool EnterpriseRelated { get; set; }

    /// <summary>False: the district's catalog; true: the drafting unit's own catalog of major decisions.</summary>
    [Display(Name = "Field.UnitCatalog")]
    public bool UnitCatalog { get; set; }

    [StringLength(500, ErrorMessage = "Validation.Length"), Display(Name = "Field.PlannedTimeline")]
    public string? PlannedTimeline { get; set; }
}

public sealed class DocumentForm
{
    [Required(ErrorMessage = "Validation.Required"), Display(Name = "Field.Markdown")]
    public string Markdown { get; set; } = "";

    [StringLength(500, ErrorMessage = "Validation.Length"), Display(Name = "Field.VersionNote")]
    public string? Note { get; set; }
}

public sealed class ConsultationForm
{
    [Required(ErrorMessage = "Validation.Required"), Display(Name = "Field.OpensAt")]
    public DateTime? OpensAt { get; set; }

    [Required(ErrorMessage = "Validation.Required"), Display(Name = "Field.ClosesAt")]
    public DateTime? ClosesAt { get; set; }
}

public sealed record StaffDecisionsView(IReadOnlyList<DecisionListItem> Items, IReadOnlyList<UnitOption> Units, DecisionForm Form);
public sealed record DocumentEditView(int DecisionId, string DecisionTitle, DocumentKind Kind, DocumentForm Form, IReadOnlyList<VersionInfo> History);
public sealed record ConsultationEditView(int DecisionId, string DecisionTitle, ConsultationForm Form, IReadOnlyList<DocumentKind> Published, string? Error);

public sealed class OfflineForm
{
    [Display(Name = "Field.Channel")]
    public CommentChannel Channel { get; set; } = CommentChannel.Forum;

    [Required(ErrorMessage = "Validation.Required"), Display(Name = "Field.HeldOn")]
    public DateOnly? HeldOn { get; set; }

    [Required(ErrorMessage = "Validation.Required"), StringLength(200, ErrorMessage = "Validation.Length"), Display(Name = "Field.Place")]
    public string Place { get; set; } = "";

    [Range(1, 1_000_000, ErrorMessage = "Validation.Range"), Display(Name = "Field.Participants")]
    public int Participants { get; set; } = 1;

    [Required(ErrorMessage = "Validation.Required"), StringLength(Comments.MaxLength, ErrorMessage = "Validation.Length"), Display(Name = "Field.OfflineSummary")]
    public string Summary { get; set; } = "";
}

public sealed record OfflineView(int DecisionId, string DecisionTitle, OfflineForm Form, IReadOnlyList<PublicComment> Recorded);

public sealed record VersionView(int DecisionId, string DecisionTitle, DocumentKind Kind, int Number, DateTimeOffset CreatedAt, string Note,
    string Markdown, IReadOnlyList<Platform.Text.DiffLine> Changes, int? PdfLength);
