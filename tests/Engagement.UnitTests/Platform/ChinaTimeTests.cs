using Engagement.Web.Platform.Time;
using Microsoft.Extensions.Time.Testing;

namespace Engagement.UnitTests.Platform;

public sealed class ChinaTimeTests
{
    [Fact]
    public void Today_is_the_date_in_Shanghai_not_on_the_server()
    {
        // 17:30 UTC on 22 November is 01:30 on 23 November in Shanghai.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 17, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 11, 23), ChinaTime.Today(clock));
    }

    [Fact]
    public void Shanghai_wall_clock_converts_to_utc_at_plus_eight()
    {
        var utc = ChinaTime.FromChina(new DateTime(2026, 8, 1, 9, 0, 0));
        Assert.Equal(new DateTimeOffset(2026, 8, 1, 1, 0, 0, TimeSpan.Zero), utc.ToUniversalTime());
    }
}
