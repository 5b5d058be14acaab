using System.Text.Json;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Engagement.Web.Platform;
using Microsoft.AspNetCore.Authentication;

namespace Engagement.Web.Features.Accounts;

/// <summary>A person sees, changes, downloads and deletes their own data.</summary>
[Authorize, Route("profile")]
public sealed class ProfileController(UserManager<User> users, SignInManager<User> signIn, EngagementDbContext db, AccountErasure erasure,
    SignInSessions sessions, SignedInConnections connections, Platform.Audit.AuditWriter audit, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        return View(await ViewFor(user, new ProfileForm { DisplayName = user.DisplayName, Phone = user.PhoneNumber }));
    }

    [HttpPost("")]
    public async Task<IActionResult> Index(ProfileForm form)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (!ModelState.IsValid) return View(await ViewFor(user, form));
        user.DisplayName = form.DisplayName.Trim();
        user.PhoneNumber = string.IsNullOrWhiteSpace(form.Phone) ? null : form.Phone.Trim();
        await users.UpdateAsync(user);
        TempData["Status"] = text["Profile.Saved"].Value;
        return RedirectToAction(nameof(Index));
    }

    private static readonly JsonSerializerOptions DownloadJson = new()
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Everything the platform holds about the person, as JSON (the right to see and copy one's data).</summary>
    [HttpGet("download")]
    public async Task<IActionResult> Download()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        var json = JsonSerializer.SerializeToUtf8Bytes(await PersonalData.ForAsync(db, users, user), DownloadJson);
        return File(json, "application/json", "my-data.json");
    }

    /// <summary>The same as the download, as a page a person can read (and print): one section per kind of data.</summary>
    [HttpGet("data")]
    public async Task<IActionResult> Data()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        return View(JsonSerializer.SerializeToElement(await PersonalData.ForAsync(db, users, user), DownloadJson));
    }

    [HttpPost("delete")]
    public async Task<IActionResult> Delete(DeleteAccountForm form)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (!ModelState.IsValid || !await users.CheckPasswordAsync(user, form.Password))
        {
            // One message for the one field, whether it was left empty or wrong.
            ModelState.Clear();
            ModelState.AddModelError(nameof(form.Password), text["Profile.DeleteWrongPassword"]);
            return View(nameof(Index), await ViewFor(user, new ProfileForm { DisplayName = user.DisplayName, Phone = user.PhoneNumber }));
        }
        // The site must keep someone who can run it: the last admin hands the role on first.
        if (await users.IsInRoleAsync(user, Roles.Admin) && (await users.GetUsersInRoleAsync(Roles.Admin)).All(a => a.Id == user.Id))
        {
            ModelState.AddModelError(nameof(form.Password), text["Profile.DeleteLastAdmin"]);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View(nameof(Index), await ViewFor(user, new ProfileForm { DisplayName = user.DisplayName, Phone = user.PhoneNumber }));
        }
        await erasure.EraseAsync(user);
        connections.Close((person, _) => person == user.Id);
        await signIn.Context.SignOutAsync(IdentityConstants.ApplicationScheme);
        return View("Deleted");
    }

    /// <summary>A new password: every other place the person is signed in is signed out; this one stays.</summary>
    [HttpPost("password")]
    public async Task<IActionResult> Password([Bind(Prefix = "Change")] ChangePasswordForm change)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (ModelState.IsValid)
        {
            var changed = await users.ChangePasswordAsync(user, change.CurrentPassword, change.Password);
            if (changed.Succeeded)
            {
                await sessions.KeepOnlyAsync(user, SignInSessions.IdOf(User));
                audit.Record("account.password-changed", nameof(User), user.Id.ToString());
                await db.SaveChangesAsync();
                TempData["Status"] = text["Profile.PasswordChanged"].Value;
                return RedirectToAction(nameof(Index));
            }
            foreach (var error in changed.Errors)
            {
                ModelState.AddModelError(error.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? "Change.CurrentPassword" : "Change.Password",
                    error.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? text["Profile.CurrentPasswordWrong"] : error.Description);
            }
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View(nameof(Index), await ViewFor(user, new ProfileForm { DisplayName = user.DisplayName, Phone = user.PhoneNumber }));
    }

    [HttpPost("sessions/{id:guid}/sign-out")]
    public async Task<IActionResult> SignOutSession(Guid id)
    {
        if (SignInSessions.UserIdOf(User) is not { } person) return Challenge();
        if (!await sessions.EndAsync(person, id)) return NotFound();
        if (id == SignInSessions.IdOf(User))
        {
            await signIn.Context.SignOutAsync(IdentityConstants.ApplicationScheme);
            return LocalRedirect("/");
        }
        TempData["Status"] = text["Profile.SessionEnded"].Value;
        return RedirectToAction(nameof(Index), null, "sessions-heading");
    }

    /// <summary>Signs the person out of every browser and app, this one included.</summary>
    [HttpPost("sessions/sign-out-everywhere")]
    public async Task<IActionResult> SignOutEverywhere()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        await sessions.EndAllAsync(user);
        audit.Record("account.signed-out-everywhere", nameof(User), user.Id.ToString(), null, new { By = "self" });
        await db.SaveChangesAsync();
        await signIn.Context.SignOutAsync(IdentityConstants.ApplicationScheme);
        return RedirectToAction("Login", "Account");
    }

    private async Task<ProfileView> ViewFor(User user, ProfileForm form)
    {
        var roles = (await users.GetRolesAsync(user)).Order().ToList();
        var unit = user.UnitId is null ? null : await db.Units.Where(u => u.Id == user.UnitId).Select(u => u.Name).SingleOrDefaultAsync();
        return new ProfileView(user, roles, unit, form, await sessions.ListAsync(user), SignInSessions.IdOf(User));
    }
}
