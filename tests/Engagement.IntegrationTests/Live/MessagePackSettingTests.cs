using Engagement.Web.Features.Live;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Live;

/// <summary>The hub offers MessagePack beside JSON only when <c>Live:MessagePack</c> is on (off by default).</summary>
public sealed class MessagePackSettingTests
{
    [Theory]
    [InlineData(null, new[] { "json" })]
    [InlineData("false", new[] { "json" })]
    [InlineData("true", new[] { "json", "messagepack" })]
    public void The_MessagePack_protocol_is_offered_only_when_Live_MessagePack_is_on(string? setting, string[] offered)
    {
        var values = new Dictionary<string, string?>();
        if (setting is not null) values["Live:MessagePack"] = setting;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLive(configuration);
        using var provider = services.BuildServiceProvider();
        Assert.Equal(offered, provider.GetServices<IHubProtocol>().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
    }
}
