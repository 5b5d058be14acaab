using System.Security.Cryptography;
using System.Text;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Accounts;

public enum SignInVerdict
{
    Success,
    /// <summary>Unknown address or wrong password: one answer for both.</summary>
    Wrong,
    /// <summary>Too many failures for this address (known or not) or this device: wait, or use an e-mailed link.</summary>
    Paused,
    /// <summary>Right password, address not confirmed yet.</summary>
    NotConfirmed,
    /// <summary>Right password, account disabled by an admin.</summary>
    Disabled,
}

public sealed record SignInOutcome(SignInVerdict Verdict, User? User = null, DateTimeOffset? PausedUntil = null);

/// <summary>
/// Failed-attempt counters (<see cref="SignInThrottle"/>): five free failures, then blocks of 1, 5 and 15 minutes.
/// Tries during a block are refused without being counted, so nobody can lengthen a block; a day without failures
/// starts the count again.
/// </summary>
public sealed class SignInThrottles(EngagementDbContext db, TimeProvider clock)
{
    public const int FreeFailures = 5;
    public static readonly IReadOnlyList<TimeSpan> Blocks = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];

    /// <summary>The key of an e-mail address, the same shape whether or not it has an account; the address is not stored.</summary>
    public static string ForAddress(string email) =>
        "address:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToUpperInvariant())))[..40];

    public static string ForDevice(Guid device) => "device:" + device.ToString("N");
    public static string ForSecondFactor(Guid user) => "second-factor:" + user.ToString("N");

    public static TimeSpan? BlockAfter(int failures) =>
        failures < FreeFailures ? null : Blocks[Math.Min(failures - FreeFailures, Blocks.Count - 1)];

    public async Task<DateTimeOffset?> BlockedUntilAsync(string key)
    {
        var until = await db.SignInThrottles.AsNoTracking().Where(t => t.Key == key).Select(t => t.BlockedUntil).SingleOrDefaultAsync();
        return until > clock.GetUtcNow() ? until : null;
    }

    /// <summary>Counts a failure; returns the end of the block it starts, if it starts one.</summary>
    public async Task<DateTimeOffset?> FailAsync(string key)
    {
        var now = clock.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var row = await db.SignInThrottles.SingleOrDefaultAsync(t => t.Key == key);
            if (row is null) row = db.SignInThrottles.Add(new SignInThrottle { Key = key }).Entity;
            if (row.BlockedUntil > now) return null; // not counted: the block stands as it is
            if (now - row.LastFailureAt > TimeSpan.FromDays(1)) row.Failures = 0;
            row.Failures++;
            row.LastFailureAt = now;
            row.BlockedUntil = BlockAfter(row.Failures) is { } block ? now + block : null;
            try
            {
                await db.SaveChangesAsync();
                return row.BlockedUntil;
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // Another request counted a failure for the same key first; count on top of it.
                db.ChangeTracker.Clear();
            }
        }
    }

    public Task ClearAsync(string key) => db.SignInThrottles.Where(t => t.Key == key).ExecuteDeleteAsync();
}

/// <summary>
/// The password check of the sign-in page and the API, built so that an outsider learns nothing about which addresses
/// have accounts: an unknown address costs one password hash like a known one, counts failures under the same kind of
/// key, and gets the same answers ("wrong", then "paused until"). Only the right password reveals more (not confirmed,
/// disabled). A browser that signed in to the account before counts its own failures, so a stranger's guesses cannot
/// lock its owner out.
/// </summary>
public sealed class SignInGate(UserManager<User> users, SignInThrottles throttles, AuditWriter audit, EngagementDbContext db, TimeProvider clock)
{
    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<User>().HashPassword(new User(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));

