using System.Globalization;
using System.Text;
using Engagement.Web.Platform.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Features.Statistics;

public sealed record StatisticsPageView(StatisticsFigures Figures, IReadOnlyList<Admin.Unit> Units, IReadOnlyList<int> Years);

/// <summary>The public statistics page (2023 §二十): charts with the same figures as tables, by year and unit, and a CSV download.</summary>
[AllowAnonymous]
public sealed class StatisticsController(StatisticsService statistics, TimeProvider clock) : Controller
{
    [HttpGet("/statistics"), Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Platform.Web.PublicPagePolicy.Name)]
    public async Task<IActionResult> Index(int? year, int? unit, CancellationToken ct)
    {
        if (Resolve(year) is not { } y) return BadRequest();
        var units = await statistics.UnitsAsync(ct);
        if (unit is not null && units.All(u => u.Id != unit)) return NotFound();
        var current = ChinaTime.Today(clock).Year;
        var years = Enumerable.Range(2022, Math.Max(1, current - 2022 + 1)).Reverse().Append(y).Distinct().OrderDescending().ToList();
        return View(new StatisticsPageView(await statistics.ForAsync(y, unit, ct), units, years));
    }

    [HttpGet("/statistics.csv")]
    public async Task<IActionResult> Csv(int? year, int? unit, CancellationToken ct)
    {
        if (Resolve(year) is not { } y) return BadRequest();
        if (unit is not null && (await statistics.UnitsAsync(ct)).All(u => u.Id != unit)) return NotFound();
        var f = await statistics.ForAsync(y, unit, ct);
        return File(StatisticsCsv.Write(f), "text/csv; charset=utf-8", unit is null ? $"statistics-{y}.csv" : $"statistics-{y}-unit-{unit}.csv");
    }

    /// <summary>A unit's page: what it handled, from the same figures as the statistics page.</summary>
    [HttpGet("/units/{id:int}"), Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Platform.Web.PublicPagePolicy.Name)]
    public async Task<IActionResult> Unit(int id, int? year, CancellationToken ct)
    {
        if (Resolve(year) is not { } y) return BadRequest();
        var unit = (await statistics.UnitsAsync(ct)).SingleOrDefault(u => u.Id == id);
        if (unit is null) return NotFound();
        return View(new StatisticsPageView(await statistics.ForAsync(y, id, ct), [unit], [y]));
    }

    private int? Resolve(int? year)
    {
        var y = year ?? ChinaTime.Today(clock).Year;
        return StatisticsService.IsValidYear(y) ? y : null;
    }
}

public static class StatisticsApi
{
    public static IServiceCollection AddStatistics(this IServiceCollection services) => services.AddScoped<StatisticsService>();

    public static IEndpointRouteBuilder MapStatistics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/statistics", Get).WithTags("Statistics").AllowAnonymous()
            .WithSummary("The handling figures of a year (default: this year), for the district or one unit: messages, consultations and comments per month, adoption, meetings with public representatives against the target, Open Month events and attendance.");
        return app;
    }

    private static async Task<Results<Ok<StatisticsFigures>, ProblemHttpResult>> Get(string? year, string? unit, StatisticsService statistics, TimeProvider clock, CancellationToken ct)
    {
        var y = ChinaTime.Today(clock).Year;
        if (!string.IsNullOrEmpty(year) && (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out y) || !StatisticsService.IsValidYear(y)))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid year", detail: $"year is a number from {StatisticsService.FirstYear} to {StatisticsService.LastYear}.");
        }
        int? unitId = null;
        if (!string.IsNullOrEmpty(unit))
        {
            if (!int.TryParse(unit, NumberStyles.None, CultureInfo.InvariantCulture, out var u))
            {
                return TypedResults.Problem(statusCode: 400, title: "Invalid unit", detail: "unit is a unit's number.");
            }
            if ((await statistics.UnitsAsync(ct)).All(x => x.Id != u)) return TypedResults.Problem(statusCode: 404, title: "No such unit", detail: $"There is no unit {u}.");
            unitId = u;
        }
        return TypedResults.Ok(await statistics.ForAsync(y, unitId, ct));
    }
}

/// <summary>The figures as one CSV table (section, item, value), UTF-8 with BOM for spreadsheet programs.</summary>
public static class StatisticsCsv
{
    public static byte[] Write(StatisticsFigures f)
    {
        var csv = new StringBuilder("section,item,value\r\n");
        void Row(string section, string item, object? value) =>
            csv.Append(CultureInfo.InvariantCulture, $"{section},{Quote(item)},{Convert.ToString(value, CultureInfo.InvariantCulture)}\r\n");
        Row("scope", "year", f.Year);
        Row("scope", "unit", f.Unit ?? "district");
        var m = f.Messages;
        Row("messages", "received", m.Received);
        Row("messages", "replied", m.Replied);
        Row("messages", "repliedOnTime", m.OnTime);
        Row("messages", "onTimeRate", m.OnTimeRate);
        Row("messages", "medianWorkingDays", m.MedianWorkingDays);
        Row("messages", "open", m.Open);
        Row("messages", "overdue", m.Overdue);
        foreach (var u in m.ByUnit)
        {
            var name = u.Unit ?? "unassigned";
            Row("messagesByUnit", name + " received", u.Received);
            Row("messagesByUnit", name + " replied", u.Replied);
            Row("messagesByUnit", name + " onTimeRate", u.OnTimeRate);
            Row("messagesByUnit", name + " medianWorkingDays", u.MedianWorkingDays);
        }
        foreach (var month in f.Months)
        {
            Row("consultations", $"{f.Year}-{month.Month:00}", month.Consultations);
            Row("comments", $"{f.Year}-{month.Month:00}", month.Comments);
        }
        Row("adoption", "reports", f.Adoption.Reports);
        Row("adoption", "adopted", f.Adoption.Adopted);
        Row("adoption", "partlyAdopted", f.Adoption.PartlyAdopted);
        Row("adoption", "notAdopted", f.Adoption.NotAdopted);
        Row("adoption", "outOfScope", f.Adoption.OutOfScope);
        Row("adoption", "adoptionRate", f.Adoption.AdoptionRate);
        Row("meetings", "meetings", f.Meetings.Meetings);
        Row("meetings", "withRepresentatives", f.Meetings.WithRepresentatives);
        Row("meetings", "target", f.Meetings.Target);
        Row("openMonth", "events", f.OpenMonth.Events);
        Row("openMonth", "places", f.OpenMonth.Places);
        Row("openMonth", "registered", f.OpenMonth.Registered);
        Row("openMonth", "attended", f.OpenMonth.Attended);
        Row("openMonth", "attendanceRate", f.OpenMonth.AttendanceRate);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static string Quote(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0])) value = "'" + value;
        return "\"" + value.Replace("\"", "\"\"") + "\"";
    }
}
