using System.Security.Claims;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Accounts;

/// <summary>
/// The one rule for acting on a unit's work (moderating its comments, preparing its reports, running its meetings and
/// events): admins may act for every unit, staff for their own unit only. What belongs to no unit (the district
/// government's own meetings, messages on the general board not yet assigned) is the district office's
/// (<see cref="Admin.Unit.IsDistrictOffice"/>, 区政府办公室).
/// </summary>
public static class UnitAccess
{
    public static async Task<bool> CanActForAsync(EngagementDbContext db, ClaimsPrincipal user, int? unitId, CancellationToken ct = default)
    {
        if (user.IsInRole(Roles.Admin)) return true;
        if (!user.IsInRole(Roles.Staff) || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) return false;
        return unitId is null
            ? await db.Users.AnyAsync(u => u.Id == id && u.Unit!.IsDistrictOffice, ct)
            : await db.Users.AnyAsync(u => u.Id == id && u.UnitId == unitId, ct);
    }

    /// <summary>The unit the staff member acts for, and whether it is the district office; null for anyone else.</summary>
    public static async Task<(int UnitId, bool IsDistrictOffice)?> StaffUnitAsync(EngagementDbContext db, ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (!user.IsInRole(Roles.Staff) || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) return null;
        var unit = await db.Users.Where(u => u.Id == id && u.UnitId != null).Select(u => new { UnitId = u.UnitId!.Value, u.Unit!.IsDistrictOffice }).SingleOrDefaultAsync(ct);
        return unit is null ? null : (unit.UnitId, unit.IsDistrictOffice);
    }
}