    public async Task<SignInOutcome> CheckPasswordAsync(string email, string password, Guid? trustedDevice)
    {
        email = email.Trim();
        var user = await users.FindByEmailAsync(email);
        var key = trustedDevice is { } device && user is not null ? SignInThrottles.ForDevice(device) : SignInThrottles.ForAddress(email);
        var blocked = await throttles.BlockedUntilAsync(key);
        // One hash either way, blocked or not, known or not: the time taken tells nothing.
        var correct = user is not null
            ? await users.CheckPasswordAsync(user, password)
            : SpendDummyHash(password);
        if (blocked is not null) return new SignInOutcome(SignInVerdict.Paused, PausedUntil: blocked);
        if (!correct)
        {
            var until = await throttles.FailAsync(key);
            if (until is not null && user is not null)
            {
                audit.Record("account.sign-in-paused", nameof(User), user.Id.ToString(), null,
                    new { Until = until, For = key.StartsWith("device:", StringComparison.Ordinal) ? "device" : "address" });
                await db.SaveChangesAsync();
            }
            return until is null ? new SignInOutcome(SignInVerdict.Wrong) : new SignInOutcome(SignInVerdict.Paused, PausedUntil: until);
        }
        await throttles.ClearAsync(key);
        if (user!.LockoutEnd > clock.GetUtcNow()) return new SignInOutcome(SignInVerdict.Disabled, user);
        if (!user.EmailConfirmed) return new SignInOutcome(SignInVerdict.NotConfirmed, user);
        return new SignInOutcome(SignInVerdict.Success, user);
    }

    private bool SpendDummyHash(string password)
    {
        users.PasswordHasher.VerifyHashedPassword(new User(), DummyHash.Value, password);
        return false;
    }

    /// <summary>
    /// A code from the authenticator app or a recovery code, with its own failure count. A code that was just used is
    /// refused, so a code seen over someone's shoulder cannot be replayed.
    /// </summary>
    public async Task<SignInOutcome> CheckSecondFactorAsync(User user, string? code, string? recoveryCode)
    {
        var key = SignInThrottles.ForSecondFactor(user.Id);
        if (await throttles.BlockedUntilAsync(key) is { } blocked) return new SignInOutcome(SignInVerdict.Paused, user, blocked);
        var ok = false;
        var totp = Digits(code);
        if (totp.Length == 6)
        {
            var last = await users.GetAuthenticationTokenAsync(user, LastCodeProvider, LastCodeName);
            ok = last != totp && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, totp);
            if (ok) await users.SetAuthenticationTokenAsync(user, LastCodeProvider, LastCodeName, totp);
        }
        else if (!string.IsNullOrWhiteSpace(recoveryCode))
        {
            ok = (await users.RedeemTwoFactorRecoveryCodeAsync(user, recoveryCode.Replace(" ", "").Trim())).Succeeded;
            if (ok)
            {
                audit.Record("account.recovery-code-used", nameof(User), user.Id.ToString(), null,
                    new { Left = await users.CountRecoveryCodesAsync(user) });
                await db.SaveChangesAsync();
            }
        }
        if (ok)
        {
            await throttles.ClearAsync(key);
            return new SignInOutcome(SignInVerdict.Success, user);
        }
        var until = await throttles.FailAsync(key);
        return until is null ? new SignInOutcome(SignInVerdict.Wrong, user) : new SignInOutcome(SignInVerdict.Paused, user, until);
    }

    private const string LastCodeProvider = "[Engagement]";
    private const string LastCodeName = "LastAuthenticatorCode";

    /// <summary>The digits of a typed code ("123 456", "１２３４５６" from a Chinese keyboard).</summary>
    public static string Digits(string? code) =>
        new((code ?? "").Select(c => c is >= '０' and <= '９' ? (char)('0' + (c - '０')) : c).Where(char.IsAsciiDigit).ToArray());
}

/// <summary>
/// The browser cookie that marks a device as one the person signed in from before. It holds the address's key and a
/// random id, protected by the site's keys; it is never a credential, only the name of a separate failure counter.
/// </summary>
public sealed class TrustedDevices(IDataProtectionProvider protection, IConfiguration configuration, IHostEnvironment environment)
{
    public const string CookieName = "engagement.device";
    private readonly IDataProtector _protector = protection.CreateProtector("Engagement.Accounts.TrustedDevice");

