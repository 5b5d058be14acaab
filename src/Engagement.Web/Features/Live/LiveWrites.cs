namespace Engagement.Web.Features.Live;

/// <summary>
/// On SQLite, the live hub's writes (questions, votes, moderation, recounts, new participants) take turns in this
/// process before they reach the file. SQLite has one writer; writers that collide are answered "busy" and the driver
/// sleeps before retrying, so under a vote storm each collision cost a sleep. Waiting here is a queue instead: no
/// sleep, in order. On PostgreSQL the gate is open (the database orders concurrent writers itself).
/// </summary>
public sealed class LiveWrites(IConfiguration configuration)
{
    private readonly SemaphoreSlim? _gate = Platform.Data.DatabaseSetup.Provider(configuration) == Platform.Data.DatabaseProvider.Sqlite ? new(1, 1) : null;

    public async ValueTask<IDisposable> EnterAsync()
    {
        if (_gate is null) return Open.Instance;
        await _gate.WaitAsync();
        return new Turn(_gate);
    }

    private sealed class Open : IDisposable
    {
        public static readonly Open Instance = new();
        public void Dispose() { }
    }

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) gate.Release();
        }
    }
}
