using System.Text.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Live;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Live;

/// <summary>
/// Version 2 of the hub's protocol (frames) beside version 1 in the same session: the same changes with the same
/// numbers, one frame per interval in order of seq, hosts' frames carrying what only hosts see, and no gap in seq for
/// a client that loses its connection and comes back.
/// </summary>
public abstract class FrameTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    private const string HostEmail = "host@example.org";

    private async Task<string> SessionAsync(LiveModeration moderation = LiveModeration.Post)
    {
        var host = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == HostEmail).Select(u => u.Id).SingleAsync());
        var session = await factory.WithServiceAsync<LiveService, LiveSession>(s =>
            s.CreateAsync(new NewSessionForm("分帧问答 " + Guid.NewGuid().ToString("N")[..6], null, null, null, false, moderation), host));
        return session.JoinCode;
    }

    [Fact]
    public async Task Version_1_and_version_2_clients_in_one_session_receive_the_same_changes_with_the_same_numbers()
    {
        var code = await SessionAsync();
        await using var v1 = await LiveClient.ConnectAsync(factory);
        await using var v2 = await LiveClient.ConnectAsync(factory, version: 2);
        await using var asker = await LiveClient.ConnectAsync(factory);
        await using var hostV2 = await LiveClient.ConnectAsync(factory, HostEmail, version: 2);
        await v1.JoinAsync(code, "天山路居民");
        await v2.JoinAsync(code, "仙霞路居民");
        await asker.JoinAsync(code, "江苏路居民");
        Assert.True((await hostV2.JoinAsync(code, "")).GetProperty("isHost").GetBoolean());

        var id = (await asker.Connection.InvokeAsync<JsonElement>("Ask", "长宁路口的非机动车道什么时候拓宽？")).GetProperty("id").GetInt64();
        var asV1 = await v1.WaitForAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == id);
        var asV2 = await v2.WaitForItemAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == id);
        // The item's data is version 1's payload, field for field.
        Assert.Equal(asV1.GetRawText(), asV2.GetRawText());
        var frame = v2.Frames.First(f => f.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("event").GetString() == "QuestionAdded"));
        Assert.Equal(["items", "sessionId"], frame.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["data", "event", "seq"], frame.GetProperty("items")[0].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(asV1.GetProperty("seq").GetInt64(), v2.Items.Single(i => i.Event == "QuestionAdded" && i.Data.GetProperty("id").GetInt64() == id).Seq);

        // A vote: version 1 gets the whole question, version 2 the count alone, with the same seq.
        await v2.Connection.InvokeAsync("Vote", id);
        var updated = await v1.WaitForAsync("QuestionUpdated", q => q.GetProperty("id").GetInt64() == id && q.GetProperty("votes").GetInt32() == 1);
        var count = await v2.WaitForItemAsync("Votes", q => q.GetProperty("id").GetInt64() == id && q.GetProperty("votes").GetInt32() == 1);
        Assert.Equal(["id", "votes"], count.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(updated.GetProperty("seq").GetInt64(), v2.Items.Last(i => i.Event == "Votes").Seq);

        // The host (version 2) hides it: both versions see it go; only the host's frames tell of the queue.
        await hostV2.Connection.InvokeAsync("Hide", id);
        await v1.WaitForAsync("QuestionHidden", h => h.GetInt64() == id);
        await v2.WaitForItemAsync("QuestionHidden", h => h.GetInt64() == id);
        await hostV2.WaitForItemAsync("QuestionHidden", h => h.GetInt64() == id);
        await hostV2.WaitForItemAsync("QueueChanged");
        Assert.DoesNotContain(v2.Items, i => i.Event == "QueueChanged");
        Assert.Contains(hostV2.Items, i => i.Event == "QuestionAdded" && i.Data.GetProperty("id").GetInt64() == id);

        // Version 2 connections are never sent version 1 events, and version 1 never frames.
        Assert.All(v2.Received.Concat(hostV2.Received), r => Assert.Equal("Frame", r.Event));
        Assert.DoesNotContain(v1.Received, r => r.Event == "Frame");
        foreach (var f in v2.Frames.Concat(hostV2.Frames))
        {
            var seqs = f.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("seq").GetInt64()).ToList();
            Assert.Equal(seqs.Order(), seqs);
            Assert.All(seqs, s => Assert.True(s > 0));
        }
    }

    [Fact]
    public async Task MessagePack_and_JSON_clients_in_one_session_receive_the_same_frames_under_the_same_names()
    {
        var code = await SessionAsync();
        await using var json = await LiveClient.ConnectAsync(factory, version: 2);
        await using var binary = await LiveClient.ConnectAsync(factory, version: 2, messagePack: true);
        await using var binaryV1 = await LiveClient.ConnectAsync(factory, messagePack: true);
        await using var asker = await LiveClient.ConnectAsync(factory);
        var joinedJson = await json.JoinAsync(code, "新华路居民");
        var joinedBinary = await binary.JoinAsync(code, "华阳路居民");
        await binaryV1.JoinAsync(code, "周家桥居民");
        await asker.JoinAsync(code, "程家桥居民");
        // Join answers with the same names in both protocols.
        Assert.Equal(Names(joinedJson), Names(joinedBinary));
        Assert.Equal(joinedJson.GetProperty("seq").GetInt64(), joinedBinary.GetProperty("seq").GetInt64());

        var id = (await asker.InvokeAsync("Ask", "虹桥路地铁站的无障碍电梯什么时候修好？")).GetProperty("id").GetInt64();
        var viaJson = await json.WaitForItemAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == id);
        var viaBinary = await binary.WaitForItemAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == id);
        var viaBinaryV1 = await binaryV1.WaitForAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == id);
        Assert.Equal(Names(viaJson), Names(viaBinary));
        Assert.Equal(Names(viaJson), Names(viaBinaryV1));
        foreach (var name in new[] { "text", "author", "votes", "status", "seq", "pinned" })
        {
            Assert.Equal(viaJson.GetProperty(name).ToString(), viaBinary.GetProperty(name).ToString());
        }
        // askedAt is MessagePack's DateTimeOffset: the UTC instant and the offset in minutes (docs/API.md).
        var askedAt = viaBinary.GetProperty("askedAt");
        Assert.Equal(2, askedAt.GetArrayLength());
        Assert.Equal(viaJson.GetProperty("askedAt").GetDateTimeOffset().UtcDateTime, askedAt[0].GetDateTime().ToUniversalTime());
        Assert.Equal(0, askedAt[1].GetInt32());
        var frame = binary.Frames.First(f => f.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("event").GetString() == "QuestionAdded"));
        Assert.Equal(["items", "sessionId"], Names(frame));
        Assert.Equal(["data", "event", "seq"], Names(frame.GetProperty("items")[0]));

        // The MessagePack client votes and asks; both clients see the same count with the same seq.
        await binary.Connection.InvokeAsync("Vote", id);
        await json.WaitForItemAsync("Votes", v => v.GetProperty("id").GetInt64() == id && v.GetProperty("votes").GetInt32() == 1);
        var count = await binary.WaitForItemAsync("Votes", v => v.GetProperty("id").GetInt64() == id && v.GetProperty("votes").GetInt32() == 1);
        Assert.Equal(["id", "votes"], Names(count));
        Assert.Equal(json.Items.Last(i => i.Event == "Votes").Seq, binary.Items.Last(i => i.Event == "Votes").Seq);
        var own = await binary.InvokeAsync("Ask", "长宁区的老年助餐点周末开吗？");
        Assert.Equal(["id", "status"], Names(own));
        await json.WaitForItemAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == own.GetProperty("id").GetInt64());

        // A refusal reads the same in both protocols.
        var refusedJson = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => json.InvokeAsync("Vote", id + 100000));
        var refusedBinary = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => binary.InvokeAsync("Vote", id + 100000));
        Assert.Equal(refusedJson.Message, refusedBinary.Message);
    }

    private static string[] Names(JsonElement o) => o.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void A_large_audience_gets_frames_less_often_and_never_more_often_than_the_interval()
    {
        var frames = factory.Services.GetRequiredService<LiveFrames>();
        var audience = factory.Services.GetRequiredService<LiveAudience>();
        const int Quiet = -26, Crowded = -27; // sessions no test uses
        for (var i = 0; i < 3; i++) audience.Joined(Quiet);
        for (var i = 0; i < 5000; i++) audience.Joined(Crowded);
        Assert.Equal(TimeSpan.FromMilliseconds(100), frames.IntervalFor(Quiet));
        // 5,000 followers at 15,000 frame writes a second: a frame every 333 ms at most.
        Assert.Equal(1000.0 * 5000 / 15000, frames.IntervalFor(Crowded).TotalMilliseconds, precision: 3);
        for (var i = 0; i < 5000; i++) audience.Left(Crowded);
        for (var i = 0; i < 3; i++) audience.Left(Quiet);
        Assert.Equal(TimeSpan.FromMilliseconds(100), frames.IntervalFor(Crowded));
    }

    [Fact]
    public async Task A_pre_moderated_question_reaches_version_2_participants_only_when_approved()
    {
        var code = await SessionAsync(LiveModeration.Pre);
        await using var v2 = await LiveClient.ConnectAsync(factory, version: 2);
        await using var hostV2 = await LiveClient.ConnectAsync(factory, HostEmail, version: 2);
        await v2.JoinAsync(code, "北新泾居民");
        await hostV2.JoinAsync(code, "");
        var id = (await v2.Connection.InvokeAsync<JsonElement>("Ask", "新泾镇的社区医院能延长门诊时间吗？")).GetProperty("id").GetInt64();
        var pending = await hostV2.WaitForItemAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == id);
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        await hostV2.Connection.InvokeAsync("Approve", id);
        var shown = await v2.WaitForItemAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == id);
        Assert.Equal("visible", shown.GetProperty("status").GetString());
        Assert.Single(v2.Items, i => i.Event == "QuestionAdded" && i.Data.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task Seq_continues_without_a_gap_for_a_version_2_client_that_loses_its_connection()
    {
        var code = await SessionAsync();
        var token = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        await using var asker = await LiveClient.ConnectAsync(factory);
        await asker.JoinAsync(code, "华阳路居民");
        var asked = new List<long>();
        async Task AskAsync(string text) => asked.Add((await asker.Connection.InvokeAsync<JsonElement>("Ask", text)).GetProperty("id").GetInt64());

        var first = await LiveClient.ConnectAsync(factory, participant: token, version: 2);
        var joined = await first.JoinAsync(code, "周家桥居民");
        await AskAsync("第一问：虹桥路的公交站能加雨棚吗？");
        await first.WaitForItemAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == asked[^1]);
        var lastSeen = first.Items.Max(i => i.Seq);
        await first.DisposeAsync();

        // While it is away: two questions, and one of them answered.
        await AskAsync("第二问：天山公园晚上几点关门？");
        await AskAsync("第三问：社区食堂周末开吗？");
        await using (var host = await LiveClient.ConnectAsync(factory, HostEmail, version: 2))
        {
            await host.JoinAsync(code, "");
            await host.Connection.InvokeAsync("Answer", asked[1], "夏季开放到晚上九点。");
        }

        // It comes back as the same participant: the snapshot holds everything numbered up to its seq ...
        await using var again = await LiveClient.ConnectAsync(factory, participant: token, version: 2);
        var snapshot = await again.JoinAsync(code, "周家桥居民");
        Assert.Equal(joined.GetProperty("nickname").GetString(), snapshot.GetProperty("nickname").GetString());
        var snapshotSeq = snapshot.GetProperty("seq").GetInt64();
        Assert.True(snapshotSeq > lastSeen);
        var held = snapshot.GetProperty("questions").EnumerateArray().ToDictionary(q => q.GetProperty("id").GetInt64());
        Assert.All(asked, id => Assert.Contains(id, held.Keys));
        Assert.Equal("夏季开放到晚上九点。", held[asked[1]].GetProperty("answer").GetString());
        Assert.All(held.Values, q => Assert.True(q.GetProperty("seq").GetInt64() <= snapshotSeq));

        // ... and what happens next arrives numbered above it, in order.
        await AskAsync("第四问：古北路的共享单车能规范停放吗？");
        await AskAsync("第五问：延安西路高架下的空地做什么用？");
        await again.WaitForItemAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == asked[^1]);
        var after = again.Items.Where(i => i.Event == "QuestionAdded").ToList();
        Assert.Equal(asked[^2..], after.Select(i => i.Data.GetProperty("id").GetInt64()).ToList());
        Assert.All(after, i => Assert.True(i.Seq > snapshotSeq));
        Assert.True(after[0].Seq < after[1].Seq);
    }
}

