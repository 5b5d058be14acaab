using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Engagement.Web.Features.Consultation;

public sealed record DecisionResponse(int Id, int Year, string Title, string Unit, string Status, bool EnterpriseRelated,
    ConsultationPeriod? Consultation, IReadOnlyList<DocumentResponse> Documents);
public sealed record ConsultationPeriod(DateTimeOffset OpensAt, DateTimeOffset ClosesAt);
public sealed record DocumentResponse(string Kind, int Version, DateTimeOffset UpdatedAt, string Url);
public sealed record CommentRequest(string? Text, int? Paragraph, string? OrganizationName, string? CreditCode);
public sealed record CommentCreated(long Id, string Status);
public sealed record CommentResponse(long Id, string Text, int? Paragraph, string Channel, string? Organization, DateTimeOffset CreatedAt,
    DateOnly? HeldOn, string? Place, int? Participants);
public sealed record CommentPage(int Page, int PageSize, int Total, IReadOnlyList<CommentResponse> Items);
public sealed record RejectRequest(string? Reason);

public static class ConsultationApi
{
    public const string CommentRateLimit = "comments";

    public static IServiceCollection AddConsultation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPerAccountRateLimit(configuration, CommentRateLimit, "RateLimiting:CommentsPerMinute", 10);
        services.AddScoped<DecisionQueries>();
        services.AddScoped<Home.IOpenNowSource>(sp => sp.GetRequiredService<DecisionQueries>());
        services.AddScoped<CommentService>();
        services.AddScoped<DecisionAuthoring>();
        services.AddScoped<CatalogPublishing>();
        return services;
    }

    public static IEndpointRouteBuilder MapConsultation(this IEndpointRouteBuilder app)
    {
        var decisions = app.MapGroup("/api/v1/decisions").WithTags("Decisions and comments");
        decisions.MapGet("", List).AllowAnonymous().WithSummary("The decision catalog; status=open gives those open for comment now, status=closed those whose consultation has ended; q searches titles and summaries (Chinese full text).");
        decisions.MapGet("/{id:int}", Get).AllowAnonymous().WithSummary("One decision with its consultation period and documents.");
        decisions.MapGet("/{id:int}/comments", Comments).AllowAnonymous().WithSummary("Published comments, personal data masked, newest first.");
        decisions.MapGet("/{id:int}/comments/export.csv", ExportCsv).AllowAnonymous().WithSummary("Open data: all published comments as CSV (UTF-8 with BOM).");
        decisions.MapGet("/{id:int}/comments/export.json", ExportJson).AllowAnonymous().WithSummary("Open data: all published comments as JSON.");
        decisions.MapPost("/{id:int}/comments", Post)
            .RequireAuthorization(p => p.RequireRole(Roles.Resident))
            .RequireRateLimiting(CommentRateLimit)
            .DisableAntiforgery()
            .WithSummary("Comment on an open draft (optionally on one paragraph). The comment is pending until a moderator approves it.");

        // Bearer tokens only: with antiforgery off, a signed-in browser's cookie must not be enough to moderate.
        var moderation = app.MapGroup("/api/v1/moderation/comments").WithTags("Moderation")
            .RequireAuthorization(p => p.AddAuthenticationSchemes(Microsoft.AspNetCore.Identity.IdentityConstants.BearerScheme).RequireRole(Roles.Staff, Roles.Admin))
            .DisableAntiforgery();
        moderation.MapPost("/{id:long}/approve", Approve).WithSummary("Publish a pending comment (staff of the drafting unit, or an admin).");
        moderation.MapPost("/{id:long}/reject", Reject).WithSummary("Reject a pending comment with a reason its author sees.");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<DecisionResponse>>, ProblemHttpResult>> List(int? year, string? status, string? q, DecisionQueries queries, CancellationToken ct)
    {
        if (q?.Length > DecisionQueries.MaxSearchLength)
        {
            return TypedResults.Problem(statusCode: 400, title: "Search too long", detail: $"q is at most {DecisionQueries.MaxSearchLength} characters.");
        }
        if (status is not null && status is not ("open" or "closed") && !Enum.TryParse<DecisionStatus>(status, true, out _))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid status",
                detail: "status must be open, closed, or one of " + string.Join(", ", Enum.GetNames<DecisionStatus>()) + ".");
        }
        var items = await queries.ListAsync(new DecisionFilter(year, status, Search: q), ct);
        var result = new List<DecisionResponse>();
        foreach (var item in items)
        {
            result.Add(ToResponse(item, (await queries.DetailAsync(item.Id, ct))!.Documents));
        }
        return TypedResults.Ok<IReadOnlyList<DecisionResponse>>(result);
    }

    private static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> Get(int id, DecisionQueries queries, CancellationToken ct) =>
        await queries.DetailAsync(id, ct) is { } detail
            ? TypedResults.Ok(ToResponse(detail.Item, detail.Documents))
            : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no decision {id}.");

    private static async Task<Results<Ok<CommentPage>, ProblemHttpResult>> Comments(int id, int? page, int? pageSize, DecisionQueries queries, CancellationToken ct)
    {
        var p = page ?? 1;
        var size = pageSize ?? 20;
        if (p < 1 || size is < 1 or > 100)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid paging", detail: "page starts at 1; pageSize is 1 to 100.");
        }
        if (await queries.DetailAsync(id, ct) is null) return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no decision {id}.");
        var (comments, total) = await queries.PublishedCommentsAsync(id, p, size, ct);
        return TypedResults.Ok(new CommentPage(p, size, total, comments.Select(ToResponse).ToList()));
    }

    private static async Task<IResult> ExportCsv(int id, DecisionQueries queries, CancellationToken ct)
    {
        if (await queries.DetailAsync(id, ct) is null) return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no decision {id}.");
        var (comments, _) = await queries.PublishedCommentsAsync(id, 1, int.MaxValue, ct);
        var csv = new StringBuilder("id,createdAt,paragraph,channel,organization,heldOn,place,participants,text\r\n");
        foreach (var c in comments)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{c.Id},{c.CreatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{c.Paragraph},{Camel(c.Channel.ToString())},{Csv(c.Organization)},{c.HeldOn:yyyy-MM-dd},{Csv(c.Place)},{c.Participants},{Csv(c.Text)}\r\n");
        }
        // The BOM lets Excel open the Chinese text as UTF-8.
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
        return TypedResults.File(bytes, "text/csv; charset=utf-8", $"decision-{id}-comments.csv");
    }

    private static async Task<IResult> ExportJson(int id, DecisionQueries queries, CancellationToken ct)
    {
        if (await queries.DetailAsync(id, ct) is null) return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no decision {id}.");
        var (comments, _) = await queries.PublishedCommentsAsync(id, 1, int.MaxValue, ct);
        return TypedResults.Json(comments.Select(ToResponse), new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static async Task<IResult> Post(int id, HttpRequest request, ClaimsPrincipal user, CommentService comments, CancellationToken ct)
    {
        const int limit = 64 * 1024;
        var tooLarge = TypedResults.Problem(statusCode: 413, title: "Too large", detail: "A comment request is at most 64 KB.");
        if (request.ContentLength > limit) return tooLarge;
        // Read at most one byte past the limit whatever the headers say: a chunked body has no Content-Length.
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit + 1 - buffer.Length)), ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit) return tooLarge;
        }
        CommentRequest? body;
        try
        {
            if (request.HasJsonContentType() is false) throw new InvalidOperationException("Not JSON");
            body = JsonSerializer.Deserialize<CommentRequest>(buffer.ToArray(), JsonOptions);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid JSON", detail: "Send {\"text\", \"paragraph\"?} as JSON.");
        }
        if (body is null) return TypedResults.Problem(statusCode: 400, title: "Invalid JSON", detail: "Send {\"text\", \"paragraph\"?} as JSON.");
        var userId = Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var result = await comments.SubmitAsync(id, userId, new CommentInput(body.Text, body.Paragraph, body.OrganizationName, body.CreditCode), ct);
        return result.Outcome switch
        {
            SubmitOutcome.Created => TypedResults.Created($"/api/v1/decisions/{id}/comments/{result.Comment!.Id}", new CommentCreated(result.Comment.Id, "pending")),
            SubmitOutcome.NotFound => TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no decision {id}."),
            SubmitOutcome.Closed => TypedResults.Problem(statusCode: 422, title: "Consultation closed", detail: result.Error,
                extensions: new Dictionary<string, object?> { ["closedAt"] = result.ClosedAt }),
            SubmitOutcome.Duplicate => TypedResults.Problem(statusCode: 409, title: "Duplicate comment", detail: result.Error,
                extensions: new Dictionary<string, object?> { ["existingId"] = result.DuplicateOf }),
            _ => TypedResults.Problem(statusCode: 422, title: "Invalid comment", detail: result.Error,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [result.Field!] = [result.Error!] } }),
        };
    }

    private static async Task<IResult> Approve(long id, ClaimsPrincipal user, CommentService comments, CancellationToken ct) =>
        Moderated(await comments.ApproveAsync(id, user, ct: ct), id);

    private static async Task<IResult> Reject(long id, RejectRequest? body, ClaimsPrincipal user, CommentService comments, CancellationToken ct) =>
        Moderated(await comments.RejectAsync(id, user, body?.Reason, ct), id);

    private static IResult Moderated(ModerationOutcome outcome, long id) => outcome switch
    {
        ModerationOutcome.Done => TypedResults.NoContent(),
        ModerationOutcome.NotFound => TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no comment {id}."),
        ModerationOutcome.Forbidden => TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "Only staff of the drafting unit, or an admin, moderate this comment."),
        ModerationOutcome.AlreadyModerated => TypedResults.Problem(statusCode: 409, title: "Already moderated", detail: $"Comment {id} is no longer pending."),
        _ => TypedResults.Problem(statusCode: 422, title: "Invalid", detail: "A reason of 1 to 500 characters is needed."),
    };

    private static DecisionResponse ToResponse(DecisionListItem item, IReadOnlyList<DocumentView> documents) => new(
        item.Id, item.Year, item.Title, item.Unit, ApiStatus(item.Status), item.EnterpriseRelated,
        item.OpensAt is { } opens && item.ClosesAt is { } closes ? new ConsultationPeriod(opens, closes) : null,
        documents.Select(d => new DocumentResponse(Camel(d.Kind.ToString()), d.Version, d.UpdatedAt, $"/decisions/{item.Id}#doc-{d.Kind}")).ToList());

    private static CommentResponse ToResponse(PublicComment c) => new(c.Id, c.Text, c.Paragraph, Camel(c.Channel.ToString()), c.Organization, c.CreatedAt,
        c.HeldOn, c.Place, c.Participants);

    private static string ApiStatus(DecisionStatus status) => Camel(status.ToString());

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static string Csv(string? value) => Platform.Web.Csv.Cell(value);
}

