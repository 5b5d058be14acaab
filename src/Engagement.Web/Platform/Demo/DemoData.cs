using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Admin;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Platform.Demo;

public sealed class DemoOptions
{
    public bool Enabled { get; set; }
    public int Residents { get; set; } = 20;
    public string Password { get; set; } = "";
}

/// <summary>
/// Demo content for Changning District: its real units and demo accounts for every role. Idempotent: run at every
/// start while Demo:Enabled is on, it only adds what is missing.
/// </summary>
public sealed class DemoData(EngagementDbContext db, UserManager<User> users, IOptions<DemoOptions> options, TimeProvider clock, ILogger<DemoData> logger,
    IServiceProvider services)
{
    public static readonly IReadOnlyList<(string Name, string NameEn, UnitKind Kind)> Units =
    [
        ("区政府办公室", "District Government Office", UnitKind.DistrictOffice),
        ("区发展改革委", "District Development and Reform Commission", UnitKind.Bureau),
        ("区民政局", "District Civil Affairs Bureau", UnitKind.Bureau),
        ("区规划资源局", "District Planning and Natural Resources Bureau", UnitKind.Bureau),
        ("区教育局", "District Education Bureau", UnitKind.Bureau),
        ("区卫生健康委", "District Health Commission", UnitKind.Bureau),
        ("区商务委", "District Commerce Commission", UnitKind.Bureau),
        ("区司法局", "District Justice Bureau", UnitKind.Bureau),
        ("区住房保障房屋管理局", "District Housing Administration Bureau", UnitKind.Bureau),
        ("区生态环境局", "District Ecology and Environment Bureau", UnitKind.Bureau),
        ("区市场监管局", "District Market Supervision Administration", UnitKind.Bureau),
        ("区政务服务办", "District Government Services Office", UnitKind.Bureau),
        ("华阳路街道", "Huayang Road Subdistrict", UnitKind.StreetOffice),
        ("江苏路街道", "Jiangsu Road Subdistrict", UnitKind.StreetOffice),
        ("新华路街道", "Xinhua Road Subdistrict", UnitKind.StreetOffice),
        ("周家桥街道", "Zhoujiaqiao Subdistrict", UnitKind.StreetOffice),
        ("天山路街道", "Tianshan Road Subdistrict", UnitKind.StreetOffice),
        ("仙霞新村街道", "Xianxia Xincun Subdistrict", UnitKind.StreetOffice),
        ("虹桥街道", "Hongqiao Subdistrict", UnitKind.StreetOffice),
        ("程家桥街道", "Chengjiaqiao Subdistrict", UnitKind.StreetOffice),
        ("北新泾街道", "Beixinjing Subdistrict", UnitKind.StreetOffice),
        ("新泾镇", "Xinjing Town", UnitKind.Town),
    ];

    public static readonly IReadOnlyList<(string Email, string Name, string Unit)> DraftingStaff =
    [
        ("housing@example.org", "区房管局 工作人员", "区住房保障房屋管理局"),
        ("civil@example.org", "区民政局 工作人员", "区民政局"),
        ("ndrc@example.org", "区发展改革委 工作人员", "区发展改革委"),
    ];

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "朱", "马", "胡", "郭", "林", "何", "高", "罗"];
    private static readonly string[] GivenNames = ["建国", "秀英", "伟", "芳", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "霞", "平"];

    public async Task EnsureAsync()
    {
        var password = options.Value.Password;
        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidOperationException("Demo:Enabled is on but Demo:Password is empty: set it (see README).");
        }
        var now = clock.GetUtcNow();
        var existing = await db.Units.Select(u => u.Name).ToListAsync();
        foreach (var (name, nameEn, kind) in Units.Where(u => !existing.Contains(u.Name)))
        {
            db.Units.Add(new Unit { Name = name, NameEn = nameEn, Kind = kind, CreatedAt = now });
        }
        await db.SaveChangesAsync();

        var office = await db.Units.SingleAsync(u => u.Name == "区政府办公室");
        if (!await db.Units.AnyAsync(u => u.IsDistrictOffice))
        {
            office.IsDistrictOffice = true;
            await db.SaveChangesAsync();
        }
        await EnsureUserAsync("admin@example.org", "区政务公开办 管理员", password, [Roles.Admin, Roles.Resident], null);
        await EnsureUserAsync("staff@example.org", "区政府办公室 工作人员", password, [Roles.Staff, Roles.Resident], office.Id);
        await EnsureUserAsync("host@example.org", "区政府办公室 主持人", password, [Roles.Host, Roles.Resident], office.Id);
        for (var i = 1; i <= Math.Max(0, options.Value.Residents); i++)
        {
            var name = Surnames[(i - 1) % Surnames.Length] + GivenNames[(i * 7) % GivenNames.Length];
            await EnsureUserAsync($"resident{i}@example.org", name, password, [Roles.Resident], null);
        }

        var residents = await db.Users.Where(u => u.Email!.StartsWith("resident") && u.Email.EndsWith("@example.org")).OrderBy(u => u.CreatedAt).ToListAsync();
        // Staff of the drafting units of the demo decisions: each moderates its own unit's comments.
        foreach (var (email, name, unit) in DraftingStaff)
        {
            var unitId = await db.Units.Where(u => u.Name == unit).Select(u => u.Id).SingleAsync();
            await EnsureUserAsync(email, name, password, [Roles.Staff, Roles.Resident], unitId);
        }
        var housing = await db.Users.SingleAsync(u => u.Email == DraftingStaff[0].Email);
        // The demo's times fall on whole and half hours, as a clerk would set them (a meeting at 09:30, not 09:37).
        var halfHours = new HalfHourClock(clock);
        await Features.Consultation.ConsultationDemo.EnsureAsync(db, halfHours, residents, housing);
        await Features.Adoption.AdoptionDemo.EnsureAsync(services, db, halfHours, residents);
        await Features.Meetings.MeetingDemo.EnsureAsync(services, db, halfHours);
        await Features.OpenMonth.OpenMonthDemo.EnsureAsync(db, halfHours);
        await Features.Live.LiveDemo.EnsureAsync(db, halfHours);
        await Features.Subscriptions.SubscriptionsDemo.EnsureAsync(db);
        await Features.Messages.MessagesDemo.EnsureAsync(services, db, clock, residents);
    }

    private async Task EnsureUserAsync(string email, string displayName, string password, string[] roles, int? unitId)
    {
        if (await users.FindByEmailAsync(email) is not null) return;
        var user = new User
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            UnitId = unitId,
            CreatedAt = clock.GetUtcNow(),
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"A demo account ({string.Join(",", roles)}) could not be created: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
        await users.AddToRolesAsync(user, roles);
        // The role, not the address: no log line names a person, demo or not (the accounts are listed in README.md).
        logger.LogInformation("Demo account created ({Roles})", string.Join(",", roles));
    }
}

/// <summary>The clock's time rounded down to the half hour (China's offset is whole hours, so the half hours are China's too).</summary>
internal sealed class HalfHourClock(TimeProvider clock) : TimeProvider
{
    public override DateTimeOffset GetUtcNow()
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.FromMinutes(30).Ticks, TimeSpan.Zero);
    }

    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;
}
