using System.Net;
using System.Text;
using Engagement.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Calendar;

public abstract class CalendarUploadTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    // The 2027 notice as the State Council might publish it (test data: New Year, and a made-up Spring Festival week).
    private const string Year2027 = """
        {"year":2027,"papers":["https://www.gov.cn/zhengce/content/2027-notice.htm"],"days":[
          {"name":"元旦","date":"2027-01-01","isOffDay":true},
          {"name":"春节","date":"2027-02-06","isOffDay":false},
          {"name":"春节","date":"2027-02-08","isOffDay":true},
          {"name":"春节","date":"2027-02-09","isOffDay":true},
          {"name":"春节","date":"2027-02-10","isOffDay":true},
          {"name":"春节","date":"2027-02-11","isOffDay":true},
          {"name":"春节","date":"2027-02-12","isOffDay":true}]}
        """;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Upload_needs_an_admin()
    {
        var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync("/api/v1/working-days/calendars/2027", Json(Year2027))).StatusCode);

        var resident = await factory.CreateClient().AsAsync("resident1@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.PutAsync("/api/v1/working-days/calendars/2027", Json(Year2027))).StatusCode);

        var staff = await factory.CreateClient().AsAsync("staff@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PutAsync("/api/v1/working-days/calendars/2027", Json(Year2027))).StatusCode);
    }

    [Fact]
    public async Task A_wrong_file_names_the_entry_and_stores_nothing()
    {
        var admin = await factory.CreateClient().AsAsync("admin@example.org");
        var file = Year2027.Replace("\"2027-02-12\"", "\"2027-02-11\"").Replace("2027-", "2028-");

        var response = await admin.PutAsync("/api/v1/working-days/calendars/2028", Json(file.Replace("\"year\":2027", "\"year\":2028")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.JsonAsync();
        var errors = problem.GetProperty("errors").GetProperty("file").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(errors, e => e.Contains("days[6]") && e.Contains("2028-02-11") && e.Contains("twice"));

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/working-days/calendars/2028")).StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.CalendarDays.AnyAsync(d => d.Year == 2028)));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("{\"year\":2029,\"papers\":[],\"days\":[{\"name\":\"x\",\"date\":\"2035-01-01\",\"isOffDay\":true}]}")]
    public async Task Malformed_files_are_422(string body)
    {
        var admin = await factory.CreateClient().AsAsync("admin@example.org");
        var response = await admin.PutAsync("/api/v1/working-days/calendars/2029", Json(body));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.CalendarYears.AnyAsync(y => y.Year == 2029)));
    }

    [Fact]
    public async Task An_oversized_file_is_413()
    {
        var admin = await factory.CreateClient().AsAsync("admin@example.org");
        var body = "{\"year\":2030,\"papers\":[\"" + new string('x', 300_000) + "\"],\"days\":[]}";
        var response = await admin.PutAsync("/api/v1/working-days/calendars/2030", Json(body));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_loaded_year_is_used_for_deadlines_and_the_change_is_audited()
    {
        var admin = await factory.CreateClient().AsAsync("admin@example.org");

        var response = await admin.PutAsync("/api/v1/working-days/calendars/2027", Json(Year2027));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // 2026-12-25 (Friday) + 10 working days, with 1 January 2027 off: 28,29,30,31 Dec, 4,5,6,7,8,11 Jan.
        var deadline = await (await factory.CreateClient().GetAsync("/api/v1/working-days/deadline?from=2026-12-25&days=10")).JsonAsync();
        Assert.Equal("2027-01-11", deadline.GetProperty("deadline").GetString());
        // The make-up Saturday of the new file counts.
        var saturday = await (await factory.CreateClient().GetAsync("/api/v1/working-days/2027-02-06")).JsonAsync();
        Assert.True(saturday.GetProperty("isWorkingDay").GetBoolean());

        var audit = await factory.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == "CalendarYear" && a.EntityId == "2027").ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal("admin@example.org", entry.Actor);
        Assert.Equal("calendar.year.load", entry.Action);
        Assert.Contains("2027-02-06", entry.After);

        // Replacing the year keeps the earlier content in the audit row's "before".
        var replaced = await admin.PutAsync("/api/v1/working-days/calendars/2027", Json(Year2027.Replace("\"2027-02-06\"", "\"2027-02-07\"")));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var replace = await factory.WithDbAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "calendar.year.replace"));
        Assert.Contains("2027-01-01", replace.Before);

        var download = await (await factory.CreateClient().GetAsync("/api/v1/working-days/calendars/2027")).Content.ReadAsStringAsync();
        Assert.Contains("\"year\": 2027", download);
    }
}

public sealed class CalendarUploadTests_Sqlite(SqliteFactory factory) : CalendarUploadTests<SqliteFactory>(factory);
public sealed class CalendarUploadTests_Postgres(PostgresFactory factory) : CalendarUploadTests<PostgresFactory>(factory);
