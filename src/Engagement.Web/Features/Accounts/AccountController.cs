using Engagement.Web.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Engagement.Web.Platform.Data;

namespace Engagement.Web.Features.Accounts;

[Route("account")]
public sealed class AccountController(
    UserManager<User> users,
    SignInManager<User> signIn,
    EngagementDbContext db,
    AccountMail mail,
    Platform.Web.SiteLinks links,
    TimeProvider clock,
    SignInGate gate,
    SignInLinks signInLinks,
    SignInSessions sessions,
    SignInThrottles throttles,
    TrustedDevices devices,
    IPasswordHasher<User> hasher,
    Microsoft.AspNetCore.DataProtection.IDataProtectionProvider protection,
    IStringLocalizer<SharedResource> text) : Controller
{
    /// <summary>The short-lived cookie that carries a password-checked person to the second-factor step.</summary>
    public const string PendingCookie = "engagement.2fa";

    [HttpGet("register"), AllowAnonymous]
    public IActionResult Register() => View(new RegisterForm());

    [HttpPost("register"), AllowAnonymous, EnableRateLimiting(PlatformSetup.AuthRateLimit)]
    public async Task<IActionResult> Register(RegisterForm form)
    {
        if (!ModelState.IsValid) return Invalid(form);
        // Password rules first, so a taken address and a new one get the same complaints in the same order.
        foreach (var validator in users.PasswordValidators)
        {
            var checkedPassword = await validator.ValidateAsync(users, new User(), form.Password);
            foreach (var error in checkedPassword.Errors) ModelState.AddModelError(nameof(form.Password), error.Description);
        }
        if (!ModelState.IsValid) return Invalid(form);
        if (await users.FindByEmailAsync(form.Email.Trim()) is { } owner)
        {
            // The same answer as for a new address, so nobody learns who has an account; the owner is told instead.
            hasher.HashPassword(owner, form.Password);
            mail.RegistrationAttempt(owner, links.Absolute("/account/login"), links.Absolute("/account/forgot-password"));
            await db.SaveChangesAsync();
            return RedirectToAction(nameof(CheckEmail));
        }

        var user = new User
        {
            UserName = form.Email.Trim(),
            Email = form.Email.Trim(),
            DisplayName = form.DisplayName.Trim(),
            PhoneNumber = string.IsNullOrWhiteSpace(form.Phone) ? null : form.Phone.Trim(),
            CreatedAt = clock.GetUtcNow(),
        };
        // The account, its role and its confirmation e-mail are stored together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync();
        var created = await users.CreateAsync(user, form.Password);
        if (!created.Succeeded)
        {
            if (created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
            {
                // Registered a moment ago by a request racing this one: answered the same way.
                return RedirectToAction(nameof(CheckEmail));
            }
            foreach (var error in created.Errors)
            {
                ModelState.AddModelError(error.Code.Contains("Password") ? nameof(form.Password) : nameof(form.Email), error.Description);
            }
            return Invalid(form);
        }
        await users.AddToRoleAsync(user, Roles.Resident);
        mail.Confirmation(user, await ConfirmationLinkAsync(user));
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return RedirectToAction(nameof(CheckEmail));
    }

    [HttpGet("check-email"), AllowAnonymous]
    public IActionResult CheckEmail() => View();

    [HttpGet("confirm"), AllowAnonymous]
    public async Task<IActionResult> Confirm(Guid userId, string? code)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        var confirmed = false;
        if (user is not null && !string.IsNullOrEmpty(code) && TryDecode(code, out var token))
        {
            confirmed = (await users.ConfirmEmailAsync(user, token)).Succeeded;
        }
        return View(confirmed);
    }

    [HttpGet("resend-confirmation"), AllowAnonymous]
    public IActionResult ResendConfirmation() => View(new EmailForm());

    [HttpPost("resend-confirmation"), AllowAnonymous, EnableRateLimiting(PlatformSetup.AuthRateLimit)]
    public async Task<IActionResult> ResendConfirmation(EmailForm form)
    {
        if (!ModelState.IsValid) return Invalid(form);
        var user = await users.FindByEmailAsync(form.Email.Trim());
        // The same answer whether or not the address has an account, so nobody can probe for accounts.
        if (user is not null && !user.EmailConfirmed)
        {
            mail.Confirmation(user, await ConfirmationLinkAsync(user));
            await db.SaveChangesAsync();
        }
        return RedirectToAction(nameof(CheckEmail));
    }

    [HttpGet("login"), AllowAnonymous]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    [HttpPost("login"), AllowAnonymous, EnableRateLimiting(PlatformSetup.AuthRateLimit)]
    public async Task<IActionResult> Login(LoginForm form)
    {
        if (!ModelState.IsValid) return Invalid(form);
        var email = form.Email.Trim();
        var outcome = await gate.CheckPasswordAsync(email, form.Password, devices.Of(Request, email));
        form.Password = "";
        switch (outcome.Verdict)
        {
            case SignInVerdict.Success when outcome.User!.TwoFactorEnabled:
                Pending(outcome.User, form.RememberMe, form.ReturnUrl);
                return RedirectToAction(nameof(SecondFactor));
            case SignInVerdict.Success:
                return await CompleteAsync(outcome.User!, form.RememberMe, secondFactor: false, form.ReturnUrl);
            case SignInVerdict.Paused:
                ViewData["PausedUntil"] = outcome.PausedUntil;
                ModelState.AddModelError("", string.Format(text["Login.Paused"].Value, Minutes(outcome.PausedUntil!.Value)));
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return View(form);
            default:
                ModelState.AddModelError("", outcome.Verdict switch
                {
                    SignInVerdict.NotConfirmed => text["Login.NotConfirmed"],
                    SignInVerdict.Disabled => text["Login.Disabled"],
                    _ => text["Login.Failed"],
                });
                return Invalid(form);
        }
    }

    [HttpGet("second-factor"), AllowAnonymous]
    public async Task<IActionResult> SecondFactor() =>
        View(new SecondFactorView(new SecondFactorForm(), null, Expired: await PendingUserAsync() is null));

    [HttpPost("second-factor"), AllowAnonymous, EnableRateLimiting(PlatformSetup.AuthRateLimit)]
    public async Task<IActionResult> SecondFactor(SecondFactorForm form)
    {
        // The step lasts ten minutes (or the password changed meanwhile): the person starts again at the password.
        if (await PendingUserAsync() is not { } pending) return Invalid(new SecondFactorView(new SecondFactorForm(), null, Expired: true));
        if (!ModelState.IsValid) return Invalid(new SecondFactorView(form, null));
        var outcome = await gate.CheckSecondFactorAsync(pending.User, form.Code, form.RecoveryCode);
        if (outcome.Verdict == SignInVerdict.Success)
        {
            Response.Cookies.Delete(PendingCookie, new CookieOptions { Path = "/account" });
            return await CompleteAsync(pending.User, pending.Remember, secondFactor: true, pending.ReturnUrl);
        }
        form.Code = form.RecoveryCode = null;
        if (outcome.Verdict == SignInVerdict.Paused)
        {
            ModelState.AddModelError("", string.Format(text["SecondFactor.Paused"].Value, Minutes(outcome.PausedUntil!.Value)));
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return View(new SecondFactorView(form, outcome.PausedUntil));
        }
        ModelState.AddModelError("", text["SecondFactor.Wrong"]);
        return Invalid(new SecondFactorView(form, null));
    }

    [HttpGet("sign-in-link"), AllowAnonymous]
    public IActionResult SignInLink(string? email) => View(new EmailForm { Email = email ?? "" });

    [HttpPost("sign-in-link"), AllowAnonymous, EnableRateLimiting(PlatformSetup.AuthRateLimit)]
    public async Task<IActionResult> SignInLink(EmailForm form)
    {
        if (!ModelState.IsValid) return Invalid(form);
        await signInLinks.SendAsync(form.Email);
        return View("SignInLinkSent");
    }

    /// <summary>The e-mailed link opens a page with a button, so a mail scanner that follows links cannot spend it.</summary>
    [HttpGet("sign-in-link/use"), AllowAnonymous]
    public IActionResult UseSignInLink(string? code) => View("UseSignInLink", new SignInLinkView(code ?? "", !string.IsNullOrWhiteSpace(code)));

    [HttpPost("sign-in-link/use"), AllowAnonymous, EnableRateLimiting(PlatformSetup.AuthRateLimit)]
    public async Task<IActionResult> UseSignInLink(CodeForm form)
    {
        if (await signInLinks.UseAsync(form.Code) is not { } user)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
            return View("UseSignInLink", new SignInLinkView("", false));
        }
        if (user.TwoFactorEnabled)
        {
            Pending(user, remember: false, returnUrl: null);
            return RedirectToAction(nameof(SecondFactor));
        }
        return await CompleteAsync(user, remember: false, secondFactor: false, returnUrl: null);
    }

    [HttpPost("logout")]
    public async Task<IActionResult> Logout()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }

    [HttpGet("denied"), AllowAnonymous]
    public IActionResult Denied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    [HttpGet("forgot-password"), AllowAnonymous]
    public IActionResult ForgotPassword() => View(new EmailForm());

    [HttpPost("forgot-password"), AllowAnonymous, EnableRateLimiting(PlatformSetup.AuthRateLimit)]
    public async Task<IActionResult> ForgotPassword(EmailForm form)
    {
        if (!ModelState.IsValid) return Invalid(form);
        var user = await users.FindByEmailAsync(form.Email.Trim());
        if (user is not null && user.EmailConfirmed)
        {
            var token = Encode(await users.GeneratePasswordResetTokenAsync(user));
            var link = links.Absolute(Url.Action(nameof(ResetPassword), "Account", new { email = user.Email, code = token })!);
            mail.PasswordReset(user, link);
            await db.SaveChangesAsync();
        }
        return View("ForgotPasswordSent");
    }

    [HttpGet("reset-password"), AllowAnonymous]
    public IActionResult ResetPassword(string? email, string? code) =>
        string.IsNullOrEmpty(code) ? View("ResetPasswordInvalid") : View(new ResetPasswordForm { Email = email ?? "", Code = code });

    [HttpPost("reset-password"), AllowAnonymous, EnableRateLimiting(PlatformSetup.AuthRateLimit)]
    public async Task<IActionResult> ResetPassword(ResetPasswordForm form)
    {
        if (!ModelState.IsValid) return Invalid(form);
        var user = await users.FindByEmailAsync(form.Email.Trim());
        if (user is null || !TryDecode(form.Code, out var token))
        {
            return View("ResetPasswordInvalid");
        }
        var result = await users.ResetPasswordAsync(user, token, form.Password);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)))
            {
                return View("ResetPasswordInvalid");
            }
            foreach (var error in result.Errors) ModelState.AddModelError(nameof(form.Password), error.Description);
            return Invalid(form);
        }
        // The new password ends every sign-in made with the old one; the person has proved they hold the mailbox,
        // so a pause on their address is lifted. (An account an admin disabled stays disabled.)
        await sessions.KeepOnlyAsync(user, keep: null);
        await throttles.ClearAsync(SignInThrottles.ForAddress(user.Email!));
        return View("ResetPasswordDone");
    }

    private async Task<IActionResult> CompleteAsync(User user, bool remember, bool secondFactor, string? returnUrl)
    {
        await signIn.SignInWithClaimsAsync(user, remember, secondFactor ? [new System.Security.Claims.Claim("amr", "mfa")] : []);
        devices.Remember(Response, user.Email!);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }

    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);

    private Microsoft.AspNetCore.DataProtection.ITimeLimitedDataProtector PendingProtector =>
        protection.CreateProtector("Engagement.Accounts.SecondFactorPending").ToTimeLimitedDataProtector();

    private void Pending(User user, bool remember, string? returnUrl)
    {
        var value = PendingProtector.Protect($"{user.Id:N}|{user.SecurityStamp}|{(remember ? 1 : 0)}|{returnUrl}", PendingLifetime);
        Response.Cookies.Append(PendingCookie, value, new CookieOptions
        {
            HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Lax, Secure = Request.IsHttps, Path = "/account", MaxAge = PendingLifetime,
        });
    }

    private async Task<(User User, bool Remember, string? ReturnUrl)?> PendingUserAsync()
    {
        if (Request.Cookies[PendingCookie] is not { Length: > 0 } value) return null;
        string[] parts;
        try
        {
            parts = PendingProtector.Unprotect(value).Split('|', 4);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        if (parts.Length != 4 || await users.FindByIdAsync(parts[0]) is not { } user || user.SecurityStamp != parts[1] || user.LockoutEnd > clock.GetUtcNow())
        {
            return null;
        }
        return (user, parts[2] == "1", parts[3].Length == 0 ? null : parts[3]);
    }

    /// <summary>Whole minutes until a pause ends, at least one.</summary>
    private int Minutes(DateTimeOffset until) => Math.Max(1, (int)Math.Ceiling((until - clock.GetUtcNow()).TotalMinutes));

    private async Task<string> ConfirmationLinkAsync(User user)
    {
        var token = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        return links.Absolute(Url.Action(nameof(Confirm), "Account", new { userId = user.Id, code = token })!);
    }

    /// <summary>The form again with its messages, answered 422 so scripts and tests can tell a refusal from a page.</summary>
    private ViewResult Invalid(object form)
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View(form);
    }

    internal static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    private static bool TryDecode(string code, out string token)
    {
        try
        {
            token = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
            return true;
        }
        catch (FormatException)
        {
            token = "";
            return false;
        }
    }
}
