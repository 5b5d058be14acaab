using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Accounts;

/// <summary>The rights to see, copy and delete one's data: the download holds every table that links to a person; a deletion leaves none of them behind.</summary>
public abstract class PersonalDataTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    [Fact]
    public void The_download_covers_every_table_that_links_to_a_person()
    {
        using var scope = factory.Services.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<EngagementDbContext>().Model;
        bool LinksToUser(IEntityType type) =>
            type.GetForeignKeys().Any(fk => fk.PrincipalEntityType.ClrType == typeof(User))
            || type.GetProperties().Any(p => p.Name is "ActorId" or "ProposedBy" or "CreatedById");
        var direct = model.GetEntityTypes().Where(LinksToUser).ToList();
        // One step further: what hangs on a person's row (their live questions, their application's opinions).
        var personal = direct.Concat(model.GetEntityTypes().Where(t => t.GetForeignKeys()
                .Any(fk => direct.Contains(fk.PrincipalEntityType) && fk.PrincipalEntityType.ClrType != typeof(User) && !IsShared(fk.PrincipalEntityType))))
            .Select(t => t.ClrType.Name).Distinct().Order().ToList();
        // Staff's work on a person's comment or message (review, clustering, reminders to the unit): nothing the person gave.
        string[] staffWork = ["CommentReview", "MessageReminder"];
        var missing = personal.Except(staffWork).Append(nameof(Engagement.Web.Platform.Outbox.OutboxMessage)).Except(PersonalData.Covered).ToList();
        Assert.True(missing.Count == 0, "Personal data the download leaves out: " + string.Join(", ", missing));
    }

    /// <summary>Sessions, meetings and events link to their staff creator, but what hangs on them is everyone's, not that person's.</summary>
    private static bool IsShared(IEntityType type) => type.ClrType.Name is "LiveSession" or "Role";

    [Fact]
    public async Task Deleting_an_account_leaves_no_name_phone_or_e_mail_anywhere_in_the_database()
    {
        const string email = "resident3@example.org";
        const string name = "删除测试居民甲";
        const string phone = "13977776666";
        var browser = factory.CreateBrowser();
        await browser.SignInAsync(email);
        var profile = await browser.GetPageAsync("/profile");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync(profile, "/profile", new Dictionary<string, string> { ["DisplayName"] = name, ["Phone"] = phone })).StatusCode);

        var api = await factory.CreateClient().AsAsync(email);
        var (open, meeting, evt) = await factory.WithDbAsync(async db => (
            await db.Set<Decision>().Where(d => d.ConsultationOpensAt <= EngagementFactory.Now && d.ConsultationClosesAt > EngagementFactory.Now).Select(d => d.Id).FirstAsync(),
            await db.Set<Meeting>().Where(m => m.ApplicationsCloseAt > EngagementFactory.Now).OrderBy(m => m.HeldAt).Select(m => m.Id).FirstAsync(),
            await db.Set<OpenEvent>().Where(e => e.RegistrationOpensAt <= EngagementFactory.Now && e.RegistrationClosesAt > EngagementFactory.Now).OrderBy(e => e.Id).Select(e => e.Id).FirstAsync()));
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/decisions/{open}/comments", new { text = $"加装电梯的补贴太少了。{name}，电话{phone}" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/messages", new { text = $"社区食堂几点开门？请打{phone}找{name}" })).StatusCode);
        var application = await api.PostAsJsonAsync($"/api/v1/meetings/{meeting}/applications", new
        {
            realName = name, phone, category = "resident", connection = "lives", statement = $"我是{name}，住在长宁路，想为老旧小区说话。", consent = true,
        });
        Assert.True(application.IsSuccessStatusCode, await application.Content.ReadAsStringAsync());
        Assert.True((await api.PostAsJsonAsync($"/api/v1/events/{evt}/registrations", new { companions = 0 })).IsSuccessStatusCode);
        // The open day held last month, where they were checked in (demo data): it stays in the figures, without them.
        var userId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        var (past, pastCode) = await factory.WithDbAsync(async db => await db.Set<EventRegistration>()
            .Where(r => r.UserId == userId && r.CheckedInAt != null).Select(r => new ValueTuple<int, string>(r.EventId, r.CheckInCode)).FirstAsync());
        await using (var live = await LiveClient.ConnectAsync(factory, email))
        {
            await live.JoinAsync(Engagement.Web.Features.Live.LiveDemo.JoinCode, name);
            await live.Connection.InvokeAsync<JsonElement>("Ask", $"{name}想问：长者食堂能送餐吗？");
        }

        profile = await browser.GetPageAsync("/profile");
        var deleted = await (await browser.SubmitAsync(profile, "/profile/delete", new Dictionary<string, string> { ["Password"] = EngagementFactory.Password })).ParseAsync();
        Assert.NotNull(deleted.QuerySelector("#account-deleted"));
        await factory.WaitForAsync(email, "");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await factory.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.To == email)) && DateTime.UtcNow < deadline) await Task.Delay(200);

        // Every text column of every table, searched for the name, the phone and the address.
        var left = new List<string>();
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EngagementDbContext>();
            var quote = db.Database.IsNpgsql() ? (Func<string, string>)(n => $"\"{n}\"") : n => $"\"{n}\"";
            foreach (var type in db.Model.GetEntityTypes().Where(t => t.GetTableName() is not null && !t.IsOwned()))
            {
                var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
                foreach (var property in type.GetProperties().Where(p => p.ClrType == typeof(string)))
                {
                    var column = property.GetColumnName(table);
                    if (column is null) continue;
                    foreach (var needle in new[] { name, phone, email })
                    {
                        var sql = $"SELECT count(*) AS \"Value\" FROM {quote(table.Name)} WHERE {quote(column)} LIKE {{0}}";
                        var count = await db.Database.SqlQueryRaw<int>(sql, $"%{needle}%").SingleAsync();
                        if (count > 0) left.Add($"{table.Name}.{column} holds '{needle}' ({count})");
                    }
                }
            }
            Assert.True(left.Count == 0, string.Join("\n", left));

            // What stays, stays without them: the application's public id and category, the registrations in the figures.
            var erased = await db.Set<RepresentativeApplication>().Where(a => a.MeetingId == meeting && a.ErasedAt != null && a.UserId == null).ToListAsync();
            Assert.Single(erased);
            Assert.False(string.IsNullOrEmpty(erased[0].PublicId));
            Assert.Equal(ApplicantCategory.Resident, erased[0].Category);
            Assert.True(await db.Set<EventRegistration>().AnyAsync(r => r.EventId == past && r.CheckInCode == pastCode && r.UserId == null && r.CheckedInAt != null));
            // The upcoming place was given back the ordinary way (to the event, or to the first one waiting).
            Assert.True(await db.Set<EventRegistration>().AnyAsync(r => r.EventId == evt && r.UserId == null && r.Status == RegistrationStatus.Cancelled));
            var confirmedPlaces = await db.Set<EventRegistration>().Where(r => r.EventId == evt && r.Status == RegistrationStatus.Confirmed).SumAsync(r => 1 + r.Companions);
            Assert.Equal(confirmedPlaces, await db.Set<OpenEvent>().Where(e => e.Id == evt).Select(e => e.Confirmed).SingleAsync());
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "account.delete" && a.Actor == AccountErasure.DeletedActor));
        }
    }

    [Fact]
    public async Task A_host_who_created_a_session_and_a_voter_delete_their_accounts_and_what_they_made_stays()
    {
        // The demo's host created the running session; they vote on the topic poll too.
        var hostId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "host@example.org").Select(u => u.Id).SingleAsync());
        var session = await factory.WithDbAsync(db => db.Set<Engagement.Web.Features.Live.LiveSession>()
            .Where(s => s.JoinCode == Engagement.Web.Features.Live.LiveDemo.JoinCode).Select(s => new { s.Id, s.CreatedById }).SingleAsync());
        Assert.Equal(hostId, session.CreatedById);
        var api = await factory.CreateClient().AsAsync("host@example.org");
        var poll = (await (await factory.CreateClient().GetAsync("/api/v1/topic-polls")).JsonAsync()).EnumerateArray().Single(p => p.GetProperty("isOpen").GetBoolean());
        var decisionId = poll.GetProperty("tally").EnumerateArray().First().GetProperty("decisionId").GetInt32();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/topic-polls/{poll.GetProperty("id").GetInt32()}/votes", new { decisionId })).StatusCode);
        var votes = await factory.WithDbAsync(db => db.Set<TopicVote>().CountAsync());

        var browser = factory.CreateBrowser();
        await browser.SignInAsync("host@example.org");
        var profile = await browser.GetPageAsync("/profile");
        var deleted = await (await browser.SubmitAsync(profile, "/profile/delete", new Dictionary<string, string> { ["Password"] = EngagementFactory.Password })).ParseAsync();
        Assert.NotNull(deleted.QuerySelector("#account-deleted"));

        Assert.Null(await factory.WithDbAsync(db => db.Set<Engagement.Web.Features.Live.LiveSession>().Where(s => s.Id == session.Id).Select(s => s.CreatedById).SingleAsync()));
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateBrowser().GetAsync($"/live/{Engagement.Web.Features.Live.LiveDemo.JoinCode}")).StatusCode);
        Assert.Equal(votes, await factory.WithDbAsync(db => db.Set<TopicVote>().CountAsync()));
        Assert.False(await factory.WithDbAsync(db => db.Set<TopicVote>().AnyAsync(v => v.UserId == hostId)));
    }

    [Fact]
    public async Task The_only_admin_cannot_delete_their_account_and_is_told_to_hand_the_role_on()
    {
        var browser = factory.CreateBrowser();
        await browser.SignInAsync("admin@example.org");
        var profile = await browser.GetPageAsync("/profile");
        var refused = await browser.SubmitAsync(profile, "/profile/delete", new Dictionary<string, string> { ["Password"] = EngagementFactory.Password });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("唯一的管理员", (await refused.ParseAsync()).Body!.TextContent);
        Assert.True(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "admin@example.org")));
    }

    [Fact]
    public async Task The_download_holds_what_the_person_did_everywhere()
    {
        const string email = "resident2@example.org";
        var api = await factory.CreateClient().AsAsync(email);
        var (meeting, evt) = await factory.WithDbAsync(async db => (
            await db.Set<Meeting>().Where(m => m.ApplicationsCloseAt > EngagementFactory.Now).OrderBy(m => m.HeldAt).Select(m => m.Id).FirstAsync(),
            await db.Set<OpenEvent>().Where(e => e.RegistrationOpensAt <= EngagementFactory.Now && e.RegistrationClosesAt > EngagementFactory.Now).OrderBy(e => e.Id).Select(e => e.Id).FirstAsync()));
        await api.PostAsJsonAsync($"/api/v1/meetings/{meeting}/applications", new
        {
            realName = "下载测试", phone = "13811112222", category = "resident", connection = "lives", statement = "下载里要有这段申请理由", consent = true,
        });
        await api.PostAsJsonAsync($"/api/v1/events/{evt}/registrations", new { companions = 0 });
        await using (var live = await LiveClient.ConnectAsync(factory, email))
        {
            await live.JoinAsync(Engagement.Web.Features.Live.LiveDemo.JoinCode, "下载测试昵称");
            await live.Connection.InvokeAsync<JsonElement>("Ask", "下载里要有这个现场提问");
        }
        var browser = factory.CreateBrowser();
        await browser.SignInAsync(email);
        var data = await (await browser.GetAsync("/profile/download")).Content.ReadAsStringAsync();
        foreach (var expected in new[] { "13811112222", "下载里要有这段申请理由", "\"CheckInCode\"", "下载测试昵称", "下载里要有这个现场提问", "\"NotificationsSent\"", "\"OwnAuditRows\"" })
        {
            Assert.Contains(expected, data);
        }

        // The readable page holds the same: a section for each part of the download, with what was written.
        var page = await browser.GetPageAsync("/profile/data");
        var sections = JsonDocument.Parse(data).RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(sections, page.QuerySelectorAll("main section h2").Select(h => h.Id["data-".Length..]).ToList());
        foreach (var expected in new[] { "13811112222", "下载里要有这段申请理由", "下载测试昵称", "下载里要有这个现场提问" })
        {
            Assert.Contains(expected, page.QuerySelector("main")!.TextContent);
        }
    }
}

public sealed class PersonalDataTests_Sqlite(SqliteFactory factory) : PersonalDataTests<SqliteFactory>(factory);
public sealed class PersonalDataTests_Postgres(PostgresFactory factory) : PersonalDataTests<PostgresFactory>(factory);