    public Guid? Of(HttpRequest request, string email)
    {
        if (request.Cookies[CookieName] is not { Length: > 0 } value) return null;
        try
        {
            var parts = _protector.Unprotect(value).Split('|');
            return parts.Length == 2 && parts[0] == SignInThrottles.ForAddress(email) && Guid.TryParse(parts[1], out var device) ? device : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public void Remember(HttpResponse response, string email)
    {
        var value = _protector.Protect(SignInThrottles.ForAddress(email) + "|" + Guid.NewGuid().ToString("N"));
        response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = configuration.GetValue("Security:SecureCookies", !environment.IsDevelopment()) || response.HttpContext.Request.IsHttps,
            Path = "/account",
            MaxAge = TimeSpan.FromDays(365),
        });
    }
}

/// <summary>One-time sign-in links: the way in while sign-in by password is paused, or when the password is forgotten at the door.</summary>
public sealed class SignInLinks(EngagementDbContext db, UserManager<User> users, AccountMail mail, Platform.Web.SiteLinks links, TimeProvider clock,
    SignInThrottles throttles)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>E-mails a link when the address has a confirmed, enabled account; at most one a minute. Says nothing either way.</summary>
    public async Task SendAsync(string email)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        var now = clock.GetUtcNow();
        if (user is null || !user.EmailConfirmed || user.LockoutEnd > now) return;
        if (await db.SignInLinks.AnyAsync(l => l.UserId == user.Id && l.CreatedAt > now.AddMinutes(-1))) return;
        var token = WebEncodersToken();
        await db.SignInLinks.Where(l => l.UserId == user.Id && l.UsedAt == null).ExecuteDeleteAsync();
        db.SignInLinks.Add(new SignInLink { UserId = user.Id, TokenHash = Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime });
        mail.SignInLink(user, links.Absolute("/account/sign-in-link/use?code=" + token), (int)Lifetime.TotalMinutes);
        await db.SaveChangesAsync();
    }

    /// <summary>Spends a link: the person it was sent to, or null when it is unknown, spent or expired.</summary>
    public async Task<User?> UseAsync(string? code)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 100) return null;
        var hash = Hash(code.Trim());
        var now = clock.GetUtcNow();
        var spent = await db.SignInLinks.Where(l => l.TokenHash == hash && l.UsedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now));
        if (spent != 1) return null;
        var userId = await db.SignInLinks.Where(l => l.TokenHash == hash).Select(l => l.UserId).SingleAsync();
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || user.LockoutEnd > now) return null;
        // The person proved they hold the mailbox: the pause on their address is lifted.
        await throttles.ClearAsync(SignInThrottles.ForAddress(user.Email!));
        return user;
    }

    private static string WebEncodersToken() => Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// <summary>Who must sign in with a second factor: admins, and staff unless the site turns that off (Accounts:*).</summary>
public sealed class TwoFactorPolicy(IConfiguration configuration, IHostEnvironment environment)
{
    public bool ForAdmins => configuration.GetValue("Accounts:RequireTwoFactorForAdmins", !environment.IsDevelopment());
    public bool ForStaff => configuration.GetValue("Accounts:RequireTwoFactorForStaff", !environment.IsDevelopment());

    public bool IsRequired(System.Security.Claims.ClaimsPrincipal user) =>
        (ForAdmins && user.IsInRole(Roles.Admin)) || (ForStaff && user.IsInRole(Roles.Staff));

    public bool IsRequired(IList<string> roles) =>
        (ForAdmins && roles.Contains(Roles.Admin)) || (ForStaff && roles.Contains(Roles.Staff));

    /// <summary>What someone who still has to set up the second factor may open: the set-up itself, signing out, errors.</summary>
    public static bool AllowedBeforeSetUp(PathString path) =>
        path.StartsWithSegments("/profile/two-factor") || path.StartsWithSegments("/account") || path.StartsWithSegments("/error")
        || path.StartsWithSegments("/api/v1/auth") || path.StartsWithSegments("/preferences");
}
