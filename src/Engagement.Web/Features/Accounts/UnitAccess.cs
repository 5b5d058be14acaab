using System.Security.Claims;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Accounts;

/// <summary>
/// The one rule for acting on a unit's work (moderating its comments, preparing its reports, running its meetings and
/// events): admins may act for every unit, staff for their own unit only.
/// </summary>
public static class UnitAccess
{
    public static async Task<bool> CanActForAsync(EngagementDbContext db, ClaimsPrincipal user, int? unitId, CancellationToken ct = default)
    {
        if (user.IsInRole(Roles.Admin)) return true;
        if (unitId is null || !user.IsInRole(Roles.Staff)) return false;
        return Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            && await db.Users.AnyAsync(u => u.Id == id && u.UnitId == unitId, ct);
    }
}
