using System.Net;
using Engagement.Web.Platform.Telemetry;
using Microsoft.Extensions.Configuration;

namespace Engagement.UnitTests.Platform;

/// <summary>Who may read /metrics: Metrics:AllowedNetworks, loopback by default.</summary>
public sealed class MetricsNetworksTests
{
    private static IReadOnlyList<IPNetwork> Networks(params (string Key, string? Value)[] settings) =>
        TelemetrySetup.AllowedNetworks(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)] // IPv4 on a dual-stack socket
    [InlineData("10.0.0.5", false)]
    [InlineData("192.168.1.20", false)]
    [InlineData("203.0.113.7", false)]
    [InlineData("fe80::1", false)]
    public void By_default_only_this_machine_may_scrape(string address, bool allowed) =>
        Assert.Equal(allowed, TelemetrySetup.IsAllowed(IPAddress.Parse(address), Networks()));

    [Fact]
    public void No_address_is_not_known_to_be_inside() =>
        Assert.False(TelemetrySetup.IsAllowed(null, Networks()));

    [Fact]
    public void Networks_are_read_as_a_list_or_as_one_string_of_addresses_and_cidr_ranges()
    {
        var list = Networks(("Metrics:AllowedNetworks:0", "10.20.0.0/16"), ("Metrics:AllowedNetworks:1", "192.168.5.9"));
        Assert.True(TelemetrySetup.IsAllowed(IPAddress.Parse("10.20.3.4"), list));
        Assert.True(TelemetrySetup.IsAllowed(IPAddress.Parse("192.168.5.9"), list));
        Assert.False(TelemetrySetup.IsAllowed(IPAddress.Parse("192.168.5.10"), list));
        Assert.False(TelemetrySetup.IsAllowed(IPAddress.Parse("127.0.0.1"), list)); // naming networks replaces the default

        // As an environment variable is written: Metrics__AllowedNetworks="127.0.0.1, 10.8.0.0/24; fd00::/8"
        var text = Networks(("Metrics:AllowedNetworks", "127.0.0.1, 10.8.0.0/24; fd00::/8"));
        Assert.True(TelemetrySetup.IsAllowed(IPAddress.Parse("10.8.0.200"), text));
        Assert.True(TelemetrySetup.IsAllowed(IPAddress.Parse("fd12::3"), text));
        Assert.False(TelemetrySetup.IsAllowed(IPAddress.Parse("10.8.1.1"), text));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("localhost")]
    public void A_value_that_is_not_an_address_or_network_is_refused_with_the_setting_named(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Networks(("Metrics:AllowedNetworks", value)));
        Assert.Contains("Metrics:AllowedNetworks", error.Message);
        Assert.Contains(value, error.Message);
    }
}
