using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Admin;

/// <summary>The district office for government openness: warnings, units, roles, the audit log.</summary>
[Authorize(Roles = Roles.Admin), Route("admin")]
public sealed class AdminController(EngagementDbContext db, UserManager<User> users, CalendarService calendars,
    Engagement.Web.Features.Consultation.CatalogPublishing catalogs, Engagement.Web.Features.Adoption.AdoptionService adoption,
    Engagement.Web.Features.Meetings.TopicPollService polls, Engagement.Web.Features.Messages.MessageService messages, AuditWriter audit,
    TimeProvider clock, IStringLocalizer<SharedResource> text, IConfiguration configuration, IWebHostEnvironment environment,
    SignInSessions sessions, SignInThrottles throttles) : Controller
{
    private const int PageSize = 50;

    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var recent = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).Take(10).ToListAsync();
        var reports = await adoption.DashboardAsync(null);
        return View(new AdminHomeView(
            await calendars.NextYearMissingAsync(),
            await catalogs.OverdueAsync(),
            await db.Units.CountAsync(),
            await db.Users.CountAsync(),
            await db.OutboxMessages.CountAsync(m => m.SentAt == null && m.Attempts < 10),
            await db.OutboxMessages.CountAsync(m => m.SentAt == null && m.Attempts >= 10),
            recent,
            reports.MissingYears,
            reports.Rows.Count(r => r.IsOverdue),
            (await polls.TrackerAsync(Platform.Time.ChinaTime.Today(clock).Year))[0],
            await messages.OverdueCountAsync(),
            Platform.Hosting.StartupChecks.MailGoesToPickupFolder(configuration, environment)
                ? Path.GetFullPath(configuration["Outbox:PickupDirectory"] ?? "App_Data/mail-pickup", environment.ContentRootPath)
                : null));
    }

    [HttpGet("units")]
    public async Task<IActionResult> Units(int? edit)
    {
        var form = new UnitForm();
        if (edit is not null && await db.Units.FindAsync(edit) is { } unit)
        {
            form = new UnitForm { Id = unit.Id, Name = unit.Name, NameEn = unit.NameEn, Kind = unit.Kind, IsActive = unit.IsActive, IsDistrictOffice = unit.IsDistrictOffice };
        }
        return View(new UnitsView(await UnitRowsAsync(), form));
    }

    [HttpPost("units")]
    public async Task<IActionResult> Units(UnitForm form)
    {
        var name = form.Name?.Trim() ?? "";
        if (ModelState.IsValid && await db.Units.AnyAsync(u => u.Name == name && u.Id != form.Id))
        {
            ModelState.AddModelError(nameof(form.Name), text["Units.Duplicate"]);
        }
        Unit? unit = null;
        if (ModelState.IsValid && form.Id is not null)
        {
            unit = await db.Units.FindAsync(form.Id);
            if (unit is null) return NotFound();
        }
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(new UnitsView(await UnitRowsAsync(), form));
        }

        var before = unit is null ? null : new { unit.Name, unit.NameEn, unit.Kind, unit.IsActive, unit.IsDistrictOffice };
        unit ??= db.Units.Add(new Unit { CreatedAt = clock.GetUtcNow() }).Entity;
        unit.Name = name;
        unit.NameEn = form.NameEn?.Trim() ?? "";
        unit.Kind = form.Kind;
        unit.IsActive = form.IsActive;
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (form.IsDistrictOffice && !unit.IsDistrictOffice)
        {
            // One district office: choosing this unit hands the role over from the one that had it.
            await db.Units.Where(u => u.IsDistrictOffice).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDistrictOffice, false));
        }
        unit.IsDistrictOffice = form.IsDistrictOffice;
        await db.SaveChangesAsync();
        audit.Record(before is null ? "unit.create" : "unit.update", nameof(Unit), unit.Id.ToString(), before,
            new { unit.Name, unit.NameEn, unit.Kind, unit.IsActive, unit.IsDistrictOffice });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        TempData["Status"] = text["Units.Saved"].Value;
        return RedirectToAction(nameof(Units));
    }

    [HttpGet("users")]
    public async Task<IActionResult> Users(string? q, int page = 1)
    {
        page = Math.Max(1, page);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            query = query.Where(u => u.Email!.Contains(term) || u.DisplayName.Contains(term));
        }
        var total = await query.CountAsync();
        var rows = await query.OrderBy(u => u.Email).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(u => new
            {
                u.Id, u.Email, u.DisplayName, u.EmailConfirmed, Unit = u.Unit!.Name, u.LockoutEnd,
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
            })
            .ToListAsync();
        var now = clock.GetUtcNow();
        return View(new UsersView(q, rows.Select(r => new UserRow(r.Id, r.Email ?? "", r.DisplayName, r.EmailConfirmed, r.Unit,
            r.Roles.Order().ToList(), r.LockoutEnd > now)).ToList(), total, page, PageSize));
    }

    [HttpGet("users/{id:guid}")]
    public async Task<IActionResult> EditUser(Guid id)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null) return NotFound();
        var form = new UserRolesForm { Id = id, Roles = (await users.GetRolesAsync(user)).ToList(), UnitId = user.UnitId };
        return View(new UserEditView(id, user.Email ?? "", user.DisplayName, form, await UnitRowsAsync(), await AccessAsync(user)));
    }

    [HttpPost("users/{id:guid}")]
    public async Task<IActionResult> EditUser(Guid id, UserRolesForm form)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null) return NotFound();
        var wanted = form.Roles.Where(Roles.All.Contains).Distinct().ToList();
        if (wanted.Contains(Roles.Staff) && form.UnitId is null)
        {
            ModelState.AddModelError(nameof(form.UnitId), text["Users.StaffNeedsUnit"]);
        }
        if (form.UnitId is not null && !await db.Units.AnyAsync(u => u.Id == form.UnitId))
        {
            ModelState.AddModelError(nameof(form.UnitId), text["Users.UnknownUnit"]);
        }
        if (user.Id.ToString() == users.GetUserId(User) && !wanted.Contains(Roles.Admin))
        {
            // The last way back into this page must not be closed by accident.
            ModelState.AddModelError(nameof(form.Roles), text["Users.CannotDropOwnAdmin"]);
        }
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(new UserEditView(id, user.Email ?? "", user.DisplayName, form, await UnitRowsAsync(), await AccessAsync(user)));
        }

        var current = await users.GetRolesAsync(user);
        var before = new { Roles = current.Order().ToList(), user.UnitId };
        await using var transaction = await db.Database.BeginTransactionAsync();
        user.UnitId = wanted.Contains(Roles.Staff) ? form.UnitId : null;
        await users.UpdateAsync(user);
        await users.RemoveFromRolesAsync(user, current.Except(wanted));
        await users.AddToRolesAsync(user, wanted.Except(current));
        audit.Record("user.roles", nameof(User), user.Id.ToString(), before, new { Roles = wanted.Order().ToList(), user.UnitId });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        // A new role or unit ends the person's sign-ins (cookies, tokens, live connections): they sign in again
        // and get exactly what the new roles allow. An admin editing their own roles stays signed in here.
        if (!current.Order().SequenceEqual(wanted.Order()) || before.UnitId != user.UnitId)
        {
            await sessions.EndAllAsync(user, user.Id == SignInSessions.UserIdOf(User) ? SignInSessions.IdOf(User) : null);
        }
        TempData["Status"] = text["Users.Saved"].Value;
        return RedirectToAction(nameof(Users));
    }

    /// <summary>Ends every sign-in of the person (a lost phone, a leaving clerk, a suspected break-in).</summary>
    [HttpPost("users/{id:guid}/sign-out-everywhere")]
    public async Task<IActionResult> SignOutEverywhere(Guid id)
    {
        if (await users.FindByIdAsync(id.ToString()) is not { } user) return NotFound();
        await sessions.EndAllAsync(user, user.Id == SignInSessions.UserIdOf(User) ? SignInSessions.IdOf(User) : null);
        audit.Record("account.signed-out-everywhere", nameof(User), user.Id.ToString(), null, new { By = "admin" });
        await db.SaveChangesAsync();
        TempData["Status"] = text["Users.SignedOut"].Value;
        return RedirectToAction(nameof(EditUser), new { id });
    }

    /// <summary>Disables the account: every sign-in ends and none is accepted until an admin enables it again.</summary>
    [HttpPost("users/{id:guid}/disable")]
    public async Task<IActionResult> DisableUser(Guid id)
    {
        if (await users.FindByIdAsync(id.ToString()) is not { } user) return NotFound();
        if (user.Id == SignInSessions.UserIdOf(User))
        {
            // The page offers no such button: an admin cannot shut themself out.
            return Conflict(text["Users.CannotDisableSelf"].Value);
        }
        user.LockoutEnabled = true;
        user.LockoutEnd = DateTimeOffset.MaxValue;
        await users.UpdateAsync(user);
        await sessions.EndAllAsync(user);
        audit.Record("account.disabled", nameof(User), user.Id.ToString());
        await db.SaveChangesAsync();
        TempData["Status"] = text["Users.Disabled"].Value;
        return RedirectToAction(nameof(EditUser), new { id });
    }

    [HttpPost("users/{id:guid}/enable")]
    public async Task<IActionResult> EnableUser(Guid id)
    {
        if (await users.FindByIdAsync(id.ToString()) is not { } user) return NotFound();
        user.LockoutEnd = null;
        await users.UpdateAsync(user);
        audit.Record("account.enabled", nameof(User), user.Id.ToString());
        await db.SaveChangesAsync();
        TempData["Status"] = text["Users.Enabled"].Value;
        return RedirectToAction(nameof(EditUser), new { id });
    }

    /// <summary>For a person who lost both phone and recovery codes: the second factor is removed and they set it up again at next sign-in.</summary>
    [HttpPost("users/{id:guid}/two-factor-reset")]
    public async Task<IActionResult> ResetTwoFactor(Guid id)
    {
        if (await users.FindByIdAsync(id.ToString()) is not { } user) return NotFound();
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await sessions.KeepOnlyAsync(user, user.Id == SignInSessions.UserIdOf(User) ? SignInSessions.IdOf(User) : null);
        audit.Record("account.two-factor-off", nameof(User), user.Id.ToString(), null, new { By = "admin" });
        await db.SaveChangesAsync();
        TempData["Status"] = text["Users.TwoFactorReset"].Value;
        return RedirectToAction(nameof(EditUser), new { id });
    }

    private async Task<UserAccess> AccessAsync(User user) =>
        new((await sessions.ListAsync(user)).Count, await throttles.BlockedUntilAsync(SignInThrottles.ForAddress(user.Email ?? "")),
            user.LockoutEnd > clock.GetUtcNow(), user.TwoFactorEnabled, user.Id == SignInSessions.UserIdOf(User));

    [HttpGet("audit")]
    public async Task<IActionResult> Audit([FromQuery] AuditFilter filter)
    {
        var query = Filtered(filter);
        var page = Math.Max(1, filter.Page);
        var total = await query.CountAsync();
        var entries = await query.OrderByDescending(a => a.Id).Skip((page - 1) * PageSize).Take(PageSize).ToListAsync();
        var actions = AuditText.Actions.Select(a => (a, text["Audit.Action." + a].Value)).OrderBy(a => a.Item2).ToList();
        var entities = (await db.AuditEntries.Select(a => a.EntityType).Distinct().ToListAsync()).Order()
            .Select(e => (e, AuditText.Describe(new AuditEntry { EntityType = e }, text).Item)).ToList();
        return View(new AuditView(filter with { Page = page }, entries.Select(e => AuditText.Describe(e, text)).ToList(), total, PageSize, actions, entities));
    }

    /// <summary>The same rows as the page, every one of them (up to 100,000), as CSV in plain language with the codes beside.</summary>
    [HttpGet("audit.csv")]
    public async Task<IActionResult> AuditCsv([FromQuery] AuditFilter filter)
    {
        var entries = await Filtered(filter).OrderByDescending(a => a.Id).Take(100_000).ToListAsync();
        var csv = new System.Text.StringBuilder("\uFEFF");
        string Cell(string? value) => Platform.Web.Csv.Cell(value);
        csv.AppendLine(string.Join(",", new[] { "Audit.Csv.When", "Audit.Csv.Who", "Audit.Csv.What", "Audit.Csv.Item", "Audit.Csv.Changes", "Audit.Csv.Action", "Audit.Csv.Entity", "Audit.Csv.EntityId" }
            .Select(k => Cell(text[k].Value))));
        foreach (var line in entries.Select(e => AuditText.Describe(e, text)))
        {
            var changes = string.Join("；", line.Changes.Select(c => $"{c.Field}: {c.Before ?? "—"} → {c.After ?? "—"}"));
            csv.AppendLine(string.Join(",", Cell(ChinaTime.ToChina(line.Entry.At).ToString("yyyy-MM-dd HH:mm:ss")), Cell(line.Entry.Actor), Cell(line.What), Cell(line.Item),
                Cell(changes), Cell(line.Entry.Action), Cell(line.Entry.EntityType), Cell(line.Entry.EntityId)));
        }
        return File(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", "audit.csv");
    }

    private IQueryable<AuditEntry> Filtered(AuditFilter filter)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Item)) query = query.Where(a => a.EntityId == filter.Item.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Actor)) query = query.Where(a => a.Actor.Contains(filter.Actor.Trim()));
        if (!string.IsNullOrWhiteSpace(filter.Action)) query = query.Where(a => a.Action.StartsWith(filter.Action.Trim()));
        if (!string.IsNullOrWhiteSpace(filter.Entity)) query = query.Where(a => a.EntityType == filter.Entity.Trim());
        if (filter.From is { } from)
        {
            var start = ChinaTime.FromChina(from.ToDateTime(TimeOnly.MinValue)).ToUniversalTime();
            query = query.Where(a => a.At >= start);
        }
        if (filter.To is { } to)
        {
            var end = ChinaTime.FromChina(to.AddDays(1).ToDateTime(TimeOnly.MinValue)).ToUniversalTime();
            query = query.Where(a => a.At < end);
        }
        return query;
    }

    private async Task<IReadOnlyList<UnitRow>> UnitRowsAsync() =>
        await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name)
            .Select(u => new UnitRow(u.Id, u.Name, u.NameEn, u.Kind, u.IsActive, db.Users.Count(x => x.UnitId == u.Id), u.IsDistrictOffice))
            .ToListAsync();
}
