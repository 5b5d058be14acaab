using Engagement.Web.Platform;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Accounts;

/// <summary>The account e-mails, queued in the outbox in the caller's transaction, in the person's language.</summary>
public sealed class AccountMail(Platform.Outbox.Outbox outbox, IStringLocalizer<SharedResource> text)
{
    public void Confirmation(User user, string link) =>
        outbox.Email(user.Email!, text["Mail.Confirm.Subject"], string.Format(text["Mail.Confirm.Body"], user.DisplayName, link));

    public void PasswordReset(User user, string link) =>
        outbox.Email(user.Email!, text["Mail.Reset.Subject"], string.Format(text["Mail.Reset.Body"], user.DisplayName, link));

    /// <summary>To the owner of an address someone tried to register again (the page answers as for a new address).</summary>
    public void RegistrationAttempt(User user, string signInLink, string resetLink) =>
        outbox.Email(user.Email!, text["Mail.Taken.Subject"], string.Format(text["Mail.Taken.Body"], user.DisplayName, signInLink, resetLink));

    public void SignInLink(User user, string link, int minutes) =>
        outbox.Email(user.Email!, text["Mail.SignInLink.Subject"], string.Format(text["Mail.SignInLink.Body"], user.DisplayName, link, minutes));

    public Platform.Outbox.OutboxMessage AccountDeleted(string email, string name) =>
        outbox.Email(email, text["Mail.Deleted.Subject"], string.Format(text["Mail.Deleted.Body"], name));
}
