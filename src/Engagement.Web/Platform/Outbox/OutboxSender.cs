using Engagement.Web.Platform.Data;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Engagement.Web.Platform.Outbox;

public sealed class OutboxOptions
{
    public double PollSeconds { get; set; } = 5;
    public int MaxAttempts { get; set; } = 10;
    public string PickupDirectory { get; set; } = "App_Data/mail-pickup";
    public string From { get; set; } = "noreply@engagement.changning.example";
    public string FromName { get; set; } = "长宁区政民互动平台";
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public bool UseStartTls { get; set; } = true;
    public string? User { get; set; }
    public string? Password { get; set; }
}

/// <summary>
/// Sends what the outbox owes, by SMTP when <c>Smtp:Host</c> is set, otherwise as .eml files in a pickup folder.
/// A message is marked sent only after delivery, so a process that dies mid-send sends it again on restart
/// (at least once; the Message-Id is the outbox id, so a receiver can drop the repeat).
/// </summary>
public sealed class OutboxSender(IServiceScopeFactory scopes, TimeProvider clock, Microsoft.Extensions.Options.IOptions<OutboxOptions> options,
    Microsoft.Extensions.Options.IOptions<SmtpOptions> smtp, IHostEnvironment environment, Telemetry.EngagementMetrics metrics, ILogger<OutboxSender> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(0.1, options.Value.PollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be briefly away; the next round tries again.
                logger.LogWarning(ex, "Outbox round failed");
            }
            try
            {
                // Polling runs on real time: the injected clock is for business time and may be a test's fixed clock.
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EngagementDbContext>();
        var now = clock.GetUtcNow();
        var max = options.Value.MaxAttempts;
        var due = await db.OutboxMessages
            .Where(m => m.SentAt == null && m.Attempts < max && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
            .OrderBy(m => m.CreatedAt)
            .Select(m => m.Id)
            .Take(50)
            .ToListAsync(cancellationToken);

        var sent = 0;
        foreach (var id in due)
        {
            // Each claim reads the clock again: a slow delivery earlier in the batch must not shorten this lease or
            // let this claim take a message whose lease another instance took after the batch began.
            var claimedAt = clock.GetUtcNow();
            var leaseUntil = claimedAt + Lease;
            var claimed = await db.OutboxMessages
                .Where(m => m.Id == id && m.SentAt == null && (m.LockedUntil == null || m.LockedUntil < claimedAt))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, leaseUntil), cancellationToken);
            if (claimed != 1) continue;

            var message = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken);
            try
            {
                await DeliverAsync(message, cancellationToken);
                var sentAt = clock.GetUtcNow();
                await db.OutboxMessages.Where(m => m.Id == id)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, sentAt).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null)
                        .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                        // The goodbye to a deleted account keeps no address or text once it has gone.
                        .SetProperty(m => m.To, m => m.EraseWhenSent ? "" : m.To)
                        .SetProperty(m => m.Subject, m => m.EraseWhenSent ? "" : m.Subject)
                        .SetProperty(m => m.Body, m => m.EraseWhenSent ? "" : m.Body), CancellationToken.None);
                sent++;
                metrics.EmailSent();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var attempts = message.Attempts + 1;
                var retryAt = clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, attempts)));
                var error = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
                metrics.EmailFailed();
                // Not the exception itself: a mail server's refusal quotes the recipient's address ("550 <someone@…>
                // unknown"). Its type, and its text with personal data masked; the whole text stays in LastError.
                logger.LogWarning("Outbox message {Id} failed (attempt {Attempt}): {Error} {Reason}", id, attempts, ex.GetType().Name,
                    Privacy.PersonalDataMasker.Mask(error).Masked);
                await db.OutboxMessages.Where(m => m.Id == id)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, attempts).SetProperty(m => m.NextAttemptAt, retryAt)
                        .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null).SetProperty(m => m.LastError, error), CancellationToken.None);
            }
        }
        return sent;
    }

    private async Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var mime = new MimeMessage { Subject = message.Subject, MessageId = $"{message.Id:N}@engagement", Date = message.CreatedAt };
        mime.From.Add(new MailboxAddress(options.Value.FromName, options.Value.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Body = new TextPart("plain") { Text = message.Body };
        foreach (var line in (message.Headers ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) mime.Headers.Add(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }

        var settings = smtp.Value;
        if (!string.IsNullOrWhiteSpace(settings.Host))
        {
            using var client = new SmtpClient();
            await client.ConnectAsync(settings.Host, settings.Port, settings.UseStartTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, cancellationToken);
            if (!string.IsNullOrEmpty(settings.User))
            {
                await client.AuthenticateAsync(settings.User, settings.Password ?? "", cancellationToken);
            }
            await client.SendAsync(mime, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return;
        }

        var folder = Path.GetFullPath(options.Value.PickupDirectory, environment.ContentRootPath);
        Directory.CreateDirectory(folder);
        var final = Path.Combine(folder, $"{message.Id:N}.eml");
        var partial = final + ".partial";
        await mime.WriteToAsync(partial, cancellationToken);
        // Rename last, so a reader of the pickup folder never sees half a message.
        File.Move(partial, final, overwrite: true);
    }
}
