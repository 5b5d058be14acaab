using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Calendar;

public sealed record CalendarsView(IReadOnlyList<CalendarYearSummary> Years, int? NextYearMissing, int UploadYear, IReadOnlyList<string> Errors);

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

    private async Task<CalendarsView> ViewAsync(IReadOnlyList<string> errors, int? year)
    {
        var missing = await calendars.NextYearMissingAsync();
        var today = Platform.Time.ChinaTime.Today(clock);
        return new CalendarsView(await calendars.YearsAsync(), missing, year ?? missing ?? today.Year + 1, errors);
    }
}
