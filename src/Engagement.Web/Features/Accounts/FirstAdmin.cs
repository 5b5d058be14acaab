using System.Security.Cryptography;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Identity;

namespace Engagement.Web.Features.Accounts;

public sealed record AdminCreated(string Email, bool IsNew, string? GeneratedPassword, string SetPasswordLink);

/// <summary>
/// <c>create-admin EMAIL</c>: the first admin of a site without demo data (and any later one), made from the server's
/// command line rather than by SQL. The address counts as confirmed (whoever runs the command vouches for it); the
/// printed link lets the person choose their own password once, as a reset link does. An existing account is given
/// the Admin role and a fresh link.
/// </summary>
public sealed class FirstAdmin(UserManager<User> users, EngagementDbContext db, AuditWriter audit, Platform.Web.SiteLinks links, TimeProvider clock)
{
    public async Task<(AdminCreated? Admin, IReadOnlyList<string> Errors)> CreateAsync(string email, string? password, string? displayName)
    {
        email = email.Trim();
        if (!new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email) || email.Length > 256)
        {
            return (null, [$"'{email}' is not an e-mail address."]);
        }
        var generated = string.IsNullOrEmpty(password) ? GeneratePassword() : null;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var user = await users.FindByEmailAsync(email);
        var isNew = user is null;
        if (user is null)
        {
            user = new User
            {
                UserName = email, Email = email, EmailConfirmed = true, CreatedAt = clock.GetUtcNow(),
                DisplayName = string.IsNullOrWhiteSpace(displayName) ? email.Split('@')[0] : displayName.Trim(),
            };
            var created = await users.CreateAsync(user, password ?? generated!);
            if (!created.Succeeded) return (null, created.Errors.Select(e => e.Description).ToList());
        }
        else
        {
            if (!user.EmailConfirmed) await users.ConfirmEmailAsync(user, await users.GenerateEmailConfirmationTokenAsync(user));
            if (password is not null)
            {
                var changed = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
                if (!changed.Succeeded) return (null, changed.Errors.Select(e => e.Description).ToList());
            }
            generated = null;
        }
        foreach (var role in new[] { Roles.Resident, Roles.Admin })
        {
            if (!await users.IsInRoleAsync(user, role)) await users.AddToRoleAsync(user, role);
        }
        await users.SetLockoutEndDateAsync(user, null);
        audit.Record(isNew ? "user.create-admin" : "user.make-admin", nameof(User), user.Id.ToString(), null, new { Roles = new[] { Roles.Admin }, Via = "command line" });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        var token = AccountController.Encode(await users.GeneratePasswordResetTokenAsync(user));
        var link = links.Absolute($"/account/reset-password?email={Uri.EscapeDataString(email)}&code={token}");
        return (new AdminCreated(email, isNew, generated, link), []);
    }

    /// <summary>20 characters from letters and digits without look-alikes (0/O, 1/l/I), with a digit as the rules require.</summary>
    public static string GeneratePassword()
    {
        const string letters = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
        const string digits = "23456789";
        var chars = Enumerable.Range(0, 20).Select(i => i % 5 == 4 ? digits[RandomNumberGenerator.GetInt32(digits.Length)]
            : letters[RandomNumberGenerator.GetInt32(letters.Length)]).ToArray();
        return new string(chars);
    }
}
