using System.Text.RegularExpressions;

namespace Engagement.BrowserTests;

/// <summary>Reads the e-mails the site wrote to its pickup folder, as a person reads their mail.</summary>
public static partial class Mail
{
    public static async Task<string> WaitForLinkAsync(this SiteFixture site, string to, string subjectPart)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(site.PickupDirectory))
            {
                foreach (var file in Directory.EnumerateFiles(site.PickupDirectory, "*.eml"))
                {
                    var message = await MimeKit.MimeMessage.LoadAsync(file);
                    if (message.To.Mailboxes.Any(m => m.Address == to) && message.Subject.Contains(subjectPart))
                    {
                        return Link().Match(message.TextBody).Value;
                    }
                }
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"No e-mail to {to} about '{subjectPart}'");
    }

    /// <summary>The text of the first e-mail to <paramref name="to"/> whose subject has <paramref name="subjectPart"/>.</summary>
    public static async Task<string> WaitForMailAsync(this SiteFixture site, string to, string subjectPart)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(site.PickupDirectory))
            {
                foreach (var file in Directory.EnumerateFiles(site.PickupDirectory, "*.eml"))
                {
                    var message = await MimeKit.MimeMessage.LoadAsync(file);
                    if (message.To.Mailboxes.Any(m => m.Address == to) && message.Subject.Contains(subjectPart)) return message.TextBody;
                }
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"No e-mail to {to} about '{subjectPart}'");
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Link();
}
