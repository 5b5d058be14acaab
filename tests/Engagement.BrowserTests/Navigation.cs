using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Engagement.BrowserTests;

public static class Navigation
{
    /// <summary>
    /// Waits until the page is at <paramref name="url"/> (a full address, or a glob such as <c>**/report</c>) and has
    /// finished loading. It polls the page's address and <c>document.readyState</c> instead of waiting for Playwright's
    /// load event: the client can miss a load event that fires between its "already loaded?" check and its
    /// subscription, and then waits out its whole timeout (this failed the first test of a cold run twice).
    /// </summary>
    public static async Task ArriveAtAsync(this IPage page, string url, int timeoutSeconds = 30)
    {
        var pattern = new Regex("^" + string.Concat(Regex.Split(url, @"(\*\*|\*)").Select(part => part switch
        {
            "**" => ".*",
            "*" => "[^/]*",
            _ => Regex.Escape(part),
        })) + "$");
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            try
            {
                var address = page.Url.Split('#')[0].Split('?')[0];
                if (pattern.IsMatch(address) && await page.EvaluateAsync<bool>("() => document.readyState === 'complete'")) return;
            }
            catch (PlaywrightException)
            {
                // The page was between documents (its context destroyed by the navigation): look again.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The page did not arrive at {url}; it is at {page.Url}");
            await Task.Delay(100);
        }
    }
}
