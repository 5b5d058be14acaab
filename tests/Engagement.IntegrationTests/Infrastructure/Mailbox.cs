using System.Text.RegularExpressions;
using Engagement.Web.Platform.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MimeKit;

namespace Engagement.IntegrationTests.Infrastructure;

/// <summary>Reads what the outbox delivered to the pickup folder, as a person reads their mail.</summary>
public static partial class Mailbox
{
    public static async Task<MimeMessage> WaitForAsync(this EngagementFactory factory, string to, string subjectPart, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var file in Directory.EnumerateFiles(factory.PickupDirectory, "*.eml"))
            {
                var message = await MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(m => m.Address == to) && message.Subject.Contains(subjectPart))
                {
                    return message;
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No e-mail to {to} with '{subjectPart}' arrived in the pickup folder");
    }

    /// <summary>The first e-mail to <paramref name="to"/> whose text contains <paramref name="bodyPart"/> (for mails whose subjects repeat).</summary>
    public static async Task<MimeMessage> WaitForTextAsync(this EngagementFactory factory, string to, string bodyPart, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var file in Directory.EnumerateFiles(factory.PickupDirectory, "*.eml"))
            {
                var message = await MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(m => m.Address == to) && message.TextBody?.Contains(bodyPart) == true) return message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No e-mail to {to} containing '{bodyPart}' arrived in the pickup folder");
    }

    public static string Link(this MimeMessage message) =>
        LinkPattern().Match(message.TextBody).Value is { Length: > 0 } link ? link : throw new InvalidOperationException("No link in the e-mail");

    /// <summary>The path and query of the link, for the in-memory client.</summary>
    public static string LocalLink(this MimeMessage message) => new Uri(message.Link()).PathAndQuery;

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}
