using System.Text.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Live;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Live;

/// <summary>One instance of the site on a database shared with other instances, joined to them through the Redis backplane.</summary>
public sealed class SharedInstance(DatabaseProvider provider, string connectionString, string channelPrefix) : EngagementFactory
{
    public override DatabaseProvider Provider => provider;
    protected override string ConnectionString => connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Redis:Configuration", RedisServer.Configuration);
        builder.UseSetting("Redis:ChannelPrefix", channelPrefix);
    }
}

/// <summary>The throwaway Redis that ./test.sh starts; its address comes in ENGAGEMENT_TEST_REDIS.</summary>
public static class RedisServer
{
    public static string Configuration =>
        Environment.GetEnvironmentVariable("ENGAGEMENT_TEST_REDIS") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("ENGAGEMENT_TEST_REDIS is not set: run the tests with ./test.sh, which starts a throwaway redis-server.");
}

/// <summary>
/// Two instances on one database, sharing sessions through the SignalR Redis backplane: participants on each see the
/// other's questions and votes, and a vote never counts twice. Then an instance restarts and loses nothing.
/// </summary>
public abstract class ScaleOutTests : IAsyncLifetime
{
    private readonly string _prefix = "engagement-test-" + Guid.NewGuid().ToString("N")[..8];
    private SharedInstance _a = null!, _b = null!;

    protected abstract DatabaseProvider Provider { get; }
    protected abstract string ConnectionString { get; }
    protected virtual Task CreateDatabaseAsync() => Task.CompletedTask;
    protected abstract Task DropDatabaseAsync();

