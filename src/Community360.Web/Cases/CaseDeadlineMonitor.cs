using Community360.Cases;

namespace Community360.Web.Cases;

/// <summary>Runs the deadline sweep every minute (Cases:DeadlineSweepSeconds) for the life of the app.</summary>
internal sealed partial class CaseDeadlineMonitor(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<CaseDeadlineMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(configuration.GetValue("Cases:DeadlineSweepSeconds", 60));
        if (interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<CaseDeadlineSweep>().RunAsync(stoppingToken);
                if (result.DueSoon + result.Overdue > 0)
                {
                    LogSweep(logger, result.DueSoon, result.Overdue);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One failed sweep (a busy database, a conflict) must not stop the next one.
                LogFailure(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadline sweep marked {DueSoon} case(s) due soon and {Overdue} overdue")]
    private static partial void LogSweep(ILogger logger, int dueSoon, int overdue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deadline sweep failed; it runs again at the next tick")]
    private static partial void LogFailure(ILogger logger, Exception exception);
}
