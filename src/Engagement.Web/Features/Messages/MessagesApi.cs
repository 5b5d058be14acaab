using System.Security.Claims;
using Engagement.Web.Platform;
using System.Text.Json;
using Engagement.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Engagement.Web.Features.Messages;

public sealed record MessageRequest(string? Text, int? DecisionId, bool? ConsentToPublish);

public sealed record MessageCreated(long Id, string Page, string Status, DateOnly? DueOn);

public sealed record MessagePage(int Page, int PageSize, int Total, IReadOnlyList<PublicMessage> Items);

public static class MessagesApi
{
    public const string RateLimit = "messages";
    private const int BodyLimit = 16 * 1024;

    public static IServiceCollection AddMessages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPerAccountRateLimit(configuration, RateLimit, "RateLimiting:MessagesPerMinute", 5);
        services.AddScoped<MessageService>();
        services.AddHostedService<MessageReminderService>();
        return services;
    }

    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/messages").WithTags("Online messages");
        group.MapGet("", List).AllowAnonymous()
            .WithSummary("Published messages (personal data masked) with message time, reply time, replying unit and reply; unit= filters by replying unit.");
        group.MapPost("", Post).RequireAuthorization(p => p.RequireRole(Roles.Resident)).RequireRateLimiting(RateLimit).DisableAntiforgery()
            .WithSummary("Leave a message on the general board, or on a decision's page with decisionId. The reply is due in 5 working days (1 if staff find it simple).");
        return app;
    }

    private static async Task<Results<Ok<MessagePage>, ProblemHttpResult>> List(int? unit, bool? published, int? page, int? pageSize, MessageService messages, CancellationToken ct)
    {
        if (published == false)
        {
            return TypedResults.Problem(statusCode: 403, title: "Not public", detail: "Only published messages are public; staff handle the others at /staff/messages.");
        }
        var p = page ?? 1;
        var size = pageSize ?? 20;
        if (p is < 1 or > 100_000 || size is < 1 or > 100)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid paging", detail: "page is 1 to 100000; pageSize is 1 to 100.");
        }
        var (items, total) = await messages.PublishedAsync(null, unit, (p - 1) * size, size, ct);
        return TypedResults.Ok(new MessagePage(p, size, total, items));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static async Task<IResult> Post(HttpRequest request, ClaimsPrincipal user, MessageService messages, CancellationToken ct)
    {
        var tooLarge = TypedResults.Problem(statusCode: 413, title: "Too large", detail: "A message request is at most 16 KB.");
        if (request.ContentLength > BodyLimit) return tooLarge;
        // Read at most one byte past the limit whatever the headers say: a chunked body has no Content-Length.
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, BodyLimit + 1 - buffer.Length)), ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > BodyLimit) return tooLarge;
        }
        MessageRequest? body = null;
        try
        {
            if (request.HasJsonContentType()) body = JsonSerializer.Deserialize<MessageRequest>(buffer.ToArray(), Json);
        }
        catch (JsonException)
        {
        }
        if (body is null)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid JSON", detail: "Send {\"text\", \"decisionId\"?, \"consentToPublish\"?} as JSON.");
        }
        var userId = Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var result = await messages.SubmitAsync(userId, new MessageInput(body.Text, body.DecisionId, body.ConsentToPublish ?? false), ct);
        return result.Outcome switch
        {
            MessageOutcome.Done => TypedResults.Created($"/messages/mine#message-{result.Message!.Id}",
                new MessageCreated(result.Message.Id, result.Message.Page, "received", result.Message.DueOn)),
            MessageOutcome.Duplicate => TypedResults.Problem(statusCode: 409, title: "Duplicate message", detail: result.Error,
                extensions: new Dictionary<string, object?> { ["existingId"] = result.ExistingId }),
            _ => TypedResults.Problem(statusCode: 422, title: "Invalid message", detail: result.Error,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [result.Field!] = [result.Error!] } }),
        };
    }
}

/// <summary>Every hour (Messages:ReminderPollMinutes): reminders before and on the due date, escalation once overdue.</summary>
public sealed class MessageReminderService(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<MessageReminderService> logger)
    : Platform.PeriodicJob(scopes, configuration, logger, "Messages:RemindersEnabled", "Messages:ReminderPollMinutes")
{
    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var sent = await services.GetRequiredService<MessageService>().SendRemindersAsync(ct);
        if (sent > 0) logger.LogInformation("Sent {Count} message reminders and escalations", sent);
    }
}
