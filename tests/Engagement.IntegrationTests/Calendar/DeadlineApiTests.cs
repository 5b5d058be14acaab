using System.Net;
using Engagement.IntegrationTests.Infrastructure;

namespace Engagement.IntegrationTests.Calendar;

public abstract class DeadlineApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    [Theory]
    [InlineData("2022-09-30", 10, "2022-10-19")]
    [InlineData("2023-01-20", 1, "2023-01-28")]
    [InlineData("2022-12-30", 1, "2023-01-03")]
    [InlineData("2024-02-08", 10, "2024-02-28")]
    [InlineData("2025-09-30", 1, "2025-10-09")]
    [InlineData("2026-09-30", 10, "2026-10-20")]
    [InlineData("2026-04-30", 10, "2026-05-18")]
    public async Task Deadline_gives_the_official_answer(string from, int days, string deadline)
    {
        var response = await factory.CreateClient().GetAsync($"/api/v1/working-days/deadline?from={from}&days={days}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(from, body.GetProperty("from").GetString());
        Assert.Equal(days, body.GetProperty("days").GetInt32());
        Assert.Equal(deadline, body.GetProperty("deadline").GetString());
    }

    [Fact]
    public async Task Deadline_reaching_a_year_without_a_calendar_is_422_naming_the_year()
    {
        var response = await factory.CreateClient().GetAsync("/api/v1/working-days/deadline?from=2026-12-25&days=10");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Contains("2027", problem.GetProperty("detail").GetString());
        Assert.Equal(2027, problem.GetProperty("year").GetInt32());
    }

    [Theory]
    [InlineData("from=2026-13-01&days=10")]
    [InlineData("from=2026-02-30&days=10")]
    [InlineData("from=26-1-1&days=10")]
    [InlineData("from=abc&days=10")]
    [InlineData("days=10")]
    [InlineData("from=2026-09-30")]
    [InlineData("from=2026-09-30&days=0")]
    [InlineData("from=2026-09-30&days=-3")]
    [InlineData("from=2026-09-30&days=ten")]
    [InlineData("from=2026-09-30&days=99999999999999999999")]
    [InlineData("from=2026-09-30&days=%EF%BC%91%EF%BC%90")] // full-width digits
    public async Task Malformed_input_is_400_with_a_reason(string query)
    {
        var response = await factory.CreateClient().GetAsync($"/api/v1/working-days/deadline?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace((await response.JsonAsync()).GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_single_date_says_whether_it_is_a_working_day_and_why()
    {
        var client = factory.CreateClient();
        var makeUp = await (await client.GetAsync("/api/v1/working-days/2026-10-10")).JsonAsync();
        Assert.True(makeUp.GetProperty("isWorkingDay").GetBoolean());
        Assert.Equal("国庆节", makeUp.GetProperty("holiday").GetString());

        var holiday = await (await client.GetAsync("/api/v1/working-days/2026-10-05")).JsonAsync();
        Assert.False(holiday.GetProperty("isWorkingDay").GetBoolean());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.GetAsync("/api/v1/working-days/2027-01-04")).StatusCode);
    }

    [Fact]
    public async Task The_loaded_years_are_public()
    {
        var years = await (await factory.CreateClient().GetAsync("/api/v1/working-days/calendars")).JsonAsync();
        Assert.Equal([2022, 2023, 2024, 2025, 2026], years.EnumerateArray().Select(y => y.GetProperty("year").GetInt32()));
    }
}

public sealed class DeadlineApiTests_Sqlite(SqliteFactory factory) : DeadlineApiTests<SqliteFactory>(factory);
public sealed class DeadlineApiTests_Postgres(PostgresFactory factory) : DeadlineApiTests<PostgresFactory>(factory);
