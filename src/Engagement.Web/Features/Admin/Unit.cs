using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Features.Admin;

/// <summary>What kind of government unit this is: staff belong to one.</summary>
public enum UnitKind
{
    DistrictOffice,
    Bureau,
    StreetOffice,
    Town,
}

/// <summary>A unit of the district government (区发展改革委, 区民政局, 华阳路街道, 新泾镇 ...).</summary>
public sealed class Unit
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string NameEn { get; set; } = "";
    public UnitKind Kind { get; set; }
    public bool IsActive { get; set; } = true;

    /// <summary>
    /// The office that works for the district government as a whole (区政府办公室 in Changning): it assigns the messages
    /// left on the general board and runs the district government's own meetings. One unit at most, chosen by the admin.
    /// </summary>
    public bool IsDistrictOffice { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public string LocalName(bool english) => english && !string.IsNullOrWhiteSpace(NameEn) ? NameEn : Name;
}

internal sealed class UnitConfiguration : IEntityTypeConfiguration<Unit>
{
    public void Configure(EntityTypeBuilder<Unit> builder)
    {
        builder.Property(u => u.Name).HasMaxLength(60).IsRequired();
        builder.Property(u => u.NameEn).HasMaxLength(120);
        builder.Property(u => u.Kind).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(u => u.Name).IsUnique();
    }
}
