using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Calendar;

public sealed record CalendarsView(IReadOnlyList<CalendarYearSummary> Years, int? NextYearMissing, int UploadYear, IReadOnlyList<string> Errors, NoticeForm? Notice = null);

/// <summary>One holiday of the State Council's notice as it is written: its name, the days off, and the make-up working days.</summary>
public sealed class NoticeRow
{
    public string? Name { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public string? WorkDays { get; set; }
}

public sealed class NoticeForm
{
    public const int Rows = 8;
    public int Year { get; set; }
    public string? Paper { get; set; }
    public List<NoticeRow> Holidays { get; set; } = [];
}

/// <summary>Admins see which years are loaded and upload the next year's notice when it comes out in the autumn.</summary>
[Authorize(Roles = Roles.Admin), Route("admin/calendars")]
public sealed class CalendarAdminController(CalendarService calendars, TimeProvider clock, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index() => View(await ViewAsync([], null));

    [HttpPost(""), RequestSizeLimit(HolidayCalendarFile.MaxBytes + 64 * 1024)]
    public async Task<IActionResult> Upload(int year, IFormFile? file)
    {
        List<string> errors = [];
        if (year < 2000 || year > 2100) errors.Add(text["Calendar.YearRange"]);
        if (file is null || file.Length == 0) errors.Add(text["Calendar.FileMissing"]);
        else if (file.Length > HolidayCalendarFile.MaxBytes) errors.Add(text["Calendar.FileTooLarge"]);
        if (errors.Count == 0)
        {
            using var reader = new StreamReader(file!.OpenReadStream());
            var result = await calendars.ReplaceYearAsync(year, await reader.ReadToEndAsync(), User.Identity?.Name ?? "admin");
            if (result.IsValid)
            {
                TempData["Status"] = string.Format(text["Calendar.Loaded"], year);
                return RedirectToAction(nameof(Index));
            }
            errors.AddRange(result.Errors.Select(e => e.Format(text["CalendarFile." + e.Code], System.Globalization.CultureInfo.CurrentCulture)));
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Index", await ViewAsync(errors, year));
    }

    /// <summary>
    /// The notice typed in as it reads ("春节：2月16日至22日放假，2月14日、28日上班"), row by row. It becomes the same file
    /// an upload would be and goes through the same checks; each error names its row and holiday.
    /// </summary>
    [HttpPost("notice")]
    public async Task<IActionResult> Notice(NoticeForm form)
    {
        List<string> errors = [];
        if (form.Year < 2000 || form.Year > 2100) errors.Add(text["Calendar.YearRange"]);
        var days = new List<object>();
        var rowOfDay = new List<int>();
        var rows = form.Holidays.Take(NoticeForm.Rows).Select((r, i) => (Row: r, Number: i + 1))
            .Where(x => !string.IsNullOrWhiteSpace(x.Row.Name) || x.Row.From is not null || x.Row.To is not null || !string.IsNullOrWhiteSpace(x.Row.WorkDays)).ToList();
        if (rows.Count == 0) errors.Add(text["Calendar.NoticeEmpty"]);
        foreach (var (row, number) in rows)
        {
            var label = string.Format(text["Calendar.NoticeRow"], number, row.Name?.Trim() ?? "");
            if (string.IsNullOrWhiteSpace(row.Name)) errors.Add(label + text["Calendar.NoticeName"]);
            if (row.From is not { } from || row.To is not { } to) { errors.Add(label + text["Calendar.NoticeDates"]); continue; }
            if (to < from || to.DayNumber - from.DayNumber > 15) { errors.Add(label + text["Calendar.NoticeSpan"]); continue; }
            for (var day = from; day <= to; day = day.AddDays(1))
            {
                days.Add(new { name = row.Name!.Trim(), date = day.ToString("yyyy-MM-dd"), isOffDay = true });
                rowOfDay.Add(number);
            }
            foreach (var piece in (row.WorkDays ?? "").Split([',', '，', '、', ';', '；', ' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!DateOnly.TryParseExact(piece.Trim(), ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d"], System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.None, out var work))
                {
                    errors.Add(label + string.Format(text["Calendar.NoticeWorkDay"], piece.Trim()));
                    continue;
                }
                days.Add(new { name = row.Name!.Trim(), date = work.ToString("yyyy-MM-dd"), isOffDay = false });
                rowOfDay.Add(number);
            }
        }
        if (errors.Count == 0)
        {
            var paper = form.Paper?.Trim();
            var json = System.Text.Json.JsonSerializer.Serialize(new { year = form.Year, papers = string.IsNullOrEmpty(paper) ? Array.Empty<string>() : [paper], days });
            var result = await calendars.ReplaceYearAsync(form.Year, json, User.Identity?.Name ?? "admin");
            if (result.IsValid)
            {
                TempData["Status"] = string.Format(text["Calendar.Loaded"], form.Year);
                return RedirectToAction(nameof(Index));
            }
            // The checks speak of the file's entries; here each is the row it came from.
            errors.AddRange(result.Errors.Select(e => System.Text.RegularExpressions.Regex.Replace(
                e.Format(text["CalendarFile." + e.Code], System.Globalization.CultureInfo.CurrentCulture), @"days\[(\d+)\]",
                m => int.TryParse(m.Groups[1].Value, out var k) && k < rowOfDay.Count ? string.Format(text["Calendar.NoticeRowShort"], rowOfDay[k]) : m.Value)));
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Index", await ViewAsync(errors, form.Year, form));
    }

    private async Task<CalendarsView> ViewAsync(IReadOnlyList<string> errors, int? year, NoticeForm? notice = null)
    {
        var missing = await calendars.NextYearMissingAsync();
        var today = Platform.Time.ChinaTime.Today(clock);
        var forYear = year ?? missing ?? today.Year + 1;
        notice ??= new NoticeForm { Year = forYear };
        while (notice.Holidays.Count < NoticeForm.Rows) notice.Holidays.Add(new NoticeRow());
        return new CalendarsView(await calendars.YearsAsync(), missing, forYear, errors, notice);
    }
}
