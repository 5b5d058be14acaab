using Engagement.Web.Platform;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Accounts;

public sealed record TwoFactorView(bool Enabled, bool Required, bool MustSetUp, string? SharedKey, int RecoveryCodesLeft, IReadOnlyList<string>? NewRecoveryCodes);

/// <summary>
/// Signing in with an authenticator app (TOTP, RFC 6238, as ASP.NET Core Identity does it) and recovery codes: set it up,
/// get new recovery codes, turn it off (unless the person's role requires it).
/// </summary>
[Authorize, Route("profile/two-factor")]
public sealed class TwoFactorController(UserManager<User> users, IUserStore<User> store, SignInSessions sessions, TwoFactorPolicy policy,
    AuditWriter audit, EngagementDbContext db, IStringLocalizer<SharedResource> text) : Controller
{
    public const string Issuer = "Changning Engagement";
    private const int RecoveryCodeCount = 10;

    [HttpGet("")]
    public async Task<IActionResult> Index(bool required = false)
    {
        if (await users.GetUserAsync(User) is not { } user) return Challenge();
        return View(await ViewForAsync(user, null));
    }

    /// <summary>The key as a QR code for the authenticator app (otpauth URI); the page also shows it as text.</summary>
    [HttpGet("qr.svg")]
    public async Task<IActionResult> Qr()
    {
        if (await users.GetUserAsync(User) is not { } user || user.TwoFactorEnabled) return NotFound();
        var key = await KeyAsync(user);
        var uri = $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCoder.QRCodeGenerator.ECCLevel.M);
        Response.Headers.CacheControl = "no-store";
        return Content(new QRCoder.SvgQRCode(data).GetGraphic(6), "image/svg+xml");
    }

    [HttpPost("enable")]
    public async Task<IActionResult> Enable([Bind(Prefix = "")] SecondFactorForm form)
    {
        if (await users.GetUserAsync(User) is not { } user) return Challenge();
        if (user.TwoFactorEnabled) return RedirectToAction(nameof(Index));
        var code = SignInGate.Digits(form.Code);
        if (code.Length != 6 || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError("Code", text["TwoFactor.WrongCode"]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(nameof(Index), await ViewForAsync(user, null));
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList();
        // Turning it on changed the account's stamp: other sign-ins (made without the second factor) end; this one
        // has just given a code, so it stays and counts as a two-factor sign-in.
        await sessions.KeepOnlyAsync(user, SignInSessions.IdOf(User), secondFactor: true);
        audit.Record("account.two-factor-on", nameof(User), user.Id.ToString());
        await db.SaveChangesAsync();
        return View(nameof(Index), await ViewForAsync(user, codes));
    }

    [HttpPost("recovery-codes")]
    public async Task<IActionResult> RecoveryCodes()
    {
        if (await users.GetUserAsync(User) is not { } user) return Challenge();
        if (!user.TwoFactorEnabled) return RedirectToAction(nameof(Index));
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList();
        audit.Record("account.recovery-codes-new", nameof(User), user.Id.ToString());
        await db.SaveChangesAsync();
        return View(nameof(Index), await ViewForAsync(user, codes));
    }

    [HttpPost("disable")]
    public async Task<IActionResult> Disable(DeleteAccountForm form)
    {
        if (await users.GetUserAsync(User) is not { } user) return Challenge();
        if (!user.TwoFactorEnabled) return RedirectToAction(nameof(Index));
        if (policy.IsRequired(await users.GetRolesAsync(user)))
        {
            ModelState.AddModelError("Password", text["TwoFactor.RequiredByRole"]);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View(nameof(Index), await ViewForAsync(user, null));
        }
        if (!ModelState.IsValid || !await users.CheckPasswordAsync(user, form.Password))
        {
            ModelState.AddModelError("Password", text["Profile.CurrentPasswordWrong"]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(nameof(Index), await ViewForAsync(user, null));
        }
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await sessions.KeepOnlyAsync(user, SignInSessions.IdOf(User));
        audit.Record("account.two-factor-off", nameof(User), user.Id.ToString(), null, new { By = "self" });
        await db.SaveChangesAsync();
        TempData["Status"] = text["TwoFactor.Off"].Value;
        return RedirectToAction(nameof(Index));
    }

    private async Task<TwoFactorView> ViewForAsync(User user, IReadOnlyList<string>? newCodes)
    {
        var required = policy.IsRequired(await users.GetRolesAsync(user));
        var state = await sessions.CheckAsync(User);
        var key = user.TwoFactorEnabled ? null : await KeyAsync(user);
        return new TwoFactorView(user.TwoFactorEnabled, required, required && state is { SecondFactor: false }, key is null ? null : Grouped(key),
            user.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0, newCodes);
    }

    /// <summary>
    /// The key the app is given. Made on first sight through the store, not <c>ResetAuthenticatorKeyAsync</c>, which
    /// would change the account's stamp (and sign the person out everywhere) merely for opening this page.
    /// </summary>
    private async Task<string> KeyAsync(User user)
    {
        if (await users.GetAuthenticatorKeyAsync(user) is { Length: > 0 } key) return key;
        await ((IUserAuthenticatorKeyStore<User>)store).SetAuthenticatorKeyAsync(user, users.GenerateNewAuthenticatorKey(), HttpContext.RequestAborted);
        await users.UpdateAsync(user);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    private static string Grouped(string key) =>
        string.Join(' ', Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - i * 4)))).ToLowerInvariant();
}
