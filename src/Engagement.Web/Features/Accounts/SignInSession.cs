using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Features.Accounts;

public enum SignInKind
{
    /// <summary>The sign-in cookie of a browser.</summary>
    Browser,
    /// <summary>A bearer token and its refresh token, for an API client.</summary>
    Api,
}

/// <summary>
/// One place a person is signed in: a browser's cookie or an API client's tokens carry its id (claim <c>sid</c>), and
/// every request checks that the row still exists and was made under the account's current security stamp. Deleting
/// the row signs that one place out; changing the stamp (password, roles, unit, second factor, disabling, "sign out
/// everywhere") signs out every place at once.
/// </summary>
public sealed class SignInSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public SignInKind Kind { get; set; }

    /// <summary>The account's security stamp when this sign-in was made (or last confirmed by the person).</summary>
    public string Stamp { get; set; } = "";

    /// <summary>Browser and system in words ("Chrome on Windows"), from the User-Agent; for the person's own list.</summary>
    public string Device { get; set; } = "";
    public string? Address { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Whether the person gave a second factor (or set one up) in this sign-in.</summary>
    public bool SecondFactor { get; set; }

    /// <summary>Which refresh token is current (API sign-ins): an older one coming back means a copy was stolen.</summary>
    public int RefreshGeneration { get; set; }
}

/// <summary>
/// Failed sign-ins of one key: an e-mail address (hashed, whether or not it has an account, so answers cannot tell),
/// a device that signed in before, or a second-factor step. Blocks grow 1, 5, 15 minutes and tries during a block are
/// not counted, so a third party cannot make one longer.
/// </summary>
public sealed class SignInThrottle
{
    public string Key { get; set; } = "";
    public int Failures { get; set; }
    public DateTimeOffset LastFailureAt { get; set; }
    public DateTimeOffset? BlockedUntil { get; set; }
}

/// <summary>A one-time sign-in link e-mailed to the person (the way back in while sign-in by password is paused).</summary>
public sealed class SignInLink
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }

    /// <summary>SHA-256 of the token in the link (the link itself is never stored).</summary>
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

internal sealed class SignInSessionConfiguration : IEntityTypeConfiguration<SignInSession>
{
    public void Configure(EntityTypeBuilder<SignInSession> builder)
    {
        builder.Property(s => s.Stamp).HasMaxLength(256);
        builder.Property(s => s.Device).HasMaxLength(100);
        builder.Property(s => s.Address).HasMaxLength(64);
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        builder.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.UserId);
    }
}

internal sealed class SignInThrottleConfiguration : IEntityTypeConfiguration<SignInThrottle>
{
    public void Configure(EntityTypeBuilder<SignInThrottle> builder)
    {
        builder.HasKey(t => t.Key);
        builder.Property(t => t.Key).HasMaxLength(100);
    }
}

internal sealed class SignInLinkConfiguration : IEntityTypeConfiguration<SignInLink>
{
    public void Configure(EntityTypeBuilder<SignInLink> builder)
    {
        builder.Property(l => l.TokenHash).HasMaxLength(64);
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasOne(l => l.User).WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
