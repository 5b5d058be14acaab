using System.Globalization;
using System.Text;
using Engagement.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Engagement.Web.Features.Adoption;

public sealed record IssueRequest(DateOnly? IssuedOn, string? DocumentNumber, string? Link);
public sealed record OutcomeRequest(string? Outcome, string? Reason);
public sealed record ClusterUpdateRequest(string? Title, string? Outcome, string? Reason);
public sealed record MoveRequest(IReadOnlyList<long>? CommentIds, long? TargetClusterId, string? Title);
public sealed record MergeRequest(IReadOnlyList<long>? ClusterIds);
public sealed record EquivalenceRequest(IReadOnlyList<string>? Words, bool? Confirm);
public sealed record PublishRequest(string? Note);

public static class AdoptionApi
{
    public static IServiceCollection AddAdoption(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AdoptionOptions>(configuration.GetSection("Adoption"));
        services.AddScoped<AdoptionService>();
        services.AddHostedService<ReportReminderService>();
        services.AddHostedService<CommentWordsWarmUp>();
        return services;
    }

    public static IEndpointRouteBuilder MapAdoption(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/v1/decisions").WithTags("Adoption reports");
        reports.MapGet("/{id:int}/report", Get).AllowAnonymous()
            .WithSummary("The published adoption report (latest version, or ?version=N); 404 while unpublished.");
        reports.MapGet("/{id:int}/report.csv", Csv).AllowAnonymous()
            .WithSummary("Every comment of the published report with its outcome and reason, as CSV (UTF-8 with BOM).");

        // Staff write through bearer tokens only, so a signed-in browser cannot be made to post here without antiforgery.
        var staff = app.MapGroup("/api/v1/decisions").WithTags("Adoption reports (staff)").DisableAntiforgery()
            .RequireAuthorization(p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireRole(Roles.Staff, Roles.Admin));
        staff.MapPut("/{id:int}/issue", Issue).WithSummary("Record that the decision was issued (date, document number, link); starts the 10-working-day clock.");
        staff.MapGet("/{id:int}/review", Review).WithSummary("The clusters and comments with their outcomes, for preparing the report.");
        staff.MapPost("/{id:int}/review/recluster", Recluster).WithSummary("Cluster again; staff's clusters and pinned comments stay.");
        staff.MapPut("/{id:int}/review/comments/{commentId:long}", CommentOutcome).WithSummary("Record one comment's outcome and reason.");
        staff.MapPut("/{id:int}/review/clusters/{clusterId:long}", UpdateCluster).WithSummary("Name a cluster and/or answer it and all its comments at once.");
        staff.MapPost("/{id:int}/review/move", Move).WithSummary("Move comments to another cluster, or split them into a new one (no targetClusterId).");
        staff.MapPost("/{id:int}/review/merge", Merge).WithSummary("Merge clusters into the first one listed.");
        staff.MapPost("/{id:int}/review/equivalences", Equivalence)
            .WithSummary("Confirm (confirm: true) or dismiss words as meaning the same in the comments of the decision's unit; confirmed ones join its clustering's lexicon.");
        staff.MapPost("/{id:int}/report", Publish).WithSummary("Publish the report (a new version after the first needs a note). 422 lists the widely raised clusters still without an answer.");
        app.MapGet("/api/v1/reports/dashboard", Dashboard).WithTags("Adoption reports (staff)")
            .RequireAuthorization(p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireRole(Roles.Staff, Roles.Admin))
            .WithSummary("Every decided item with its report's due date and working days left.");
        return app;
    }

    private static async Task<Results<Ok<ReportContent>, ProblemHttpResult>> Get(int id, int? version, AdoptionService service, CancellationToken ct) =>
        await service.ReportAsync(id, version, ct) is { } report
            ? TypedResults.Ok(report)
            : TypedResults.Problem(statusCode: 404, title: "No published report", detail: version is null
                ? "The adoption report of this decision has not been published."
                : $"Version {version} of this decision's adoption report does not exist.");

    private static async Task<IResult> Csv(int id, int? version, AdoptionService service, CancellationToken ct)
    {
        var report = await service.ReportAsync(id, version, ct);
        if (report is null) return TypedResults.Problem(statusCode: 404, title: "No published report");
        return Results.File(ToCsv(report), "text/csv; charset=utf-8", $"adoption-report-{id}-v{report.Version}.csv");
    }

