namespace Engagement.Web.Features.Adoption;

/// <summary>
/// Checks each hour (Adoption:ReminderPollMinutes) whether a report is due in 3 working days or today and queues the
/// reminders through the outbox; a unique row per reminder keeps two instances from sending one twice.
/// </summary>
public sealed class ReportReminderService(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<ReportReminderService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Adoption:RemindersEnabled", true)) return;
        var interval = TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue("Adoption:ReminderPollMinutes", 60)));
        // Real time on purpose: this is a polling interval, not a business date (those come from the TimeProvider).
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                using var scope = scopes.CreateScope();
                var service = scope.ServiceProvider.GetRequiredService<AdoptionService>();
                var queued = await service.SendRemindersAsync(ct: stoppingToken);
                if (queued > 0) logger.LogInformation("Queued {Count} adoption report reminders", queued);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogError(error, "Adoption report reminders failed; will try again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
