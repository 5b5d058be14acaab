using System.Net;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Live;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Live;

/// <summary>A host finds their console from the pages they already use, and a slip in it does not mark a question answered.</summary>
public sealed class HostConsoleTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task The_host_is_linked_to_the_console_of_the_session_they_run_and_a_resident_is_not()
    {
        var host = factory.CreateBrowser();
        await host.SignInAsync("host@example.org");
        var page = await host.GetPageAsync("/live");
        Assert.NotNull(page.QuerySelector($".host-console-link[href='/live/{LiveDemo.JoinCode}/host']"));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync($"/live/{LiveDemo.JoinCode}/host")).StatusCode);

        var resident = factory.CreateBrowser();
        await resident.SignInAsync("resident1@example.org");
        Assert.Null((await resident.GetPageAsync("/live")).QuerySelector(".host-console-link"));
    }

    [Fact]
    public async Task An_empty_written_answer_is_refused_with_a_pointer_to_answered_live_and_the_question_stays_open()
    {
        var question = await factory.WithDbAsync(db => db.Set<LiveQuestion>()
            .Where(q => db.Set<LiveSession>().Any(s => s.Id == q.SessionId && s.JoinCode == LiveDemo.JoinCode) && q.Status == LiveQuestionStatus.Visible).OrderBy(q => q.Id).Select(q => q.Id).FirstAsync());
        var host = factory.CreateBrowser();
        await host.SignInAsync("host@example.org");
        var console = await host.GetPageAsync($"/live/{LiveDemo.JoinCode}/host");
        var action = $"/live/{LiveDemo.JoinCode}/host/questions/{question}/answer";
        var response = await host.SubmitAsync(console, action, new Dictionary<string, string> { ["answer"] = "   " });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await host.GetPageAsync(response.Headers.Location!.ToString());
        Assert.Contains("请点“已现场回答”", after.Body!.TextContent);
        Assert.Equal(LiveQuestionStatus.Visible, await factory.WithDbAsync(db => db.Set<LiveQuestion>().Where(q => q.Id == question).Select(q => q.Status).SingleAsync()));

        // As the console's script posts it: 422 with the reason.
        var scripted = new HttpRequestMessage(HttpMethod.Post, action)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["answer"] = "", ["__RequestVerificationToken"] = console.QuerySelector($"form[action='{action}'] input[name='__RequestVerificationToken']")!.GetAttribute("value")!,
            }),
        };
        scripted.Headers.Add("X-Requested-With", "fetch");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await host.SendAsync(scripted)).StatusCode);
    }
}
