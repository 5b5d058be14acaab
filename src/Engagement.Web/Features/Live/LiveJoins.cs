using System.Collections.Concurrent;
using System.Threading.Channels;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Engagement.Web.Features.Live;

/// <summary>
/// New participants' rows, written in batches: when thousands join in the first minute of a session, the joins that
/// arrive while one batch is being written are written together in the next, in one transaction, instead of one
/// write transaction each (SQLite has one writer; PostgreSQL a round trip per insert). A join waits for its batch,
/// so it still returns its participant's id. The same person joining twice in one batch gets one row.
/// </summary>
public sealed class LiveParticipantBatches(IServiceScopeFactory scopes, LiveWrites writes, ILogger<LiveParticipantBatches> logger) : BackgroundService
{
    private const int MaxBatch = 500;

    /// <summary>A stored participant, and its session's seq read in the transaction that stored it.</summary>
    public sealed record Joined(LiveParticipant Row, long Seq);

    private sealed record Pending(LiveParticipant Row, TaskCompletionSource<Joined> Done);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Stores the row (or finds the one stored for the same session and key) and returns it with its id, and the
    /// session's seq as it stood when the row was stored: a joiner that entered its groups before asking for the row
    /// receives every change numbered above it.
    /// </summary>
    public Task<Joined> AddAsync(LiveParticipant row)
    {
        var done = new TaskCompletionSource<Joined>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(row, done))) done.SetException(new InvalidOperationException("The site is stopping."));
        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
                using (await writes.EnterAsync()) await WriteAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        _queue.Writer.TryComplete();
        foreach (var left in batch) left.Done.TrySetCanceled();
        while (_queue.Reader.TryRead(out var left)) left.Done.TrySetCanceled();
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        // One row per session and key, however many times it was asked for in this batch.
        var groups = batch.GroupBy(p => (p.Row.SessionId, p.Row.Key)).ToList();
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<EngagementDbContext>();
            var rows = groups.Select(g => g.Last().Row).ToList();
            var seqs = await InsertAsync(db, rows);
            foreach (var (group, row) in groups.Zip(rows))
            {
                foreach (var pending in group) pending.Done.TrySetResult(new Joined(row, seqs[row.SessionId]));
            }
        }
        catch (Exception batchError)
        {
            // Someone in the batch was stored meanwhile (the same browser on another instance): one by one, taking
            // the stored row where there is one, so one failure never fails the others.
            logger.LogDebug(batchError, "A batch of {Count} live participants was written one by one", groups.Count);
            foreach (var group in groups)
            {
                try
                {
                    var joined = await WriteOneAsync(group.Last().Row);
                    foreach (var pending in group) pending.Done.TrySetResult(joined);
                }
                catch (Exception error)
                {
                    foreach (var pending in group) pending.Done.TrySetException(error);
                }
            }
        }
    }

    /// <summary>
    /// Inserts the rows in one transaction with one prepared statement, each given its id; a row whose session and key
    /// were stored meanwhile (the same browser through another instance) is replaced by the stored one. Through the
    /// change tracker, a batch cost a third of a millisecond a participant; the statement costs a few microseconds.
    /// </summary>
    private static async Task<Dictionary<int, long>> InsertAsync(EngagementDbContext db, List<LiveParticipant> rows)
    {
        var entity = db.Model.FindEntityType(typeof(LiveParticipant))!;
        string Column(string property) => "\"" + entity.FindProperty(property)!.GetColumnName() + "\"";
        string[] columns = [nameof(LiveParticipant.SessionId), nameof(LiveParticipant.Key), nameof(LiveParticipant.UserId), nameof(LiveParticipant.Nickname),
            nameof(LiveParticipant.Blocked), nameof(LiveParticipant.JoinedAt)];
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await using var insert = db.Database.GetDbConnection().CreateCommand();
            insert.Transaction = transaction.GetDbTransaction();
            insert.CommandText = $"INSERT INTO \"{entity.GetTableName()}\" ({string.Join(", ", columns.Select(Column))}) "
                + $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))}) "
                + $"ON CONFLICT ({Column(nameof(LiveParticipant.SessionId))}, {Column(nameof(LiveParticipant.Key))}) DO NOTHING RETURNING {Column(nameof(LiveParticipant.Id))}";
            // Each value as the model stores it (on SQLite an instant is UTC ticks and a GUID text).
            var mappings = columns.Select(c => (RelationalTypeMapping)entity.FindProperty(c)!.GetTypeMapping()).ToArray();
            var taken = new List<int>();
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                object?[] values = [row.SessionId, row.Key, row.UserId, row.Nickname, row.Blocked, row.JoinedAt];
                insert.Parameters.Clear();
                for (var c = 0; c < columns.Length; c++) insert.Parameters.Add(mappings[c].CreateParameter(insert, "@p" + c, values[c]));
                if (await insert.ExecuteScalarAsync() is { } id and not DBNull) row.Id = Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
                else taken.Add(i);
            }
            foreach (var i in taken)
            {
                var (session, key) = (rows[i].SessionId, rows[i].Key);
                rows[i] = await db.Set<LiveParticipant>().AsNoTracking().SingleAsync(p => p.SessionId == session && p.Key == key);
            }
            var sessions = rows.Select(r => r.SessionId).Distinct().ToList();
            var seqs = await db.Set<LiveSession>().Where(s => sessions.Contains(s.Id)).Select(s => new { s.Id, s.Seq }).ToDictionaryAsync(s => s.Id, s => s.Seq);
            await transaction.CommitAsync();
            return seqs;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<Joined> WriteOneAsync(LiveParticipant row)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EngagementDbContext>();
        var fresh = new LiveParticipant { SessionId = row.SessionId, Key = row.Key, UserId = row.UserId, Nickname = row.Nickname, JoinedAt = row.JoinedAt };
        db.Add(fresh);
        LiveParticipant stored;
        try
        {
            await db.SaveChangesAsync();
            stored = fresh;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            stored = await db.Set<LiveParticipant>().AsNoTracking().SingleAsync(p => p.SessionId == row.SessionId && p.Key == row.Key);
        }
        return new Joined(stored, await db.Set<LiveSession>().Where(s => s.Id == row.SessionId).Select(s => s.Seq).SingleAsync());
    }
}

