using Microsoft.AspNetCore.SignalR;

namespace Engagement.Web.Features.Live;

public static class LiveSetup
{
    /// <summary>
    /// SignalR with camelCase JSON (and MessagePack with the same names), and the Redis backplane when <c>Redis:Configuration</c> is set, so several
    /// instances share sessions (groups and events go through Redis; state is in the shared database).
    /// </summary>
    public static IServiceCollection AddLive(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<LiveOptions>(configuration.GetSection("Live"));
        var signalR = services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = 16 * 1024;
            o.EnableDetailedErrors = false;
            o.AddFilter<LiveHubMessageCount>();
        });
        // Beside JSON, the binary MessagePack protocol when Live:MessagePack is on: a client chooses it in its
        // handshake (docs/API.md), with the same names and payloads. Off by default: measured against JSON it saved
        // the server nothing beyond run-to-run noise (docs/PERFORMANCE.md, "Live Q&A"), so it is not worth the
        // second decoder facing the public.
        if (configuration.GetValue("Live:MessagePack", false)) signalR.AddMessagePackProtocol();
        // The backplane's own connection, kept so engagement.redis.connected reports the link the hub really uses.
        StackExchange.Redis.IConnectionMultiplexer? backplane = null;
        if (configuration["Redis:Configuration"] is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(redis, o =>
            {
                o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal(configuration["Redis:ChannelPrefix"] ?? "engagement");
                o.ConnectionFactory = async log =>
                {
                    var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(o.Configuration, log);
                    backplane = connection;
                    return connection;
                };
            });
        }
        var redisConfigured = configuration["Redis:Configuration"] is { Length: > 0 };
        services.AddSingleton(sp => new Platform.Telemetry.LiveFigures
        {
            ConnectionCount = sp.GetRequiredService<LiveAudience>().Total,
            RedisIsConnected = redisConfigured ? () => backplane?.IsConnected == true : null,
        });
        services.AddSingleton<LiveHubMessageCount>();
        services.AddScoped<LiveService>();
        services.AddScoped<Home.IOpenNowSource, LiveOpenNow>();
        services.AddSingleton<LiveWrites>();
        services.AddSingleton<LiveParticipantBatches>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveParticipantBatches>());
        services.AddSingleton<LiveSnapshots>();
        services.AddSingleton<LiveFrames>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFrames>());
        services.AddSingleton<LiveNotifier>();
        services.AddSingleton<LiveRateLimits>();
        services.AddSingleton<LiveAudience>();
        services.AddSingleton<LiveVoteFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveVoteFlusher>());
        return services;
    }

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app)
    {
        app.MapHub<LiveHub>(LiveHub.Path);
        // With Redis, the backplane connects at start-up, not at the first live question, so readiness and
        // engagement.redis.connected report the link before anyone needs it.
        if (app.ServiceProvider.GetRequiredService<IConfiguration>()["Redis:Configuration"] is { Length: > 0 })
        {
            app.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
                app.ServiceProvider.GetRequiredService<HubLifetimeManager<LiveHub>>());
        }
        return app;
    }
}
