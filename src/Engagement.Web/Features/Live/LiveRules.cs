using System.Security.Cryptography;
using System.Text;
using Engagement.Web.Platform.Privacy;

namespace Engagement.Web.Features.Live;

public sealed class LiveOptions
{
    /// <summary>Questions one participant may ask per minute.</summary>
    public int QuestionsPerMinute { get; set; } = 5;

    /// <summary>Votes (and withdrawals) one participant may cast per minute.</summary>
    public int VotesPerMinute { get; set; } = 60;

    /// <summary>
    /// Version 2 clients receive a session's changes gathered over this interval as one frame: a connection is written
    /// at most 1,000/FrameMilliseconds times a second, however many questions and votes arrive.
    /// </summary>
    public int FrameMilliseconds { get; set; } = 100;

    /// <summary>
    /// The most frames a second one instance writes to one session's audience: a larger audience gets frames less
    /// often (never more often than <see cref="FrameMilliseconds"/>), so a storm cannot take more of the server than this.
    /// </summary>
    public int FrameWritesPerSecond { get; set; } = 15_000;

    /// <summary>How often changed vote counts are pushed; a vote storm becomes one update per question per interval.</summary>
    public int VoteFlushMilliseconds { get; set; } = 1000;

    /// <summary>At most this many vote-count updates per flush, the questions with the most new votes first.</summary>
    public int VoteUpdatesPerFlush { get; set; } = 5;

    /// <summary>
    /// The most vote-update messages per second one instance sends to one session's audience: with 5,000 people
    /// following, 5,000 means one updated question a second; with 1,000, the full <see cref="VoteUpdatesPerFlush"/>.
    /// </summary>
    public int VoteUpdateMessagesPerSecond { get; set; } = 5_000;

    /// <summary>Words that send a question to the moderation queue even in a post-moderated session.</summary>
    public string[] BlockedWords { get; set; } = [];
}

/// <summary>The plain rules of live Q&amp;A: join codes, what a question may contain, and blocked words.</summary>
public static class LiveRules
{
    public const int MaxQuestionLength = 300;
    public const int MaxAnswerLength = 2000;
    public const int MaxNicknameLength = 40;
    public const int MaxPollOptions = 10;

    // No 0/O, 1/I/L: a code read aloud in a hall or typed on a phone should not be misread.
    public const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public static string NewJoinCode()
    {
        Span<char> code = stackalloc char[6];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)];
        }
        return new string(code);
    }

    /// <summary>Upper case without spaces or dashes, as people type a code they heard: " demo-26 " is "DEMO26".</summary>
    public static string NormalizeCode(string? code) =>
        new((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToUpperInvariant).ToArray());

    /// <summary>
    /// Plain text on one line: control and invisible format characters removed, runs of white space made one space,
    /// personal data (phone numbers, ID cards, e-mail addresses) masked before anyone sees it.
    /// </summary>
    public static string CleanText(string? text)
    {
        var builder = new StringBuilder((text ?? "").Length);
        var space = false;
        foreach (var c in (text ?? "").Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            var category = char.GetUnicodeCategory(c);
            if (category is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format) continue;
            if (space && builder.Length > 0) builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        return builder.ToString();
    }

    public static string MaskPersonalData(string text) => PersonalDataMasker.Mask(text).Masked;

    /// <summary>The handle of someone who gave no nickname: shown to hosts (to block), never to participants.</summary>
    public const string AnonymousHandlePrefix = "#";

    /// <summary>What participants see of a nickname: null (匿名/Anonymous) for one who gave none.</summary>
    public static string? PublicNickname(string? nickname) =>
        string.IsNullOrEmpty(nickname) || nickname.StartsWith(AnonymousHandlePrefix, StringComparison.Ordinal) ? null : nickname;

    /// <summary>
    /// The first blocked word the text contains, ignoring case, width and spaces or symbols put between its characters
    /// ("敏 感" and "ＡＢＣ" still match "敏感" and "abc").
    /// </summary>
    public static string? FindBlockedWord(string text, IEnumerable<string> words)
    {
        var folded = Fold(text);
        foreach (var word in words)
        {
            var target = Fold(word);
            if (target.Length > 0 && folded.Contains(target, StringComparison.Ordinal)) return word;
        }
        return null;
    }

    private static string Fold(string text) =>
        new(PersonalDataMasker.ToHalfWidth(text).Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    public static string Status(LiveQuestionStatus status) => status.ToString().ToLowerInvariant();
}
