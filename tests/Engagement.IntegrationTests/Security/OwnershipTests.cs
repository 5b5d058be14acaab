using System.Net;
using System.Net.Http.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.Messages;
using Engagement.Web.Features.OpenMonth;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Security;

/// <summary>
/// One resident never sees another's pending comments, applications, registrations or messages: every resident page
/// shows the signed-in person's own, and no address takes another person's item by its number.
/// </summary>
public sealed class OwnershipTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task A_resident_sees_only_their_own_pending_items_and_cannot_reach_anothers_by_number()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var first = await factory.CreateClient().AsAsync("resident1@example.org");
        var (open, meeting, evt) = await factory.WithDbAsync(async db => (
            await db.Set<Decision>().Where(d => d.ConsultationOpensAt <= EngagementFactory.Now && d.ConsultationClosesAt > EngagementFactory.Now).Select(d => d.Id).FirstAsync(),
            await db.Set<Meeting>().Where(m => m.ApplicationsCloseAt > EngagementFactory.Now).OrderBy(m => m.HeldAt).Select(m => m.Id).FirstAsync(),
            await db.Set<OpenEvent>().Where(e => e.RegistrationOpensAt <= EngagementFactory.Now && e.RegistrationClosesAt > EngagementFactory.Now).OrderBy(e => e.Id).Select(e => e.Id).FirstAsync()));

        // The first resident's pending comment, message, application and registration.
        var comment = await first.PostAsJsonAsync($"/api/v1/decisions/{open}/comments", new { text = $"待审意见 {marker} 电话 13812345678" });
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        var message = await first.PostAsJsonAsync("/api/v1/messages", new { text = $"私下的留言 {marker}" });
        Assert.Equal(HttpStatusCode.Created, message.StatusCode);
        var messageId = (await message.JsonAsync()).GetProperty("id").GetInt64();
        var application = await first.PostAsJsonAsync($"/api/v1/meetings/{meeting}/applications", new
        {
            realName = $"王{marker}", phone = "13812345678", category = "resident", connection = "lives", statement = $"申请理由 {marker}", consent = true,
        });
        Assert.True(application.IsSuccessStatusCode, $"application: {(int)application.StatusCode} {await application.Content.ReadAsStringAsync()}");
        Assert.True((await first.PostAsJsonAsync($"/api/v1/events/{evt}/registrations", new { companions = 0 })).IsSuccessStatusCode);
        var code = await factory.WithDbAsync(db => db.Set<EventRegistration>().Where(r => r.EventId == evt && r.User!.Email == "resident1@example.org").Select(r => r.CheckInCode).SingleAsync());

        // The second resident, on every page that shows "mine", and at the addresses of the first one's items.
        var second = factory.CreateBrowser();
        await second.SignInAsync("resident2@example.org");
        foreach (var path in new[] { $"/decisions/{open}", "/messages/mine", $"/meetings/{meeting}", $"/events/{evt}", "/profile", "/messages", "/" })
        {
            var html = await (await second.GetAsync(path)).Content.ReadAsStringAsync();
            Assert.DoesNotContain(marker, html);
            Assert.DoesNotContain(code, html);
        }
        Assert.DoesNotContain(marker, await (await second.GetAsync("/profile/download")).Content.ReadAsStringAsync());
        Assert.NotEqual(HttpStatusCode.OK, (await second.GetAsync($"/staff/messages/{messageId}")).StatusCode);
        var secondApi = await factory.CreateClient().AsAsync("resident2@example.org");
        Assert.DoesNotContain(marker, await (await secondApi.GetAsync($"/api/v1/decisions/{open}/comments?pageSize=100")).Content.ReadAsStringAsync());
        Assert.DoesNotContain(marker, await (await secondApi.GetAsync($"/api/v1/meetings/{meeting}")).Content.ReadAsStringAsync());
        Assert.DoesNotContain(marker, await (await secondApi.GetAsync("/api/v1/messages")).Content.ReadAsStringAsync());
        // Cancelling "mine" cancels the second resident's (none), never the first one's.
        Task<RegistrationStatus> FirstStatusAsync() => factory.WithDbAsync(db => db.Set<EventRegistration>()
            .Where(r => r.EventId == evt && r.User!.Email == "resident1@example.org").Select(r => r.Status).SingleAsync());
        var status = await FirstStatusAsync();
        await secondApi.DeleteAsync($"/api/v1/events/{evt}/registrations/mine");
        Assert.Equal(status, await FirstStatusAsync());
        Assert.NotEqual(RegistrationStatus.Cancelled, status);

        // The first resident does see their own.
        var owner = factory.CreateBrowser();
        await owner.SignInAsync("resident1@example.org");
        Assert.Contains(marker, await (await owner.GetAsync($"/decisions/{open}")).Content.ReadAsStringAsync());
        Assert.Contains(marker, await (await owner.GetAsync("/messages/mine")).Content.ReadAsStringAsync());
    }
}
