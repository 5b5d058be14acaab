using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Features.Adoption;

/// <summary>The public adoption report of a decision, each published version, and its downloads.</summary>
[Route("decisions/{id:int}/report"), AllowAnonymous]
public sealed class ReportsController(AdoptionService reports) : Controller
{
    [HttpGet("")]
    public Task<IActionResult> Index(int id, CancellationToken ct) => ShowAsync(id, null, ct);

    [HttpGet("versions/{version:int}")]
    public Task<IActionResult> Version(int id, int version, CancellationToken ct) => ShowAsync(id, version, ct);

    [HttpGet("/decisions/{id:int}/report.json")]
    public async Task<IActionResult> Json(int id, int? version, CancellationToken ct) =>
        await reports.ReportAsync(id, version, ct) is { } report
            ? File(JsonSerializer.SerializeToUtf8Bytes(report, AdoptionService.Json), "application/json; charset=utf-8", $"adoption-report-{id}-v{report.Version}.json")
            : NotFound();

    [HttpGet("/decisions/{id:int}/report.csv")]
    public async Task<IActionResult> Csv(int id, int? version, CancellationToken ct) =>
        await reports.ReportAsync(id, version, ct) is { } report
            ? File(AdoptionApi.ToCsv(report), "text/csv; charset=utf-8", $"adoption-report-{id}-v{report.Version}.csv")
            : NotFound();

    private async Task<IActionResult> ShowAsync(int id, int? version, CancellationToken ct)
    {
        var report = await reports.ReportAsync(id, version, ct);
        if (report is null) return NotFound();
        var versions = await reports.VersionsAsync(id, ct);
        return View("Index", new ReportPageView(report, versions, versions[0].Version == report.Version));
    }
}