    private SharedInstance Instance() => new(Provider, ConnectionString, _prefix);

    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        _a = Instance();
        await _a.InitializeAsync();
        _b = Instance();
        await _b.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await DropDatabaseAsync();
    }

    [Fact]
    public async Task Participants_on_two_instances_see_each_others_questions_and_votes_and_no_vote_counts_twice()
    {
        var host = await _a.WithDbAsync(db => db.Users.Where(u => u.Email == "host@example.org").Select(u => u.Id).SingleAsync());
        var code = (await _a.WithServiceAsync<LiveService, LiveSession>(s => s.CreateAsync(new NewSessionForm("跨实例问答", null, null, null, false, LiveModeration.Post), host))).JoinCode;

        await using var onA = await LiveClient.ConnectAsync(_a, "resident1@example.org");
        await using var onB = await LiveClient.ConnectAsync(_b, "resident2@example.org");
        await using var sameOnB = await LiveClient.ConnectAsync(_b, "resident1@example.org");
        await using var framedOnB = await LiveClient.ConnectAsync(_b, version: 2);
        await onA.JoinAsync(code, "");
        await onB.JoinAsync(code, "");
        await sameOnB.JoinAsync(code, "");
        await framedOnB.JoinAsync(code, "分帧观众");

        var fromA = (await onA.Connection.InvokeAsync<JsonElement>("Ask", "A实例上的问题：夜间公交会加密吗？")).GetProperty("id").GetInt64();
        await onB.WaitForAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == fromA);
        var fromB = (await onB.Connection.InvokeAsync<JsonElement>("Ask", "B实例上的问题：菜场什么时候改造？")).GetProperty("id").GetInt64();
        await onA.WaitForAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == fromB);

        // Voters on both instances for B's question; resident1 votes through A, then again through B: refused.
        var voters = new List<LiveClient>();
        for (var i = 0; i < 12; i++)
        {
            var voter = await LiveClient.ConnectAsync(i % 2 == 0 ? _a : _b);
            await voter.JoinAsync(code, "投票人" + i);
            voters.Add(voter);
        }
        await onA.Connection.InvokeAsync("Vote", fromB);
        var twice = await Assert.ThrowsAsync<HubException>(() => sameOnB.Connection.InvokeAsync("Vote", fromB));
        Assert.Contains("已经赞同", twice.Message);
        await Task.WhenAll(voters.Select(v => v.Connection.InvokeAsync("Vote", fromB)));

        // Each instance pushes recounted totals: both sides settle on 13, and the database holds 13 votes.
        await onA.WaitForAsync("QuestionUpdated", q => q.GetProperty("id").GetInt64() == fromB && q.GetProperty("votes").GetInt32() == 13);
        await onB.WaitForAsync("QuestionUpdated", q => q.GetProperty("id").GetInt64() == fromB && q.GetProperty("votes").GetInt32() == 13);
        Assert.Equal(13, await _a.WithDbAsync(db => db.Set<LiveVote>().CountAsync(v => v.QuestionId == fromB)));
        Assert.DoesNotContain(onA.Received.Concat(onB.Received), r => r.Event == "QuestionUpdated" && r.Payload.GetProperty("votes").GetInt32() > 13);
        // A version 2 participant on B receives both instances' changes in frames: A's question, and the settled count.
        await framedOnB.WaitForItemAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == fromA);
        await framedOnB.WaitForItemAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == fromB);
        await framedOnB.WaitForItemAsync("Votes", q => q.GetProperty("id").GetInt64() == fromB && q.GetProperty("votes").GetInt32() == 13);
        Assert.All(framedOnB.Received, r => Assert.Equal("Frame", r.Event));

        // A host on B answers; the participant on A sees it.
        await using var hostOnB = await LiveClient.ConnectAsync(_b, "host@example.org");
        await hostOnB.JoinAsync(code, "");
        await hostOnB.Connection.InvokeAsync("Answer", fromA, "夜间线路将在明年一季度优化。");
        await onA.WaitForAsync("QuestionUpdated", q => q.GetProperty("id").GetInt64() == fromA && q.GetProperty("status").GetString() == "answered");
        foreach (var v in voters) await v.DisposeAsync();

        // A vote stored just before a stop, never pushed (its count not yet written), is counted after the restart.
        await _a.WithDbAsync(async db =>
        {
            var someone = await db.Set<LiveParticipant>().Where(p => db.Set<LiveSession>().Any(s => s.Id == p.SessionId && s.JoinCode == code) && p.Nickname == "投票人0")
                .Select(p => p.Id).SingleAsync();
            db.Add(new LiveVote { QuestionId = fromA, ParticipantId = someone, CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

        // Instance A restarts: a client joining the new instance finds every question, vote and answer.
        await _a.DisposeAsync();
        _a = Instance();
        await _a.InitializeAsync();
        await using var again = await LiveClient.ConnectAsync(_a, "resident1@example.org");
        var snapshot = await again.JoinAsync(code, "");
        var questions = snapshot.GetProperty("questions").EnumerateArray().ToDictionary(q => q.GetProperty("id").GetInt64());
        Assert.Equal(13, questions[fromB].GetProperty("votes").GetInt32());
        Assert.Equal(1, questions[fromA].GetProperty("votes").GetInt32());
        Assert.Equal("夜间线路将在明年一季度优化。", questions[fromA].GetProperty("answer").GetString());
        Assert.Contains(fromB, snapshot.GetProperty("myVotes").EnumerateArray().Select(v => v.GetInt64()));
    }
}

public sealed class ScaleOutTests_Sqlite : ScaleOutTests
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"engagement-scaleout-{Guid.NewGuid():N}.db");
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override string ConnectionString => $"Data Source={_file}";

    protected override Task DropDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_file + suffix);
        return Task.CompletedTask;
    }
}

public sealed class ScaleOutTests_Postgres : ScaleOutTests
{
    private readonly string _database = $"engagement_scaleout_{Guid.NewGuid():N}";
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
    protected override string ConnectionString => new Npgsql.NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Database = _database }.ToString();

    protected override Task CreateDatabaseAsync() => PostgresServer.CreateDatabaseAsync(_database);

    protected override Task DropDatabaseAsync() => PostgresServer.DropDatabaseAsync(_database);
}
