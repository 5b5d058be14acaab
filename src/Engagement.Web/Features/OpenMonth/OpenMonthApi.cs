using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Engagement.Web.Features.OpenMonth;

public sealed record RegistrationRequest(int? Companions);

public static class OpenMonthApi
{
    public static IServiceCollection AddOpenMonth(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OpenMonthOptions>(configuration.GetSection("OpenMonth"));
        services.AddScoped<RegistrationService>();
        services.AddScoped<EventAuthoring>();
        services.AddScoped<Home.IOpenNowSource, EventsOpenNow>();
        services.AddScoped<QuestionnaireService>();
        services.AddScoped<ThemeSolicitationService>();
        services.AddHostedService<EventReminderService>();
        return services;
    }

    public static IEndpointRouteBuilder MapOpenMonth(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/api/v1/events").WithTags("Open Month and open-day events");
        events.MapGet("", async Task<Results<Ok<IReadOnlyList<EventResponse>>, ProblemHttpResult>> (DateTimeOffset? from, DateTimeOffset? to, bool? openMonth,
                RegistrationService service, CancellationToken ct) =>
            from > to
                ? TypedResults.Problem(statusCode: 400, title: "Invalid range", detail: "from must not be later than to.")
                : TypedResults.Ok(await service.ListAsync(from?.ToUniversalTime(), to?.ToUniversalTime(), openMonth, ct)))
            .AllowAnonymous().WithSummary("The programme: events overlapping from..to, optionally only the August Open Month (openMonth=true).");
        events.MapGet("/{id:int}", async Task<Results<Ok<EventResponse>, NotFound>> (int id, RegistrationService service, CancellationToken ct) =>
                await service.GetAsync(id, ct) is { } ev ? TypedResults.Ok(ev) : TypedResults.NotFound())
            .AllowAnonymous().WithSummary("One event with its confirmed and waitlisted places.");

        app.MapGet("/api/v1/event-themes", async (ThemeSolicitationService themes, CancellationToken ct) => TypedResults.Ok(await themes.ListAsync(null, ct)))
            .AllowAnonymous().WithTags("Open Month and open-day events").WithSummary("Theme solicitations with every proposal, its votes and whether it was chosen.");
        var resident = app.MapGroup("/api/v1/events").WithTags("Open Month and open-day events").DisableAntiforgery()
            .RequireAuthorization(p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireRole(Roles.Resident));
        resident.MapPost("/{id:int}/registrations", Register)
            .WithSummary("Register yourself (and companions up to OpenMonth:MaxCompanions): confirmed while places last, then waitlisted in arrival order.");
        resident.MapDelete("/{id:int}/registrations/mine", async Task<Results<NoContent, NotFound>> (int id, RegistrationService service, ClaimsPrincipal user, CancellationToken ct) =>
                await service.CancelAsync(id, Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!), ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Cancel your registration; the place goes to the first waiting.");
        return app;
    }

    private static async Task<IResult> Register(int id, RegistrationRequest? request, RegistrationService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.RegisterAsync(id, Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!), request?.Companions ?? 0, ct);
        return result.Outcome switch
        {
            RegisterOutcome.Confirmed => TypedResults.Created($"/api/v1/events/{id}", new { id = result.Registration!.Id, status = "confirmed" }),
            RegisterOutcome.Waitlisted => TypedResults.Created($"/api/v1/events/{id}", new { id = result.Registration!.Id, status = "waitlisted", position = result.Position }),
            RegisterOutcome.NotFound => TypedResults.NotFound(),
            RegisterOutcome.Duplicate => TypedResults.Problem(statusCode: 409, title: "Already registered", detail: result.Error,
                extensions: new Dictionary<string, object?> { ["registrationId"] = result.Registration?.Id }),
            _ => TypedResults.Problem(statusCode: 422, title: "Cannot register", detail: result.Error),
        };
    }
}

/// <summary>Each hour: the day-before reminders of tomorrow's events (once per registration).</summary>
public sealed class EventReminderService(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<EventReminderService> logger)
    : Platform.PeriodicJob(scopes, configuration, logger, "OpenMonth:RemindersEnabled", null)
{
    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<RegistrationService>().SendDayBeforeRemindersAsync(ct);
}
