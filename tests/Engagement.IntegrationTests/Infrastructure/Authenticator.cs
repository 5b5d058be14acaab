using OtpNet;

namespace Engagement.IntegrationTests.Infrastructure;

/// <summary>The person's authenticator app, as an independent TOTP implementation (Otp.NET, RFC 6238).</summary>
public static class Authenticator
{
    /// <summary>The current code for the key as the set-up page shows it ("abcd efgh ...").</summary>
    public static string Code(string shownKey, DateTime? at = null) =>
        new Totp(Base32Encoding.ToBytes(shownKey.Replace(" ", "").ToUpperInvariant())).ComputeTotp(at ?? DateTime.UtcNow);

    /// <summary>A code of another 30-second step, for a second sign-in right after a first (a code works once).</summary>
    public static string NextCode(string shownKey, int steps = 1) => Code(shownKey, DateTime.UtcNow.AddSeconds(30 * steps));
}
