using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Meetings;

public sealed record ApplicationRequest(string? RealName, string? Phone, string? Category, string? Connection, string? Statement, bool Consent);
public sealed record SeedRequest(string? Seed);
public sealed record CorrectionRequest(string? Result, string? Reason);
public sealed record RespondRequest(bool Confirm);
public sealed record EligibilityRequest(bool Eligible, string? Reason);

public static class MeetingsApi
{
    public static IServiceCollection AddMeetings(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MeetingOptions>(configuration.GetSection("Meetings"));
        services.AddScoped<MeetingService>();
        services.AddScoped<TopicPollService>();
        services.AddScoped<Home.IOpenNowSource, MeetingsOpenNow>();
        services.AddHostedService<MeetingMaintenanceService>();
        return services;
    }

    public static IEndpointRouteBuilder MapMeetings(this IEndpointRouteBuilder app)
    {
        var meetings = app.MapGroup("/api/v1/meetings").WithTags("Meetings and public representatives");
        meetings.MapGet("", async (MeetingService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)))
            .AllowAnonymous().WithSummary("Meetings open to public representatives, newest first.");
        meetings.MapGet("/{id:int}", Get).AllowAnonymous().WithSummary("One meeting with its topics and seats.");
        meetings.MapGet("/{id:int}/draw", Draw).AllowAnonymous()
            .WithSummary("The draw: seed source and seed, the frozen list and its SHA-256, ranking, selected, waitlist and replacements (docs/SELECTION.md).");
        meetings.MapGet("/{id:int}/opinions", async (int id, MeetingService service, CancellationToken ct) => TypedResults.Ok(await service.OpinionsAsync(id, null, ct)))
            .AllowAnonymous().WithSummary("What the representatives said and whether it was adopted.");

        meetings.MapGet("/tracker", async (int? year, TopicPollService polls, TimeProvider clock, CancellationToken ct) =>
                TypedResults.Ok(await polls.TrackerAsync(year is >= 2000 and <= 2100 ? year.Value : Platform.Time.ChinaTime.Today(clock).Year, ct)))
            .AllowAnonymous().WithSummary("Meetings held in a year and how many had public representatives, for the district (target 4) and each unit.");
        var polls = app.MapGroup("/api/v1/topic-polls").WithTags("Meetings and public representatives");
        polls.MapGet("", async (TopicPollService service, CancellationToken ct) => TypedResults.Ok(await service.PollsAsync(null, ct)))
            .AllowAnonymous().WithSummary("Public solicitations of meeting topics, each with its tally.");
        polls.MapGet("/{id:int}", async Task<Results<Ok<PollView>, NotFound>> (int id, TopicPollService service, CancellationToken ct) =>
                await service.PollAsync(id, null, ct) is { } poll ? TypedResults.Ok(poll) : TypedResults.NotFound())
            .AllowAnonymous().WithSummary("One solicitation with its public tally.");
        polls.MapPost("/{id:int}/votes", Vote).DisableAntiforgery()
            .RequireAuthorization(p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireRole(Roles.Resident))
            .WithSummary("Vote for a catalog item to be discussed (one vote per person per item).");

        var resident = app.MapGroup("/api/v1/meetings").WithTags("Meetings and public representatives").DisableAntiforgery()
            .RequireAuthorization(p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireRole(Roles.Resident));
        resident.MapPost("/{id:int}/applications", Apply).WithSummary("Apply to attend (one application per person per meeting).");
        resident.MapPost("/{id:int}/response", Respond).WithSummary("A selected applicant confirms (confirm: true) or declines the seat.");

