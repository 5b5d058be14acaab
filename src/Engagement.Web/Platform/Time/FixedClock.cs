namespace Engagement.Web.Platform.Time;

/// <summary>A clock stopped at one instant: demo data uses it to record what happened in the past through the real services.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
