using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Engagement.Web.Features.Calendar;

/// <summary>A loaded year's notice. The year is the notice's year, as in the holiday-cn files.</summary>
public sealed class CalendarYearRecord
{
    public int Year { get; set; }
    public string Papers { get; set; } = "[]";
    public DateTimeOffset LoadedAt { get; set; }

    /// <summary>"seed" for the files shipped with the platform, otherwise the admin's e-mail.</summary>
    public string LoadedBy { get; set; } = "";
    public List<CalendarDayRecord> Days { get; set; } = [];
}

public sealed class CalendarDayRecord
{
    public long Id { get; set; }
    public int Year { get; set; }
    public DateOnly Date { get; set; }
    public string Name { get; set; } = "";
    public bool IsOffDay { get; set; }
}

internal sealed class CalendarYearConfiguration : IEntityTypeConfiguration<CalendarYearRecord>
{
    public void Configure(EntityTypeBuilder<CalendarYearRecord> builder)
    {
        builder.HasKey(y => y.Year);
        builder.Property(y => y.Year).ValueGeneratedNever();
        builder.Property(y => y.LoadedBy).HasMaxLength(256);
        builder.HasMany(y => y.Days).WithOne().HasForeignKey(d => d.Year).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CalendarDayConfiguration : IEntityTypeConfiguration<CalendarDayRecord>
{
    public void Configure(EntityTypeBuilder<CalendarDayRecord> builder)
    {
        builder.Property(d => d.Name).HasMaxLength(50);
        builder.HasIndex(d => new { d.Year, d.Date }).IsUnique();
    }
}