        var staff = app.MapGroup("/api/v1/meetings").WithTags("Meetings and public representatives").DisableAntiforgery()
            .RequireAuthorization(p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireRole(Roles.Staff, Roles.Admin));
        staff.MapPost("/{id:int}/seed", Seed).WithSummary("Enter the announced lottery result as published ({\"seed\": \"2026142: 03 07 12 19 25 31 + 09\"}) once it is drawn: refused before the freeze, before the announced draw time, for another draw, and a second time. Reveals the committed secret and runs the draw.");
        staff.MapPost("/{id:int}/result/correction", Correct).RequireAuthorization(p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireRole(Roles.Admin))
            .WithSummary("Admin only: correct a mistyped lottery result ({\"result\", \"reason\"}), while nobody has answered their seat; both entries and the reason are published.");
        staff.MapPut("/applications/{applicationId:long}/eligibility", Eligibility).WithSummary("Mark an application eligible or ineligible (with a reason the applicant sees), before the freeze.");
        return app;
    }

    public sealed record VoteRequest(int DecisionId);

    private static async Task<IResult> Vote(int id, VoteRequest request, TopicPollService service, ClaimsPrincipal user, CancellationToken ct) =>
        await service.VoteAsync(id, request.DecisionId, Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!), ct) switch
        {
            VoteOutcome.Counted => TypedResults.Created($"/api/v1/topic-polls/{id}", new { pollId = id, request.DecisionId }),
            VoteOutcome.NotFound => TypedResults.NotFound(),
            VoteOutcome.Duplicate => TypedResults.Problem(statusCode: 409, title: "Already voted", detail: "One vote per person per item."),
            VoteOutcome.Closed => TypedResults.Problem(statusCode: 422, title: "Voting is not open", detail: "This solicitation is not taking votes now."),
            _ => TypedResults.Problem(statusCode: 422, title: "Not in the catalog", detail: "Vote for an item of this year's decision catalog."),
        };

    private static async Task<Results<Ok<MeetingSummary>, NotFound>> Get(int id, MeetingService service, CancellationToken ct) =>
        await service.SummaryAsync(id, ct) is { } meeting ? TypedResults.Ok(meeting) : TypedResults.NotFound();

    private static async Task<Results<Ok<DrawView>, NotFound>> Draw(int id, MeetingService service, CancellationToken ct) =>
        await service.DrawAsync(id, ct) is { } draw ? TypedResults.Ok(draw) : TypedResults.NotFound();

    private static async Task<IResult> Apply(int id, ApplicationRequest request, MeetingService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var connection = Enum.TryParse<DistrictConnection>(request.Connection, true, out var c) && Enum.IsDefined(c) ? c : (DistrictConnection?)null;
        var result = await service.ApplyAsync(id, Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!), new ApplicationForm
        {
            RealName = request.RealName, Phone = request.Phone, Category = request.Category, Connection = connection, Statement = request.Statement, Consent = request.Consent,
        }, ct);
        return result.Outcome switch
        {
            ApplyOutcome.Created => TypedResults.Created($"/api/v1/meetings/{id}/draw", new { publicId = result.Application!.PublicId, category = RepresentativeDraw.Code(result.Application.Category) }),
            ApplyOutcome.NotFound => TypedResults.NotFound(),
            ApplyOutcome.Duplicate => TypedResults.Problem(statusCode: 409, title: "Already applied", detail: result.Error,
                extensions: new Dictionary<string, object?> { ["publicId"] = result.ExistingPublicId }),
            ApplyOutcome.Closed => TypedResults.Problem(statusCode: 422, title: "Applications are not open", detail: result.Error),
            _ => TypedResults.Problem(statusCode: 422, title: "Invalid application", detail: result.Error,
                extensions: new Dictionary<string, object?> { ["field"] = result.Field }),
        };
    }

    private static async Task<IResult> Respond(int id, RespondRequest request, MeetingService service, ClaimsPrincipal user, CancellationToken ct) =>
        ToResult(await service.RespondAsync(id, Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!), request.Confirm, ct));

    private static async Task<IResult> Seed(int id, SeedRequest request, MeetingService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.EnterSeedAsync(id, user, request.Seed, ct);
        return result.Outcome == MeetingActionOutcome.Done ? TypedResults.Ok(await service.DrawAsync(id, ct)) : ToResult(result);
    }

    private static async Task<IResult> Correct(int id, CorrectionRequest request, MeetingService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.CorrectResultAsync(id, user, request.Result, request.Reason, ct);
        return result.Outcome == MeetingActionOutcome.Done ? TypedResults.Ok(await service.DrawAsync(id, ct)) : ToResult(result);
    }

    private static async Task<IResult> Eligibility(long applicationId, EligibilityRequest request, MeetingService service, ClaimsPrincipal user, CancellationToken ct) =>
        ToResult(await service.SetEligibilityAsync(applicationId, user, request.Eligible, request.Reason, ct));

    private static IResult ToResult(MeetingActionResult result) => result.Outcome switch
    {
        MeetingActionOutcome.Done => TypedResults.NoContent(),
        MeetingActionOutcome.NotFound => TypedResults.NotFound(),
        MeetingActionOutcome.Forbidden => TypedResults.Forbid(),
        MeetingActionOutcome.Conflict => TypedResults.Problem(statusCode: 409, title: "Conflict", detail: result.Error),
        _ => TypedResults.Problem(statusCode: 422, title: "Invalid", detail: result.Error),
    };
}

/// <summary>Each hour: freeze lists whose window has closed, pass on unconfirmed seats, erase old personal data.</summary>
public sealed class MeetingMaintenanceService(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<MeetingMaintenanceService> logger)
    : Platform.PeriodicJob(scopes, configuration, logger, "Meetings:MaintenanceEnabled", "Meetings:MaintenanceMinutes")
{
    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var service = services.GetRequiredService<MeetingService>();
        var db = services.GetRequiredService<Platform.Data.EngagementDbContext>();
        foreach (var id in await db.Set<Meeting>().Where(m => m.FrozenAt == null || m.Seed != null).Select(m => m.Id).ToListAsync(ct))
        {
            await service.FreezeIfDueAsync(id, ct);
            await service.ExpireUnconfirmedAsync(id, ct);
        }
        await service.SendConfirmationRemindersAsync(ct);
        await service.ErasePersonalDataAsync(ct);
    }
}
