using System.Net;
using Engagement.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Admin;

public abstract class AdminTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/units")]
    [InlineData("/admin/users")]
    [InlineData("/admin/audit")]
    [InlineData("/admin/calendars")]
    public async Task Admin_pages_are_for_admins_only(string path)
    {
        var anonymous = await factory.CreateBrowser().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/account/login", Path(anonymous));

        var resident = factory.CreateBrowser();
        await resident.SignInAsync("resident1@example.org");
        var denied = await resident.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Equal("/account/denied", Path(denied));

        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
    }

    private static string Path(HttpResponseMessage response) => new Uri(new Uri("https://localhost"), response.Headers.Location!).AbsolutePath;

    [Fact]
    public async Task From_november_the_admin_home_warns_that_next_years_calendar_is_missing()
    {
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        var page = await admin.GetPageAsync("/admin");
        Assert.Contains("2027", page.QuerySelector("#calendar-warning")!.TextContent);
    }

    [Fact]
    public async Task After_31_march_an_unpublished_catalog_is_overdue_on_the_admin_home_until_published()
    {
        var year = Engagement.Web.Platform.Time.ChinaTime.Today(factory.Clock).Year;
        await factory.WithDbAsync(db => db.Set<Engagement.Web.Features.Consultation.DecisionCatalog>()
            .Where(c => c.Year == year && c.UnitId == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.PublishedOn, (DateOnly?)null)));
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        var home = await admin.GetPageAsync("/admin");
        var today = Engagement.Web.Platform.Time.ChinaTime.Today(factory.Clock);
        var days = today.DayNumber - new DateOnly(year, 3, 31).DayNumber;
        Assert.Contains($"{days}", home.QuerySelector("#catalog-warning")!.TextContent);

        var published = await admin.SubmitAsync(home, $"/admin/catalogs/{year}/publish");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Null((await admin.GetPageAsync("/admin")).QuerySelector("#catalog-warning"));
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "catalog.publish")));
    }

    [Fact]
    public async Task An_admin_adds_a_unit_and_makes_a_resident_staff_of_it_and_both_are_audited()
    {
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");

        var units = await admin.GetPageAsync("/admin/units");
        var created = await admin.SubmitAsync(units, "/admin/units", new Dictionary<string, string>
        {
            ["Name"] = "区数据局", ["NameEn"] = "District Data Bureau", ["Kind"] = "Bureau",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var unitId = await factory.WithDbAsync(db => db.Units.Where(u => u.Name == "区数据局").Select(u => u.Id).SingleAsync());

        // The same name twice is refused beside the field.
        var duplicate = await admin.SubmitAsync(await admin.GetPageAsync("/admin/units"), "/admin/units",
            new Dictionary<string, string> { ["Name"] = "区数据局", ["Kind"] = "Bureau" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, duplicate.StatusCode);
        Assert.Contains("同名", (await duplicate.ParseAsync()).QuerySelector("#Name-error")!.TextContent);

        var resident = await factory.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == "resident2@example.org"));
        var edit = await admin.GetPageAsync($"/admin/users/{resident.Id}");
        // Staff without a unit is refused.
        var noUnit = await admin.SubmitAsync(edit, $"/admin/users/{resident.Id}", new Dictionary<string, string> { ["Roles"] = "Staff", ["UnitId"] = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noUnit.StatusCode);

        var content = new FormUrlEncodedContent(new[]
        {
            new KeyValuePair<string, string>("__RequestVerificationToken", edit.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new("Roles", "Resident"), new("Roles", "Staff"), new("UnitId", unitId.ToString()),
        });
        var saved = await admin.PostAsync($"/admin/users/{resident.Id}", content);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var staff = await factory.CreateClient().AsAsync("resident2@example.org");
        var me = await (await staff.GetAsync("/api/v1/auth/me")).JsonAsync();
        Assert.Contains("Staff", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(unitId, me.GetProperty("unitId").GetInt32());

        var entry = await factory.WithDbAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "user.roles" && a.EntityId == resident.Id.ToString()));
        Assert.Equal("admin@example.org", entry.Actor);
        Assert.DoesNotContain("Staff", entry.Before);
        Assert.Contains("Staff", entry.After);
        var audit = await admin.GetPageAsync("/admin/audit?Action=user.roles");
        Assert.Single(audit.QuerySelectorAll(".audit-table tbody tr"));
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "unit.create" && a.After!.Contains("区数据局"))));
    }

    [Fact]
    public async Task An_admin_uploads_a_calendar_file_on_the_page_and_sees_which_entry_is_wrong()
    {
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        var page = await admin.GetPageAsync("/admin/calendars");
        var token = page.QuerySelector("form[action='/admin/calendars'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("2031"), "year" },
            { new ByteArrayContent("""{"year":2031,"papers":[],"days":[{"name":"元旦","date":"2031-01-01","isOffDay":true},{"name":"春节","date":"2031-01-22","isOffDay":false}]}"""u8.ToArray()), "file", "2031.json" },
        };
        var response = await admin.PostAsync("/admin/calendars", form);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.ParseAsync()).QuerySelector("#upload-errors")!.TextContent;
        Assert.Contains("days[1] (2031-01-22)", errors);
        Assert.False(await factory.WithDbAsync(db => db.CalendarYears.AnyAsync(y => y.Year == 2031)));
    }
}

public sealed class AdminTests_Sqlite(SqliteFactory factory) : AdminTests<SqliteFactory>(factory);
public sealed class AdminTests_Postgres(PostgresFactory factory) : AdminTests<PostgresFactory>(factory);
