using System.Globalization;
using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Features.Calendar;

public sealed record DeadlineResponse(string From, int Days, string Deadline);
public sealed record WorkingDayResponse(string Date, bool IsWorkingDay, string? Holiday);
public sealed record CalendarYearResponse(int Year, int Entries, int OffDays, int MakeUpDays, IReadOnlyList<string> Papers, DateTimeOffset LoadedAt);

public static class CalendarApi
{
    public static IServiceCollection AddCalendar(this IServiceCollection services)
    {
        services.AddScoped<CalendarService>();
        return services;
    }

    public static IEndpointRouteBuilder MapCalendar(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/working-days").WithTags("Working days");

        api.MapGet("/deadline", Deadline)
            .WithSummary("The last day of a period of N working days after an event (counted from the next day).")
            .AllowAnonymous();
        api.MapGet("/{date}", IsWorkingDay)
            .WithSummary("Whether a date is a working day on the State Council calendar.")
            .AllowAnonymous();
        api.MapGet("/calendars", async (CalendarService calendars, CancellationToken ct) =>
                TypedResults.Ok((await calendars.YearsAsync(ct)).Select(y => new CalendarYearResponse(y.Year, y.Entries, y.OffDays, y.MakeUpDays, y.Papers, y.LoadedAt))))
            .WithSummary("The years whose holiday notice is loaded.")
            .AllowAnonymous();
        api.MapGet("/calendars/{year:int}", async Task<Results<ContentHttpResult, ProblemHttpResult>> (int year, CalendarService calendars, CancellationToken ct) =>
                await calendars.YearAsync(year, ct) is { } loaded
                    ? TypedResults.Content(HolidayCalendarFile.Write(loaded), "application/json; charset=utf-8")
                    : TypedResults.Problem(statusCode: 404, title: "Calendar not loaded", detail: $"The working-day calendar for {year} is not loaded."))
            .WithSummary("A loaded year, in the holiday-cn format it was uploaded in.")
            .AllowAnonymous();
        api.MapPut("/calendars/{year:int}", Upload)
            .WithSummary("Load or replace a year's calendar (holiday-cn JSON format). Admin only; audited.")
            .Accepts<object>("application/json")
            .RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .DisableAntiforgery();
        return app;
    }

    internal static async Task<Results<Ok<DeadlineResponse>, ProblemHttpResult>> Deadline(
        [FromQuery] string? from, [FromQuery] string? days, CalendarService calendars, CancellationToken ct)
    {
        if (!TryParseDate(from, out var start))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid 'from'", detail: "'from' must be a date written YYYY-MM-DD, for example 2026-09-30.");
        }
        if (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1 || count > WorkingDayCalendar.MaxDays)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid 'days'",
                detail: $"'days' must be a whole number of working days from 1 to {WorkingDayCalendar.MaxDays}.");
        }
        var calendar = await calendars.CurrentAsync(ct);
        try
        {
            var deadline = calendar.AddWorkingDays(start, count);
            return TypedResults.Ok(new DeadlineResponse(Format(start), count, Format(deadline)));
        }
        catch (CalendarMissingException missing)
        {
            return TypedResults.Problem(statusCode: 422, title: "Working-day calendar missing", detail: missing.Message,
                extensions: new Dictionary<string, object?> { ["year"] = missing.Year });
        }
    }

    private static async Task<Results<Ok<WorkingDayResponse>, ProblemHttpResult>> IsWorkingDay(string date, CalendarService calendars, CancellationToken ct)
    {
        if (!TryParseDate(date, out var day))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid date", detail: "The date must be written YYYY-MM-DD.");
        }
        var calendar = await calendars.CurrentAsync(ct);
        try
        {
            return TypedResults.Ok(new WorkingDayResponse(Format(day), calendar.IsWorkingDay(day), calendar.Special(day)?.Name));
        }
        catch (CalendarMissingException missing)
        {
            return TypedResults.Problem(statusCode: 422, title: "Working-day calendar missing", detail: missing.Message,
                extensions: new Dictionary<string, object?> { ["year"] = missing.Year });
        }
    }

    private static async Task<Results<Ok<CalendarYearResponse>, ProblemHttpResult>> Upload(
        int year, HttpRequest request, CalendarService calendars, ClaimsPrincipal user, CancellationToken ct)
    {
        if (year < 2000 || year > 2100)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid year", detail: "The year must be between 2000 and 2100.");
        }
        if (request.ContentLength > HolidayCalendarFile.MaxBytes)
        {
            return TypedResults.Problem(statusCode: 413, title: "File too large", detail: $"A calendar file is at most {HolidayCalendarFile.MaxBytes / 1024} KB.");
        }
        var json = await ReadBodyAsync(request, HolidayCalendarFile.MaxBytes, ct);
        if (json is null)
        {
            return TypedResults.Problem(statusCode: 413, title: "File too large", detail: $"A calendar file is at most {HolidayCalendarFile.MaxBytes / 1024} KB.");
        }
        var result = await calendars.ReplaceYearAsync(year, json, user.Identity?.Name ?? "admin", ct);
        if (!result.IsValid)
        {
            return TypedResults.Problem(statusCode: 422, title: "The calendar file has errors",
                detail: $"Nothing was stored. {result.Messages[0]}",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["file"] = result.Messages.ToArray() } });
        }
        var summary = (await calendars.YearsAsync(ct)).Single(y => y.Year == year);
        return TypedResults.Ok(new CalendarYearResponse(summary.Year, summary.Entries, summary.OffDays, summary.MakeUpDays, summary.Papers, summary.LoadedAt));
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes of UTF-8; null when the body is longer.</summary>
    internal static async Task<string?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return new System.Text.UTF8Encoding(false, false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    internal static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
