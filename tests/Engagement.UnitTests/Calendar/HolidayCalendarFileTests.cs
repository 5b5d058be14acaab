using Engagement.Web.Features.Calendar;

namespace Engagement.UnitTests.Calendar;

public sealed class HolidayCalendarFileTests
{
    [Theory]
    [InlineData(2022)]
    [InlineData(2023)]
    [InlineData(2024)]
    [InlineData(2025)]
    [InlineData(2026)]
    [InlineData(2027)]
    public void Every_shipped_file_is_valid(int year)
    {
        var result = HolidayCalendarFile.Parse(ShippedCalendar.Json(year), year);
        Assert.True(result.IsValid, string.Join("; ", result.Messages));
    }

    [Fact]
    public void Written_file_reads_back_the_same()
    {
        var year = ShippedCalendar.Year(2026);
        var again = HolidayCalendarFile.Parse(HolidayCalendarFile.Write(year), 2026);
        Assert.True(again.IsValid);
        Assert.Equal(year.Days, again.Year!.Days);
        Assert.Equal(year.Papers, again.Year.Papers);
    }

    [Fact]
    public void A_date_listed_twice_is_named_with_both_places()
    {
        var result = HolidayCalendarFile.Parse("""
            {"year":2028,"papers":["https://www.gov.cn/x"],"days":[
              {"name":"元旦","date":"2028-01-01","isOffDay":true},
              {"name":"元旦","date":"2028-01-01","isOffDay":true}]}
            """, 2028);
        Assert.False(result.IsValid);
        Assert.Null(result.Year);
        var error = Assert.Single(result.Messages);
        Assert.Contains("days[1]", error);
        Assert.Contains("2028-01-01", error);
        Assert.Contains("days[0]", error);
    }

    [Fact]
    public void A_date_outside_the_year_is_refused_but_new_years_break_may_begin_the_december_before()
    {
        var result = HolidayCalendarFile.Parse("""
            {"year":2028,"papers":[],"days":[
              {"name":"元旦","date":"2027-12-31","isOffDay":true},
              {"name":"春节","date":"2030-02-01","isOffDay":true},
              {"name":"国庆节","date":"2027-10-01","isOffDay":true},
              {"name":"春节","date":"2027-12-30","isOffDay":true},
              {"name":"元旦","date":"2029-01-01","isOffDay":true}]}
            """, 2028);
        Assert.Equal(4, result.Messages.Count);
        Assert.Contains(result.Messages, m => m.Contains("days[1] (2030-02-01)"));
        Assert.Contains(result.Messages, m => m.Contains("days[2] (2027-10-01)"));
        Assert.Contains(result.Messages, m => m.Contains("days[3] (2027-12-30)"));
        Assert.Contains(result.Messages, m => m.Contains("days[4] (2029-01-01)"));
        Assert.DoesNotContain(result.Messages, m => m.Contains("days[0]"));
    }

    [Fact]
    public void A_make_up_working_day_on_a_weekday_is_refused()
    {
        var result = HolidayCalendarFile.Parse("""{"year":2028,"papers":[],"days":[{"name":"春节","date":"2028-01-26","isOffDay":false}]}""", 2028);
        Assert.Contains(result.Messages, e => e.Contains("days[0]") && e.Contains("Saturday or Sunday"));
    }

    [Fact]
    public void A_file_for_another_year_is_refused()
    {
        var result = HolidayCalendarFile.Parse(ShippedCalendar.Json(2026), 2028);
        Assert.Contains(result.Messages, e => e.Contains("2026") && e.Contains("2028"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"year\":2028}")]
    [InlineData("{\"year\":\"2028\",\"papers\":[],\"days\":[]}")]
    [InlineData("{\"year\":2028,\"papers\":[],\"days\":[{\"name\":\"x\",\"date\":\"2028-02-30\",\"isOffDay\":true}]}")]
    [InlineData("{\"year\":2028,\"papers\":[],\"days\":[{\"name\":\"x\",\"date\":\"2028-01-01\",\"isOffDay\":\"yes\"}]}")]
    [InlineData("{\"year\":2028,\"papers\":[],\"days\":[{\"date\":\"2028-01-01\",\"isOffDay\":true}]}")]
    [InlineData("{\"year\":2028,\"papers\":[],\"days\":[7]}")]
    public void Malformed_files_are_refused_with_a_reason(string json)
    {
        var result = HolidayCalendarFile.Parse(json, 2028);
        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Messages);
        Assert.All(result.Messages, e => Assert.False(string.IsNullOrWhiteSpace(e)));
    }

    [Fact]
    public void Deeply_nested_json_is_refused_without_crashing()
    {
        var json = new string('[', 5000) + new string(']', 5000);
        var result = HolidayCalendarFile.Parse(json, 2028);
        Assert.False(result.IsValid);
    }
}
