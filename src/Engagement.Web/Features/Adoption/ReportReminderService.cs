namespace Engagement.Web.Features.Adoption;

/// <summary>
/// Checks each hour (Adoption:ReminderPollMinutes) whether a report is due in 3 working days or today and queues the
/// reminders through the outbox; a unique row per reminder keeps two instances from sending one twice.
/// </summary>
public sealed class ReportReminderService(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<ReportReminderService> logger)
    : Platform.PeriodicJob(scopes, configuration, logger, "Adoption:RemindersEnabled", "Adoption:ReminderPollMinutes")
{
    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var queued = await services.GetRequiredService<AdoptionService>().SendRemindersAsync(ct: ct);
        if (queued > 0) logger.LogInformation("Queued {Count} adoption report reminders", queued);
    }
}
