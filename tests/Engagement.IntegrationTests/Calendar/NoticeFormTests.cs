using System.Net;
using Engagement.IntegrationTests.Infrastructure;

namespace Engagement.IntegrationTests.Calendar;

/// <summary>The admin types the State Council's notice in as it reads; mistakes are named by row at the top and nothing is half-stored.</summary>
public sealed class NoticeFormTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task The_notice_typed_row_by_row_is_checked_named_by_row_and_then_counts_working_days()
    {
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        var page = await admin.GetPageAsync("/admin/calendars");
        var rows = new Dictionary<string, string>
        {
            ["Year"] = "2028", ["Paper"] = "https://www.gov.cn/zhengce/content/2028-notice.htm",
            ["Holidays[0].Name"] = "元旦", ["Holidays[0].From"] = "2028-01-01", ["Holidays[0].To"] = "2028-01-03",
            ["Holidays[1].Name"] = "春节", ["Holidays[1].From"] = "2028-01-25", ["Holidays[1].To"] = "2028-01-31", ["Holidays[1].WorkDays"] = "2028-01-22、2月12日",
            ["Holidays[2].Name"] = "国庆节", ["Holidays[2].From"] = "2027-10-01", ["Holidays[2].To"] = "2027-10-07",
            ["Holidays[3].Name"] = "劳动节", ["Holidays[3].From"] = "2028-05-01", ["Holidays[3].To"] = "2028-05-05", ["Holidays[3].WorkDays"] = "2028-05-08",
        };
        var refused = await admin.SubmitAsync(page, "/admin/calendars/notice", rows);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var shown = await refused.ParseAsync();
        // At the top of the page, before anything else, each named by its row.
        Assert.Equal("upload-errors", shown.QuerySelector("main h1")!.NextElementSibling!.Id);
        var errors = shown.QuerySelectorAll("#upload-errors li").Select(li => li.TextContent).ToList();
        Assert.Contains(errors, e => e.StartsWith("第2行（春节）") && e.Contains("2月12日"));
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync("/api/v1/working-days/calendars/2028")).StatusCode);
        // What was typed stays.
        Assert.Equal("2028-01-22、2月12日", shown.QuerySelector("input[name='Holidays[1].WorkDays']")!.GetAttribute("value"));

        // The date fixed: the checks of the file speak of rows too (a holiday in 2027, a make-up day on a Monday).
        rows["Holidays[1].WorkDays"] = "2028-01-22, 2028-02-12";
        refused = await admin.SubmitAsync(page, "/admin/calendars/notice", rows);
        errors = (await refused.ParseAsync()).QuerySelectorAll("#upload-errors li").Select(li => li.TextContent).ToList();
        Assert.Contains(errors, e => e.Contains("第3行") && e.Contains("2027-10-01"));
        Assert.Contains(errors, e => e.Contains("第4行") && e.Contains("2028-05-08"));
        Assert.DoesNotContain(errors, e => e.Contains("days["));

        rows.Remove("Holidays[2].Name"); rows.Remove("Holidays[2].From"); rows.Remove("Holidays[2].To");
        rows["Holidays[3].WorkDays"] = "2028-04-29";
        var saved = await admin.SubmitAsync(page, "/admin/calendars/notice", rows);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var makeUp = await (await factory.CreateClient().GetAsync("/api/v1/working-days/2028-02-12")).JsonAsync();
        Assert.True(makeUp.GetProperty("isWorkingDay").GetBoolean());
        var festival = await (await factory.CreateClient().GetAsync("/api/v1/working-days/2028-01-26")).JsonAsync();
        Assert.False(festival.GetProperty("isWorkingDay").GetBoolean());
        Assert.Equal("春节", festival.GetProperty("holiday").GetString());
    }
}
