using System.ComponentModel.DataAnnotations;
using Engagement.Web.Platform.Audit;

namespace Engagement.Web.Features.Admin;

public sealed record AdminHomeView(int? NextYearCalendarMissing, Engagement.Web.Features.Consultation.CatalogOverdue? CatalogOverdue,
    int Units, int Users, int OutboxPending, int OutboxFailed, IReadOnlyList<AuditEntry> RecentAudit,
    IReadOnlyList<int> ReportCalendarMissing, int ReportsOverdue, Engagement.Web.Features.Meetings.TrackerRow MeetingsWithRepresentatives,
    int MessagesOverdue, string? MailPickupFolder);

public sealed class UnitForm
{
    public int? Id { get; set; }

    [Required(ErrorMessage = "Validation.Required"), StringLength(60, ErrorMessage = "Validation.Length")]
    [Display(Name = "Field.UnitName")]
    public string Name { get; set; } = "";

    [StringLength(120, ErrorMessage = "Validation.Length")]
    [Display(Name = "Field.UnitNameEn")]
    public string? NameEn { get; set; }

    [Display(Name = "Field.UnitKind")]
    public UnitKind Kind { get; set; } = UnitKind.Bureau;

    [Display(Name = "Field.Active")]
    public bool IsActive { get; set; } = true;

    /// <summary>Assigns the general board's messages and runs the district government's meetings.</summary>
    public bool IsDistrictOffice { get; set; }
}

public sealed record UnitsView(IReadOnlyList<UnitRow> Units, UnitForm Form);
public sealed record UnitRow(int Id, string Name, string NameEn, UnitKind Kind, bool IsActive, int Staff, bool IsDistrictOffice = false);

public sealed record UserRow(Guid Id, string Email, string DisplayName, bool EmailConfirmed, string? Unit, IReadOnlyList<string> Roles, bool LockedOut);
public sealed record UsersView(string? Query, IReadOnlyList<UserRow> Users, int Total, int Page, int PageSize);

public sealed class UserRolesForm
{
    public Guid Id { get; set; }
    public List<string> Roles { get; set; } = [];
    [Display(Name = "Field.Unit")]
    public int? UnitId { get; set; }
}

public sealed record UserEditView(Guid Id, string Email, string DisplayName, UserRolesForm Form, IReadOnlyList<UnitRow> Units, UserAccess Access);

/// <summary>How the person signs in, for the admin: open sign-ins, a pause on failed sign-ins, disabled, second factor.</summary>
public sealed record UserAccess(int SignIns, DateTimeOffset? PausedUntil, bool Disabled, bool TwoFactor, bool IsSelf);

public sealed record AuditFilter(string? Actor, string? Action, string? Entity, DateOnly? From, DateOnly? To, int Page = 1, string? Item = null)
{
    /// <summary>The filter as a query string, for the pages and the download.</summary>
    public string Query(int? page = null) =>
        $"Actor={Uri.EscapeDataString(Actor ?? "")}&Action={Uri.EscapeDataString(Action ?? "")}&Entity={Uri.EscapeDataString(Entity ?? "")}&Item={Uri.EscapeDataString(Item ?? "")}"
        + $"&From={From?.ToString("yyyy-MM-dd")}&To={To?.ToString("yyyy-MM-dd")}" + (page is { } p ? $"&Page={p}" : "");
}

public sealed record AuditView(AuditFilter Filter, IReadOnlyList<AuditLine> Entries, int Total, int PageSize, IReadOnlyList<(string Code, string Words)> Actions,
    IReadOnlyList<(string Code, string Words)> Entities);
