using Engagement.Web.Features.Admin;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Features.Accounts;

public sealed class User : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";

    /// <summary>The unit a Staff member works for (a district bureau, a street office, the town).</summary>
    public int? UnitId { get; set; }
    public Unit? Unit { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Role : IdentityRole<Guid>
{
    public Role() { }
    public Role(string name) : base(name) { }
}

/// <summary>The four roles of DOMAIN.md. A person can hold several.</summary>
public static class Roles
{
    public const string Resident = "Resident";
    public const string Host = "Host";
    public const string Staff = "Staff";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Resident, Host, Staff, Admin];

    public const string StaffOrAdmin = Staff + "," + Admin;
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(50);
        builder.HasOne(u => u.Unit).WithMany().HasForeignKey(u => u.UnitId).OnDelete(DeleteBehavior.SetNull);
    }
}
