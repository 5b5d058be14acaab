using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Consultation;

public sealed record CatalogOverdue(int Year, int Days);

/// <summary>The year's catalog is published by 31 March (2022 §四(一), 2023 §十九); after that an unpublished one is overdue.</summary>
public sealed class CatalogPublishing(EngagementDbContext db, AuditWriter audit, TimeProvider clock)
{
    public async Task<CatalogOverdue?> OverdueAsync(CancellationToken ct = default)
    {
        var today = ChinaTime.Today(clock);
        var due = DecisionCatalog.DueOn(today.Year);
        if (today <= due) return null;
        var published = await db.Set<DecisionCatalog>().AnyAsync(c => c.Year == today.Year && c.UnitId == null && c.PublishedOn != null, ct);
        return published ? null : new CatalogOverdue(today.Year, today.DayNumber - due.DayNumber);
    }

    public async Task PublishAsync(int year, CancellationToken ct = default)
    {
        var catalog = await EnsureAsync(db, year, null, ct);
        if (catalog.PublishedOn is not null) return;
        catalog.PublishedOn = ChinaTime.Today(clock);
        audit.Record("catalog.publish", nameof(DecisionCatalog), catalog.Id.ToString(), null, new { Year = year, catalog.PublishedOn });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The year's catalog of the district (unit null) or of a unit, created when missing. The unique indexes decide
    /// when two requests create it at once: the loser reads the winner's.
    /// </summary>
    public static async Task<DecisionCatalog> EnsureAsync(EngagementDbContext db, int year, int? unitId, CancellationToken ct = default)
    {
        var catalog = await db.Set<DecisionCatalog>().SingleOrDefaultAsync(c => c.Year == year && c.UnitId == unitId, ct);
        if (catalog is not null) return catalog;
        catalog = db.Add(new DecisionCatalog { Year = year, UnitId = unitId }).Entity;
        try
        {
            await db.SaveChangesAsync(ct);
            return catalog;
        }
        catch (DbUpdateException)
        {
            db.Entry(catalog).State = EntityState.Detached;
            return await db.Set<DecisionCatalog>().SingleAsync(c => c.Year == year && c.UnitId == unitId, ct);
        }
    }
}

[Authorize(Roles = Roles.Admin), Route("admin/catalogs")]
public sealed class CatalogAdminController(CatalogPublishing catalogs) : Controller
{
    [HttpPost("{year:int}/publish")]
    public async Task<IActionResult> Publish(int year, CancellationToken ct)
    {
        if (year is < 2000 or > 2100) return BadRequest();
        await catalogs.PublishAsync(year, ct);
        return Redirect("/admin");
    }
}
