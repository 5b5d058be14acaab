using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Infrastructure;

/// <summary>
/// A live Q&amp;A client on the in-memory site (long polling through the test server), signed in with a bearer token
/// or anonymous, that records every event it receives as raw JSON so tests can check the protocol's field names.
/// A version 2 client (<c>?version=2</c>) receives frames; their items are recorded as well.
/// </summary>
public sealed class LiveClient : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Event, JsonElement Payload)> _received = new();
    private readonly SemaphoreSlim _signal = new(0);

    public HubConnection Connection { get; }

    /// <summary>True when this client speaks the MessagePack protocol: what it receives is recorded as JSON all the same.</summary>
    public bool MessagePack { get; }

    private LiveClient(HubConnection connection, bool messagePack)
    {
        Connection = connection;
        MessagePack = messagePack;
        foreach (var name in new[] { "QuestionAdded", "QuestionUpdated", "QuestionHidden", "PollOpened", "PollUpdated", "PollClosed", "SessionEnded", "QueueChanged", "Frame" })
        {
            if (messagePack)
            {
                connection.On<object>(name, payload =>
                {
                    _received.Enqueue((name, ToJson(payload)));
                    _signal.Release();
                });
                continue;
            }
            connection.On<JsonElement>(name, payload =>
            {
                _received.Enqueue((name, payload));
                _signal.Release();
            });
        }
    }

    /// <summary>
    /// What a MessagePack client reads without a type (maps, arrays, numbers, strings) as JSON, so tests compare it
    /// with what JSON clients receive. A map's keys are the protocol's names.
    /// </summary>
    public static JsonElement ToJson(object? value) => JsonSerializer.SerializeToElement(Plain(value));

    private static object? Plain(object? value) => value switch
    {
        IDictionary<object, object> map => map.ToDictionary(p => (string)p.Key, p => Plain(p.Value)),
        object[] list => list.Select(Plain).ToList(),
        _ => value,
    };

    /// <summary>Invokes a hub method and returns its result as JSON, whichever protocol this client speaks.</summary>
    public async Task<JsonElement> InvokeAsync(string method, params object?[] arguments) =>
        MessagePack ? ToJson(await Connection.InvokeCoreAsync<object>(method, arguments)) : await Connection.InvokeCoreAsync<JsonElement>(method, arguments);

    public static async Task<LiveClient> ConnectAsync<TProgram>(WebApplicationFactory<TProgram> factory, string? email = null, string? participant = null, int version = 1,
        bool messagePack = false) where TProgram : class
    {
        string? token = email is null ? null : await factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") }).TokenAsync(email);
        var query = new List<string>();
        if (participant is not null) query.Add("participant=" + participant);
        if (version != 1) query.Add("version=" + version);
        var builder = new HubConnectionBuilder()
            .WithUrl("https://localhost/hubs/live" + (query.Count == 0 ? "" : "?" + string.Join('&', query)), o =>
            {
                o.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            });
        if (messagePack) builder.AddMessagePackProtocol();
        else builder.AddJsonProtocol();
        var connection = builder.Build();
        var client = new LiveClient(connection, messagePack);
        await connection.StartAsync();
        return client;
    }

    public IReadOnlyList<(string Event, JsonElement Payload)> Received => _received.ToList();

    /// <summary>The frames received (version 2), in order of arrival.</summary>
    public IReadOnlyList<JsonElement> Frames => _received.Where(r => r.Event == "Frame").Select(r => r.Payload).ToList();

    /// <summary>Every item of every frame received, in order: its event, data and seq.</summary>
    public IReadOnlyList<(string Event, JsonElement Data, long Seq)> Items =>
        Frames.SelectMany(f => f.GetProperty("items").EnumerateArray())
            .Select(i => (i.GetProperty("event").GetString()!, i.GetProperty("data"), i.GetProperty("seq").GetInt64())).ToList();

    /// <summary>Waits until a frame item matching the test has arrived.</summary>
    public async Task<JsonElement> WaitForItemAsync(string name, Func<JsonElement, bool>? match = null, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            foreach (var (e, data, _) in Items)
            {
                if (e == name && (match is null || match(data))) return data;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"No {name} item arrived; received: {string.Join(", ", Items.Select(r => r.Event))}");
            await _signal.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Waits until an event matching the test has arrived (or fails after a generous timeout).</summary>
    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool>? match = null, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            foreach (var (e, payload) in _received)
            {
                if (e == name && (match is null || match(payload))) return payload;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"No {name} event arrived; received: {string.Join(", ", _received.Select(r => r.Event))}");
            await _signal.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public Task<JsonElement> JoinAsync(string code, string nickname) => InvokeAsync("Join", code, nickname);

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
