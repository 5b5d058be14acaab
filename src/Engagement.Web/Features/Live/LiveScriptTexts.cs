using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Live;

/// <summary>
/// The texts wwwroot/js/live.js shows (counts, badges, connection state, messages), in one place for the participant
/// page, the projector and the host console; each page hands them to the script as JSON.
/// </summary>
public static class LiveScriptTexts
{
    public static readonly string[] Keys =
    [
        "Votes", "Vote", "Voted", "Anonymous", "Pinned", "Answered", "AnsweredLive", "Offline", "Online", "Sent", "SentPending", "PollVotes", "PollThanks", "PollClosed", "Ended", "NoQuestions", "CharactersLeft", "NewQuestions", "AnnounceQuestion", "AnnounceAnswer",
    ];

    public static Dictionary<string, string> For(IStringLocalizer text) => Keys.ToDictionary(k => k, k => text["Live.Js." + k].Value);
}
