using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>
/// A host, a participant and the projector side by side on one live session: join by code, ask, vote, moderate,
/// pin, answer, run a poll, end, and read the archive; axe-core on every page they see, in Chinese and in English.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class LiveTests(SiteFixture site)
{
    [Theory]
    [InlineData("zh-CN", "问答")]
    [InlineData("en-US", "Q&A")]
    public async Task A_host_runs_a_session_a_participant_asks_and_votes_and_the_projector_follows(string locale, string word)
    {
        var title = $"{word} {Guid.NewGuid():N}"[..12];
        var host = await site.NewPageAsync(locale);
        await site.SignInAsync(host, "host@example.org");
        await host.GotoAsync("/live/new");
        await host.AssertAccessibleAsync(site);
        await host.FillAsync("#title", "《长宁区养老服务补贴办法》解读会 " + title);
        await host.ClickAsync("#create-session");
        await host.ArriveAtAsync("**/host");
        var code = (await host.Locator("#host-join-code").TextContentAsync())!.Trim();
        await host.AssertAccessibleAsync(site);

        // A participant on a phone joins by typing the code on the Live Q&A page.
        var phone = await site.NewPageAsync(locale);
        await phone.SetViewportSizeAsync(390, 844);
        await phone.GotoAsync("/live");
        await phone.AssertAccessibleAsync(site);
        await phone.FillAsync("#join-code", code.ToLowerInvariant());
        await phone.ClickAsync("#join-code-submit");
        await phone.ArriveAtAsync($"**/live/{code}");
        await phone.FillAsync("#nickname", "仙霞路居民");
        await phone.ClickAsync("#join-button");
        await phone.WaitForSelectorAsync("#ask-form");
        await phone.AssertAccessibleAsync(site);

        var projector = await site.NewPageAsync(locale);
        await projector.GotoAsync($"/live/{code}/projector");
        await projector.AssertAccessibleAsync(site);

        await phone.FillAsync("#question-text", "补贴申请需要哪些材料？");
        await phone.ClickAsync("#ask-button");
        var question = phone.Locator("#questions li.live-question", new PageLocatorOptions { HasText = "补贴申请需要哪些材料？" });
        await question.WaitForAsync();
        var id = (await question.GetAttributeAsync("id"))!["q-".Length..];

        // The host's console shows it without a reload; the projector lists it.
        await host.Locator($"#host-q-{id}").WaitForAsync();
        await projector.Locator($"#q-{id}").WaitForAsync();

        // A second participant votes; everyone sees the count.
        var laptop = await site.NewPageAsync(locale);
        await laptop.GotoAsync($"/live/{code}");
        await laptop.FillAsync("#nickname", "天山路居民");
        await laptop.ClickAsync("#join-button");
        await laptop.ClickAsync($"#vote-{id}");
        await laptop.WaitForSelectorAsync($"#vote-{id}[aria-pressed='true']");
        await phone.Locator($"#q-{id} .vote-count", new PageLocatorOptions { HasText = "1" }).WaitForAsync();
        await projector.Locator($"#q-{id} .projector-votes", new PageLocatorOptions { HasText = "1" }).WaitForAsync();

        // The host pins it, then answers in writing.
        await host.ClickAsync($"#pin-{id}");
        await projector.Locator("#pinned-question", new PageLocatorOptions { HasText = "补贴申请需要哪些材料？" }).WaitForAsync();
        await host.Locator($"#unpin-{id}").WaitForAsync();
        // Each question is one line; the written answer is under "more".
        await host.ClickAsync($"#more-{id} summary");
        await host.FillAsync($"#answer-text-{id}", "身份证、户口簿和街道出具的评估结果。");
        await host.ClickAsync($"#answer-{id}");
        await phone.Locator($"#q-{id} .live-answer", new PageLocatorOptions { HasText = "身份证、户口簿" }).WaitForAsync();
        await host.AssertAccessibleAsync(site);

        // A live poll: opened by the host, answered on the phone, results on the projector.
        await host.FillAsync("#poll-question-input", "您更希望哪种办理方式？");
        await host.FillAsync("#poll-options-input", "线上办理\n社区事务受理中心窗口\n上门代办");
        await host.ClickAsync("#open-poll");
        await phone.Locator("#poll-question", new PageLocatorOptions { HasText = "您更希望哪种办理方式？" }).WaitForAsync();
        await phone.CheckAsync("#poll-options input >> nth=2");
        await phone.ClickAsync("#poll-submit");
        await phone.Locator("#poll-results li").First.WaitForAsync();
        await projector.Locator("#poll-results li", new PageLocatorOptions { HasText = "上门代办" }).WaitForAsync();
        await phone.AssertAccessibleAsync(site);
        await projector.AssertAccessibleAsync(site);

        // The host ends the session: the participant's page becomes the archive.
        host.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await host.ClickAsync("#end-session");
        await host.ArriveAtAsync("**/host");
        // The page says so without reloading (a half-typed question stays) and links to the record.
        await phone.FillAsync("#question-text", "还没问完的问题");
        await phone.WaitForSelectorAsync("#archive-link:not([hidden])", new PageWaitForSelectorOptions { Timeout = 15000 });
        Assert.Equal("还没问完的问题", await phone.InputValueAsync("#question-text"));
        Assert.True(await phone.Locator("#ask-button").IsDisabledAsync());
        await phone.ClickAsync("#archive-link a");
        await phone.WaitForSelectorAsync("#archive", new PageWaitForSelectorOptions { Timeout = 15000 });
        Assert.Contains("身份证、户口簿和街道出具的评估结果。", await phone.Locator("#archive").TextContentAsync());
        await phone.AssertAccessibleAsync(site);
        foreach (var page in new[] { host, phone, projector, laptop }) await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("zh-CN", "匿名")]
    [InlineData("en-US", "Anonymous")]
    public async Task A_question_with_personal_data_shows_masked_on_a_phone_and_the_projector(string locale, string anonymous)
    {
        // A session of its own (post-moderated: questions are shown at once), so the projector's top five has room.
        var host = await site.NewPageAsync(locale);
        await site.SignInAsync(host, "host@example.org");
        await host.GotoAsync("/live/new");
        await host.FillAsync("#title", "天山路街道社区食堂意见征询会 " + Guid.NewGuid().ToString("N")[..6]);
        await host.ClickAsync("#create-session");
        await host.ArriveAtAsync("**/host");
        var code = (await host.Locator("#host-join-code").TextContentAsync())!.Trim();

        var phone = await site.NewPageAsync(locale);
        await phone.SetViewportSizeAsync(390, 844);
        await phone.GotoAsync($"/live/{code}");
        // No nickname: shown as anonymous.
        await phone.ClickAsync("#join-button");
        await phone.WaitForSelectorAsync("#ask-form");
        var projector = await site.NewPageAsync(locale);
        await projector.GotoAsync($"/live/{code}/projector");

        var marker = Guid.NewGuid().ToString("N")[..6];
        await phone.FillAsync("#question-text", $"{marker} 我的手机一三八零零一三八零零零，邮箱 zhangsan ＠ example。com，能回电吗？");
        await phone.ClickAsync("#ask-button");
        const string masked = "我的手机一三八****八零零零，邮箱 ******** ＠ example。com，能回电吗？";
        var question = phone.Locator("#questions li.live-question", new PageLocatorOptions { HasText = marker });
        await question.WaitForAsync();
        Assert.Contains(masked, await question.TextContentAsync());
        Assert.Contains(anonymous, await question.TextContentAsync());
        var id = (await question.GetAttributeAsync("id"))!["q-".Length..];
        var shown = projector.Locator($"#q-{id}");
        await shown.WaitForAsync();
        Assert.Contains(masked, await shown.TextContentAsync());
        // The host sees the question flagged.
        await host.Locator($"#host-q-{id}").WaitForAsync();
        await host.ReloadAsync();
        Assert.Equal(1, await host.Locator($"#host-q-{id} .badge.text-bg-info").CountAsync());
        foreach (var page in new[] { phone, projector })
        {
            Assert.DoesNotContain("一三八零零一三八零零零", await page.ContentAsync());
            Assert.DoesNotContain("zhangsan", await page.ContentAsync());
            await page.AssertAccessibleAsync(site);
        }
        foreach (var page in new[] { host, phone, projector }) await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Anyone_joins_the_demo_session_with_a_nickname_and_sees_its_questions_and_poll()
    {
        var page = await site.NewPageAsync("zh-CN");
        await page.GotoAsync("/live/DEMO26");
        // The questions show before joining (read only); voting comes with joining.
        await page.Locator("#questions li.pinned").WaitForAsync();
        Assert.Equal(0, await page.Locator(".vote-button:visible").CountAsync());
        await page.AssertAccessibleAsync(site);
        await page.FillAsync("#nickname", "江苏路居民");
        await page.ClickAsync("#join-button");
        await page.Locator(".vote-button").First.WaitForAsync();
        Assert.Contains("正在回答", await page.Locator("#questions li.pinned").TextContentAsync());
        Assert.False(await page.Locator("#poll-panel").IsHiddenAsync());
        // A question too long is refused in the person's language, and what they typed stays.
        await page.EvaluateAsync("() => { const t = document.getElementById('question-text'); t.removeAttribute('maxlength'); t.value = '长'.repeat(301); }");
        await page.ClickAsync("#ask-button");
        await page.Locator("#ask-message", new PageLocatorOptions { HasText = "300" }).WaitForAsync();
        Assert.Equal(301, (await page.InputValueAsync("#question-text")).Length);
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }
}

/// <summary>A participant's connection drops: the page says so, reconnects on its own and shows what was asked meanwhile.</summary>
[Collection(SiteCollection.Name)]
public sealed class LiveReconnectTests(SiteFixture site)
{
    [Theory]
    [InlineData("zh-CN", "网络已断开", "已重新连接")]
    [InlineData("en-US", "Offline", "Back online")]
    public async Task A_lost_connection_is_shown_and_the_page_catches_up_on_its_own(string locale, string offline, string online)
    {
        var page = await site.NewPageAsync(locale);
        var blocked = false;
        IWebSocketRoute? socket = null;
        // While "offline", new connections fail; the open one is closed from the test.
        await page.RouteAsync("**/hubs/live/negotiate**", route => blocked ? route.AbortAsync() : route.ContinueAsync());
        await page.RouteWebSocketAsync("**/hubs/live**", ws =>
        {
            if (blocked)
            {
                _ = ws.CloseAsync();
                return;
            }
            socket = ws;
            ws.ConnectToServer();
        });
        await page.GotoAsync("/live/DEMO26");
        await page.FillAsync("#nickname", "断线测试");
        await page.ClickAsync("#join-button");
        await page.WaitForSelectorAsync("#ask-form");

        blocked = true;
        await socket!.CloseAsync();
        await page.Locator("#live-status.offline", new PageLocatorOptions { HasText = offline }).WaitForAsync();
        await page.AssertAccessibleAsync(site);

        var other = await site.NewPageAsync(locale);
        await other.GotoAsync("/live/DEMO26");
        await other.FillAsync("#nickname", "另一位居民");
        await other.ClickAsync("#join-button");
        var text = "断线期间提出的问题 " + Guid.NewGuid().ToString("N")[..6];
        await other.FillAsync("#question-text", text);
        await other.ClickAsync("#ask-button");
        await other.Locator("#questions li", new PageLocatorOptions { HasText = text }).WaitForAsync();

        blocked = false;
        await page.Locator("#live-status", new PageLocatorOptions { HasText = online }).WaitForAsync(new LocatorWaitForOptions { Timeout = 30000 });
        await page.Locator("#questions li", new PageLocatorOptions { HasText = text }).WaitForAsync();
        await page.Context.CloseAsync();
        await other.Context.CloseAsync();
    }

    /// <summary>
    /// With the keyboard alone: join, vote, and vote again while other people's votes and questions stream in; focus
    /// stays on the button pressed, the button says which question it is for, and new questions wait while paused.
    /// </summary>
    [Theory]
    [InlineData("zh-CN", "有 1 条新问题")]
    [InlineData("en-US", "New questions waiting: 1")]
    public async Task Keyboard_votes_keep_their_focus_while_others_vote_and_ask(string locale, string waitingText)
    {
        var host = await site.NewPageAsync(locale);
        await site.SignInAsync(host, "host@example.org");
        await host.GotoAsync("/live/new");
        await host.FillAsync("#title", "键盘测试 " + Guid.NewGuid().ToString("N")[..6]);
        await host.ClickAsync("#create-session");
        await host.ArriveAtAsync("**/host");
        var code = (await host.Locator("#host-join-code").TextContentAsync())!.Trim();

        // Someone else asks two questions.
        var other = await site.NewPageAsync(locale);
        await other.GotoAsync($"/live/{code}");
        await other.FillAsync("#nickname", "华阳路居民");
        await other.ClickAsync("#join-button");
        await other.WaitForSelectorAsync("#ask-form");
        foreach (var q in new[] { "社区食堂周末开吗？", "助餐补贴怎么申请？" })
        {
            await other.FillAsync("#question-text", q);
            await other.ClickAsync("#ask-button");
            await other.Locator("#questions li.live-question", new PageLocatorOptions { HasText = q }).WaitForAsync();
        }

        // The keyboard user joins: focus goes to the line saying they joined, not past the title.
        var page = await site.NewPageAsync(locale);
        await page.GotoAsync($"/live/{code}");
        await page.FocusAsync("#nickname");
        await page.Keyboard.TypeAsync("天山路居民");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#ask-form");
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.id === 'joined-as'");
        var first = page.Locator("#questions li.live-question", new PageLocatorOptions { HasText = "社区食堂周末开吗？" });
        await first.WaitForAsync();
        var id = (await first.GetAttributeAsync("id"))!["q-".Length..];
        var button = page.Locator($"#vote-{id}");
        Assert.Contains("社区食堂周末开吗？", await button.TextContentAsync());
        await page.AssertAccessibleAsync(site);

        // Vote with Enter; someone else votes on the other question and on this one; focus never moves.
        await button.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync($"#vote-{id}[aria-pressed='true']");
        Assert.Equal($"vote-{id}", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        var voter = await site.NewPageAsync(locale);
        await voter.GotoAsync($"/live/{code}");
        await voter.FillAsync("#nickname", "江苏路居民");
        await voter.ClickAsync("#join-button");
        var second = voter.Locator("#questions li.live-question", new PageLocatorOptions { HasText = "助餐补贴怎么申请？" });
        await second.WaitForAsync();
        var secondId = (await second.GetAttributeAsync("id"))!["q-".Length..];
        await voter.ClickAsync($"#vote-{secondId}");
        await voter.ClickAsync($"#vote-{id}");
        await page.WaitForFunctionAsync($"() => document.querySelector('#vote-{id} .vote-count').textContent.includes('2')");
        Assert.Equal($"vote-{id}", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        // And again: the vote is withdrawn, focus still there.
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync($"#vote-{id}[aria-pressed='false']");
        Assert.Equal($"vote-{id}", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        // Paused, a new question waits behind a button instead of moving the list; the announcer said the earlier ones.
        await page.ClickAsync("#pause-updates");
        await other.FillAsync("#question-text", "老年助餐点在哪里？");
        await other.ClickAsync("#ask-button");
        await page.WaitForSelectorAsync("#new-questions:not([hidden])");
        Assert.Contains(waitingText, await page.Locator("#new-questions").TextContentAsync());
        Assert.Equal(0, await page.Locator("#questions li.live-question", new PageLocatorOptions { HasText = "老年助餐点在哪里？" }).CountAsync());
        await page.ClickAsync("#new-questions");
        await page.Locator("#questions li.live-question", new PageLocatorOptions { HasText = "老年助餐点在哪里？" }).WaitForAsync();
        Assert.Equal("questions-heading", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        // The pointer, left where the hidden button was, hovers the pause button: move it off before axe reads colours.
        await page.Mouse.MoveAsync(0, 0);
        await page.WaitForTimeoutAsync(300);
        await page.AssertAccessibleAsync(site);

        // A poll answered with the keyboard: arrow keys choose, Enter sends, focus stays with the thanks and results.
        await host.FillAsync("#poll-question-input", "您更希望哪种助餐方式？");
        await host.FillAsync("#poll-options-input", "社区食堂堂食\n送餐上门");
        await host.ClickAsync("#open-poll");
        await page.Locator("#poll-question", new PageLocatorOptions { HasText = "您更希望哪种助餐方式？" }).WaitForAsync();
        await page.FocusAsync("#poll-options input >> nth=0");
        await page.Keyboard.PressAsync("Space");
        await page.FocusAsync("#poll-submit");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#poll-results li").First.WaitForAsync();
        Assert.Equal("poll-message", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        // Someone else's answer updates the results without moving focus or repeating the thanks.
        var thanks = await page.Locator("#poll-message").TextContentAsync();
        await voter.Locator("#poll-question", new PageLocatorOptions { HasText = "您更希望哪种助餐方式？" }).WaitForAsync();
        await voter.CheckAsync("#poll-options input >> nth=1");
        await voter.ClickAsync("#poll-submit");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#poll-results li')].some(li => /1/.test(li.textContent) && li.textContent.includes('送餐上门'))");
        Assert.Equal("poll-message", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.Equal(thanks, await page.Locator("#poll-message").TextContentAsync());
        foreach (var p in new[] { host, other, voter, page }) await p.Context.CloseAsync();
    }
}
