using Microsoft.Playwright;

namespace Engagement.BrowserTests;

public static class Navigation
{
    /// <summary>
    /// Waits until the page has arrived at <paramref name="url"/> and finished loading. The load is checked by polling
    /// <c>document.readyState</c> instead of waiting for the load event: Playwright's client can miss a load event that
    /// fires between its "already loaded?" check and its subscription, which then waits out the whole timeout.
    /// </summary>
    public static async Task ArriveAtAsync(this IPage page, string url)
    {
        await page.WaitForURLAsync(url, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
    }
}