/// <summary>
/// What every joiner of a session is shown (its visible questions and open poll), built once per change and shared:
/// a join reads the session's change counter and, when nothing changed since the last build, takes the built one.
/// Votes between recounts do not change it (counts are part of the recount, which is a change). Hosts, who also see
/// the queue, are built their own.
/// </summary>
public sealed class LiveSnapshots(IServiceScopeFactory scopes)
{
    public sealed record Shared(long Seq, IReadOnlyList<QuestionDto> Questions, PollDto? Poll);

    private sealed record Entry(long Seq, Lazy<Task<Shared>> Built);

    private readonly ConcurrentDictionary<int, Entry> _sessions = new();

    public async Task<Shared> GetAsync(int sessionId, long seq)
    {
        var entry = _sessions.AddOrUpdate(sessionId, _ => Create(sessionId, seq), (_, e) => e.Seq >= seq ? e : Create(sessionId, seq));
        // A build for this change or a later one serves (a later one only adds what the client would receive next).
        return await entry.Built.Value;
    }

    private Entry Create(int sessionId, long seq) => new(seq, new Lazy<Task<Shared>>(() => BuildAsync(sessionId, seq)));

    private async Task<Shared> BuildAsync(int sessionId, long seq)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var (questions, poll) = await scope.ServiceProvider.GetRequiredService<LiveService>().PublicStateAsync(sessionId, hostView: false);
            return new Shared(seq, questions, poll);
        }
        catch
        {
            // A failed build is not kept: the next join builds again.
            _sessions.TryRemove(sessionId, out _);
            throw;
        }
    }
}
