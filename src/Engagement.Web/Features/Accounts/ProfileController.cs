using System.Text.Json;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Engagement.Web.Platform;

namespace Engagement.Web.Features.Accounts;

/// <summary>A person sees, changes, downloads and deletes their own data.</summary>
[Authorize, Route("profile")]
public sealed class ProfileController(UserManager<User> users, SignInManager<User> signIn, EngagementDbContext db, AccountErasure erasure,
    IStringLocalizer<SharedResource> text) : Controller
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
            ModelState.AddModelError("Delete.Password", text["Profile.DeleteWrongPassword"]);
            return View(nameof(Index), await ViewFor(user, new ProfileForm { DisplayName = user.DisplayName, Phone = user.PhoneNumber }));
        }
        // The site must keep someone who can run it: the last admin hands the role on first.
        if (await users.IsInRoleAsync(user, Roles.Admin) && (await users.GetUsersInRoleAsync(Roles.Admin)).All(a => a.Id == user.Id))
        {
            ModelState.AddModelError("Delete.Password", text["Profile.DeleteLastAdmin"]);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View(nameof(Index), await ViewFor(user, new ProfileForm { DisplayName = user.DisplayName, Phone = user.PhoneNumber }));
        }
        await erasure.EraseAsync(user);
        await signIn.SignOutAsync();
        return View("Deleted");
    }

    private async Task<ProfileView> ViewFor(User user, ProfileForm form)
    {
        var roles = (await users.GetRolesAsync(user)).Order().ToList();
        var unit = user.UnitId is null ? null : await db.Units.Where(u => u.Id == user.UnitId).Select(u => u.Name).SingleOrDefaultAsync();
        return new ProfileView(user, roles, unit, form);
    }
}
