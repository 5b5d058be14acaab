using System.Text.RegularExpressions;
using Engagement.Web.Platform.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MimeKit;

namespace Engagement.IntegrationTests.Infrastructure;

/// <summary>Reads what the outbox delivered to the pickup folder, as a person reads their mail.</summary>
public static partial class Mailbox
{
    public static Task<MimeMessage> WaitForAsync(this EngagementFactory factory, string to, string subjectPart, TimeSpan? timeout = null) =>
        factory.WaitForMailAsync(to, m => m.Subject?.Contains(subjectPart) == true, $"with '{subjectPart}'", timeout);

    /// <summary>The first e-mail to <paramref name="to"/> whose text contains <paramref name="bodyPart"/> (for mails whose subjects repeat).</summary>
    public static Task<MimeMessage> WaitForTextAsync(this EngagementFactory factory, string to, string bodyPart, TimeSpan? timeout = null) =>
        factory.WaitForMailAsync(to, m => m.TextBody?.Contains(bodyPart) == true, $"containing '{bodyPart}'", timeout);

    private static async Task<MimeMessage> WaitForMailAsync(this EngagementFactory factory, string to, Func<MimeMessage, bool> match, string what, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var file in Directory.EnumerateFiles(factory.PickupDirectory, "*.eml"))
            {
                var message = await MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(m => m.Address == to) && match(message)) return message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No e-mail to {to} {what} arrived in the pickup folder");
    }

    public static string Link(this MimeMessage message) =>
        LinkPattern().Match(message.TextBody).Value is { Length: > 0 } link ? link : throw new InvalidOperationException("No link in the e-mail");

    /// <summary>The path and query of the link, for the in-memory client.</summary>
    public static string LocalLink(this MimeMessage message) => new Uri(message.Link()).PathAndQuery;

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}
