namespace Engagement.Web.Features.Live;

public static class LiveSetup
{
    /// <summary>
    /// SignalR with camelCase JSON, and the Redis backplane when <c>Redis:Configuration</c> is set, so several
    /// instances share sessions (groups and events go through Redis; state is in the shared database).
    /// </summary>
    public static IServiceCollection AddLive(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<LiveOptions>(configuration.GetSection("Live"));
        var signalR = services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = 16 * 1024;
            o.EnableDetailedErrors = false;
        });
        if (configuration["Redis:Configuration"] is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal(configuration["Redis:ChannelPrefix"] ?? "engagement"));
        }
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
        return app;
    }
}
