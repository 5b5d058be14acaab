using Engagement.Web.Platform;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using System.Text;
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
    IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("register"), AllowAnonymous]
    public IActionResult Register() => View(new RegisterForm());

    [HttpPost("register"), AllowAnonymous, EnableRateLimiting(PlatformSetup.AuthRateLimit)]
    public async Task<IActionResult> Register(RegisterForm form)
    {
        if (!ModelState.IsValid) return Invalid(form);

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
        var result = await signIn.PasswordSignInAsync(form.Email.Trim(), form.Password, form.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl! : "/");
        }
        var message = result.IsLockedOut ? text["Login.LockedOut"]
            : result.IsNotAllowed ? text["Login.NotConfirmed"]
            : text["Login.Failed"];
        ModelState.AddModelError("", message);
        form.Password = "";
        return Invalid(form);
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
        // A reset also lifts a lockout: the person has proved they hold the mailbox.
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        return View("ResetPasswordDone");
    }

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
