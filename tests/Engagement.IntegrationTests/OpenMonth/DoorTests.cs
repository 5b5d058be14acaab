using System.Net;
using System.Net.Http.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.OpenMonth;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.OpenMonth;

/// <summary>At the door: someone who forgot their code is found by name or phone among this event's registrations and checked in.</summary>
public sealed class DoorTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task A_resident_without_their_code_is_found_by_name_or_phone_and_checked_in_and_others_are_not_found()
    {
        var evt = await factory.WithDbAsync(db => db.Set<OpenEvent>().Where(e => e.RegistrationOpensAt <= EngagementFactory.Now && e.RegistrationClosesAt > EngagementFactory.Now
            && e.Unit!.Name == "区政府办公室" && e.Confirmed + 2 <= e.Capacity).OrderBy(e => e.Id).Select(e => e.Id).FirstAsync());
        var resident = factory.CreateBrowser();
        await resident.SignInAsync("resident1@example.org");
        var profile = await resident.GetPageAsync("/profile");
        await resident.SubmitAsync(profile, "/profile", new Dictionary<string, string> { ["DisplayName"] = "门口查找测试", ["Phone"] = "13912340817" });
        Assert.True((await (await factory.CreateClient().AsAsync("resident1@example.org")).PostAsJsonAsync($"/api/v1/events/{evt}/registrations", new { companions = 1 })).IsSuccessStatusCode);

        var staff = factory.CreateBrowser();
        await staff.SignInAsync("staff@example.org");
        foreach (var query in new[] { "门口查找", "0817" })
        {
            var page = await staff.GetPageAsync($"/staff/events/{evt}/check-in?q={Uri.EscapeDataString(query)}");
            var match = Assert.Single(page.QuerySelectorAll("#door-matches li"));
            Assert.Contains("门口查找测试", match.TextContent);
            Assert.Contains("0817", match.TextContent);
            Assert.DoesNotContain("13912340817", match.TextContent);
            Assert.Contains("共 2 人", match.TextContent);
        }
        // Three digits are not enough to search a phone; someone not registered here is not found.
        Assert.NotNull((await staff.GetPageAsync($"/staff/events/{evt}/check-in?q=817")).QuerySelector("#no-match"));
        Assert.NotNull((await staff.GetPageAsync($"/staff/events/{evt}/check-in?q=%E4%B8%8D%E5%AD%98%E5%9C%A8")).QuerySelector("#no-match"));

        var found = await staff.GetPageAsync($"/staff/events/{evt}/check-in?q=0817");
        var button = found.QuerySelector("#door-matches form")!;
        var done = await staff.PostAsync($"/staff/events/{evt}/check-in", new FormUrlEncodedContent(button.QuerySelectorAll("input").Select(i =>
            new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value")!))));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("门口查找测试", (await done.ParseAsync()).QuerySelector("#check-in-result")!.TextContent);
        var again = await staff.GetPageAsync($"/staff/events/{evt}/check-in?q=0817");
        Assert.NotNull(again.QuerySelector("#door-matches .badge"));
        Assert.Null(again.QuerySelector("#door-matches form"));
    }
}