public sealed class FrameTests_Sqlite(SqliteFactory factory) : FrameTests<SqliteFactory>(factory);
public sealed class FrameTests_Postgres(PostgresFactory factory) : FrameTests<PostgresFactory>(factory);

/// <summary>A site whose frames go out only when a test says so, to count them exactly.</summary>
public sealed class HeldFramesSqliteFactory : SqliteFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Live:FrameMilliseconds", "3600000");
    }
}

public sealed class HeldFramesPostgresFactory : PostgresFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Live:FrameMilliseconds", "3600000");
    }
}

/// <summary>A storm in one interval is one frame per connection, in order of seq, however many changes it holds.</summary>
public abstract class FrameStormTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    [Fact]
    public async Task A_storm_within_one_interval_is_one_frame_per_connection_in_order_of_seq()
    {
        var host = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "host@example.org").Select(u => u.Id).SingleAsync());
        var code = (await factory.WithServiceAsync<LiveService, LiveSession>(s =>
            s.CreateAsync(new NewSessionForm("风暴问答", null, null, null, false, LiveModeration.Post), host))).JoinCode;
        await using var v1 = await LiveClient.ConnectAsync(factory);
        await using var v2 = await LiveClient.ConnectAsync(factory, version: 2);
        await using var hostV2 = await LiveClient.ConnectAsync(factory, "host@example.org", version: 2);
        await v1.JoinAsync(code, "观众一");
        await v2.JoinAsync(code, "观众二");
        await hostV2.JoinAsync(code, "");
        var askers = new List<LiveClient>();
        for (var i = 0; i < 5; i++)
        {
            var asker = await LiveClient.ConnectAsync(factory);
            await asker.JoinAsync(code, "提问人" + i);
            askers.Add(asker);
        }
        // Fifteen questions at once, from five people.
        await Task.WhenAll(askers.Select(async (a, i) =>
        {
            for (var n = 0; n < 3; n++) await a.Connection.InvokeAsync<JsonElement>("Ask", $"提问人{i}的第{n + 1}个问题：街道的养老服务点在哪里？");
        }));
        await v1.WaitForAsync("QuestionAdded", q => v1.Received.Count(r => r.Event == "QuestionAdded") >= 15);
        Assert.Empty(v2.Frames);

        await factory.Services.GetRequiredService<LiveFrames>().FlushAsync();
        await v2.WaitForItemAsync("QuestionAdded", _ => v2.Items.Count(i => i.Event == "QuestionAdded") >= 15);
        await hostV2.WaitForItemAsync("QueueChanged", _ => hostV2.Items.Count(i => i.Event == "QueueChanged") >= 15);
        await Task.Delay(300); // nothing else follows
        var frame = Assert.Single(v2.Frames);
        var seqs = frame.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(15, seqs.Count);
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(15, seqs.Distinct().Count());
        // The host is written once too: the hosts' frame carries everyone's changes and the queue's, interleaved by seq.
        var hostFrame = Assert.Single(hostV2.Frames);
        var hostSeqs = hostFrame.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(30, hostSeqs.Count);
        Assert.Equal(hostSeqs.Order(), hostSeqs);
        // Version 1 had fifteen messages; the questions match one for one.
        Assert.Equal(
            v1.Received.Where(r => r.Event == "QuestionAdded").Select(r => r.Payload.GetProperty("id").GetInt64()).Order(),
            v2.Items.Select(i => i.Data.GetProperty("id").GetInt64()).Order());

        // With nothing new, a flush sends nothing.
        await factory.Services.GetRequiredService<LiveFrames>().FlushAsync();
        await Task.Delay(300);
        Assert.Single(v2.Frames);
        foreach (var a in askers) await a.DisposeAsync();
    }
}

public sealed class FrameStormTests_Sqlite(HeldFramesSqliteFactory factory) : FrameStormTests<HeldFramesSqliteFactory>(factory);
public sealed class FrameStormTests_Postgres(HeldFramesPostgresFactory factory) : FrameStormTests<HeldFramesPostgresFactory>(factory);
