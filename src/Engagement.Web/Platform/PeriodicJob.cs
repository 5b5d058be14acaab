namespace Engagement.Web.Platform;

/// <summary>
/// A job that runs at start-up and then every <c>minutesKey</c> minutes (default 60) in a scope of its own, unless
/// <c>enabledKey</c> is false; a failed round is logged and tried again at the next. Real time on purpose: this is a
/// polling interval, not a business date (those come from the TimeProvider). What the job does once is decided by the
/// database (unique rows, conditional updates), so several instances may all run it.
/// </summary>
public abstract class PeriodicJob(IServiceScopeFactory scopes, IConfiguration configuration, ILogger logger, string enabledKey, string? minutesKey, int defaultMinutes = 60) : BackgroundService
{
    protected abstract Task RunAsync(IServiceProvider services, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue(enabledKey, true)) return;
        var minutes = minutesKey is null ? defaultMinutes : Math.Max(1, configuration.GetValue(minutesKey, defaultMinutes));
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes));
        do
        {
            try
            {
                using var scope = scopes.CreateScope();
                await RunAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogError(error, "{Job} failed; will try again", GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