    /// <summary>One row per comment; UTF-8 with BOM so spreadsheet programs read the Chinese correctly.</summary>
    public static byte[] ToCsv(ReportContent report)
    {
        var clusters = report.Clusters.ToDictionary(c => c.Id);
        var csv = new StringBuilder("id,channel,paragraph,organization,heldOn,place,participants,createdAt,clusterId,cluster,widelyRaised,outcome,reason,text\r\n");
        foreach (var c in report.Comments)
        {
            var cluster = c.ClusterId is { } cid ? clusters.GetValueOrDefault(cid) : null;
            csv.Append(CultureInfo.InvariantCulture,
                $"{c.Id},{c.Channel},{c.Paragraph},{Field(c.Organization)},{c.HeldOn:yyyy-MM-dd},{Field(c.Place)},{c.Participants},{c.CreatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{c.ClusterId},{Field(cluster?.Title)},{(cluster?.WidelyRaised == true ? "true" : "false")},{c.Outcome},{Field(c.Reason)},{Field(c.Text)}\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    /// <summary>Quoted, and a leading =, +, - or @ defused, so a spreadsheet never runs a comment as a formula.</summary>
    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return "\"" + value.Replace("\"", "\"\"") + "\"";
    }

    private static async Task<IResult> Issue(int id, IssueRequest request, AdoptionService service, HttpContext http, CancellationToken ct) =>
        await ToResultAsync(await service.RecordIssueAsync(id, http.User, new IssueForm { IssuedOn = request.IssuedOn, DocumentNumber = request.DocumentNumber, Link = request.Link }, ct),
            async () => TypedResults.Ok(await service.StatusAsync(id, ct)));

    private static async Task<IResult> Review(int id, AdoptionService service, HttpContext http, Consultation.CommentService comments,
        Platform.Data.EngagementDbContext db, CancellationToken ct)
    {
        if (await UnitAsync(db, id, ct) is not { } unit) return TypedResults.NotFound();
        if (!await comments.CanModerateAsync(http.User, unit, ct)) return TypedResults.Forbid();
        return TypedResults.Ok(ToJson(await service.ReviewAsync(id, ct)));
    }

    private static object? ToJson(ReviewView? view) => view is null ? null : new
    {
        view.DecisionId,
        view.Title,
        IssuedOn = view.Issue?.IssuedOn,
        DueDate = view.Deadline?.DueOn,
        MissingCalendarYear = view.Deadline?.MissingYear,
        view.WorkingDaysLeft,
        view.Total,
        view.Pending,
        view.WithoutOutcome,
        Clusters = view.Clusters.Select(c => new
        {
            c.Id, c.Title, c.IsCurated, c.WidelyRaised, Outcome = c.Outcome is { } o ? AdoptionRules.Code(o) : null, c.Reason, c.BlocksPublication,
            Comments = c.Comments.Select(m => new
            {
                m.Id, Channel = AdoptionRules.Code(m.Channel), m.Text, m.IsPinned,
                Outcome = m.Outcome is { } mo ? AdoptionRules.Code(mo) : null, m.Reason,
            }),
        }),
        Versions = view.Versions,
        Suggestions = view.Suggestions.Select(s => new { s.Words, s.Support }),
    };

    private static async Task<IResult> Recluster(int id, AdoptionService service, HttpContext http, Consultation.CommentService comments,
        Platform.Data.EngagementDbContext db, CancellationToken ct)
    {
        if (await UnitAsync(db, id, ct) is not { } unit) return TypedResults.NotFound();
        if (!await comments.CanModerateAsync(http.User, unit, ct)) return TypedResults.Forbid();
        await service.ReclusterAsync(id, force: true, ct);
        return TypedResults.Ok(ToJson(await service.ReviewAsync(id, ct)));
    }

    private static async Task<IResult> CommentOutcome(int id, long commentId, OutcomeRequest request, AdoptionService service, HttpContext http,
        Platform.Data.EngagementDbContext db, CancellationToken ct)
    {
        // The comment must belong to the decision in the path.
        var belongs = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(
            db.Set<Consultation.Comment>(), c => c.Id == commentId && c.DecisionId == id, ct);
        if (!belongs) return TypedResults.Problem(statusCode: 404, title: "No such comment on this decision");
        return await ToResultAsync(await service.SetCommentOutcomeAsync(commentId, http.User, request.Outcome, request.Reason, ct), () => Task.FromResult<IResult>(TypedResults.NoContent()));
    }

    private static async Task<IResult> UpdateCluster(int id, long clusterId, ClusterUpdateRequest request, AdoptionService service, HttpContext http,
        Platform.Data.EngagementDbContext db, CancellationToken ct)
    {
        var belongs = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(
            db.Set<CommentCluster>(), c => c.Id == clusterId && c.DecisionId == id, ct);
        if (!belongs) return TypedResults.Problem(statusCode: 404, title: "No such cluster on this decision");
        return await ToResultAsync(await service.UpdateClusterAsync(clusterId, http.User, request.Title, request.Outcome, request.Reason, ct), () => Task.FromResult<IResult>(TypedResults.NoContent()));
    }

    private static async Task<IResult> Move(int id, MoveRequest request, AdoptionService service, HttpContext http, CancellationToken ct) =>
        await ToResultAsync(await service.MoveCommentsAsync(id, http.User, request.CommentIds ?? [], request.TargetClusterId, request.Title, ct),
            async () => TypedResults.Ok(ToJson(await service.ReviewAsync(id, ct))));

    private static async Task<IResult> Merge(int id, MergeRequest request, AdoptionService service, HttpContext http, CancellationToken ct) =>
        await ToResultAsync(await service.MergeClustersAsync(id, http.User, request.ClusterIds ?? [], ct),
            async () => TypedResults.Ok(ToJson(await service.ReviewAsync(id, ct))));

    private static async Task<IResult> Equivalence(int id, EquivalenceRequest request, AdoptionService service, HttpContext http, CancellationToken ct) =>
        await ToResultAsync(await service.DecideEquivalenceAsync(id, http.User, request.Words, request.Confirm, ct),
            async () => TypedResults.Ok(ToJson(await service.ReviewAsync(id, ct))));

    private static async Task<IResult> Publish(int id, PublishRequest? request, AdoptionService service, HttpContext http, CancellationToken ct)
    {
        var result = await service.PublishAsync(id, http.User, request?.Note, ct);
        return result.Outcome switch
        {
            PublishOutcome.Published => TypedResults.Created($"/api/v1/decisions/{id}/report?version={result.Version}", await service.ReportAsync(id, result.Version, ct)),
            PublishOutcome.NotFound => TypedResults.NotFound(),
            PublishOutcome.Forbidden => TypedResults.Forbid(),
            PublishOutcome.Conflict => TypedResults.Problem(statusCode: 409, title: "Published at the same moment", detail: result.Error),
            PublishOutcome.Refused => TypedResults.Problem(statusCode: 422, title: "The report cannot be published yet", detail: result.Error,
                extensions: new Dictionary<string, object?>
                {
                    ["clusters"] = result.Blocking!.Select(b => new { b.Id, b.Title, b.Size }),
                    ["commentsWithoutOutcome"] = result.WithoutOutcome,
                    ["commentsPendingModeration"] = result.Pending,
                }),
            _ => TypedResults.Problem(statusCode: 422, title: "The report cannot be published yet", detail: result.Error),
        };
    }

    private static async Task<IResult> Dashboard(AdoptionService service, HttpContext http, Platform.Data.EngagementDbContext db, CancellationToken ct)
    {
        int? unit = null;
        if (!http.User.IsInRole(Roles.Admin))
        {
            var userId = Guid.Parse(http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value);
            unit = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users.Where(u => u.Id == userId).Select(u => u.UnitId), ct) ?? -1;
        }
        var view = await service.DashboardAsync(unit, ct);
        return TypedResults.Ok(new
        {
            Items = view.Rows.Select(r => new
            {
                r.DecisionId, r.Title, r.Unit, r.IssuedOn, r.DocumentNumber, DueDate = r.Deadline.DueOn, MissingCalendarYear = r.Deadline.MissingYear,
                r.WorkingDaysLeft, r.IsOverdue, r.PublishedAt, r.OnTime,
            }),
            view.MissingYears,
        });
    }

    private static async Task<int?> UnitAsync(Platform.Data.EngagementDbContext db, int decisionId, CancellationToken ct) =>
        await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(
            db.Set<Consultation.Decision>().Where(d => d.Id == decisionId).Select(d => (int?)d.UnitId), ct);

    private static async Task<IResult> ToResultAsync(AdoptionResult result, Func<Task<IResult>> done) => result.Outcome switch
    {
        AdoptionOutcome.Done => await done(),
        AdoptionOutcome.NotFound => TypedResults.NotFound(),
        AdoptionOutcome.Forbidden => TypedResults.Forbid(),
        AdoptionOutcome.Conflict => TypedResults.Problem(statusCode: 409, title: "Conflict", detail: result.Error),
        _ => TypedResults.Problem(statusCode: 422, title: "Invalid", detail: result.Error,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [result.Field ?? ""] = [result.Error ?? ""] } }),
    };
}
