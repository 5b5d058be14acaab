using System.Globalization;
using System.Text.Json;
using Engagement.Web.Platform.Audit;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Admin;

/// <summary>One field an action changed, as a clerk reads it.</summary>
public sealed record AuditChange(string Field, string? Before, string? After);

/// <summary>An audit row in plain language: who did what to which item (with a link when it has a page), and what changed.</summary>
public sealed record AuditLine(AuditEntry Entry, string What, string Item, string? Link, IReadOnlyList<AuditChange> Changes);

/// <summary>
/// Turns the audit log's codes into words: the action ("live.hide" → 隐藏了现场提问), the item ("CalendarYear 2027" →
/// 2027年节假日安排) and the before/after JSON into field-by-field changes. A code without words shows as itself, so
/// nothing recorded is ever hidden.
/// </summary>
public static class AuditText
{
    /// <summary>Every action the site records, for the filter's list (a test checks each has words in both languages).</summary>
    public static readonly IReadOnlyList<string> Actions =
    [
        "accessibility.report", "account.delete", "account.disabled", "account.enabled", "account.password-changed", "account.recovery-code-used", "account.recovery-codes-new",
        "account.sign-in-paused", "account.signed-out-everywhere", "account.two-factor-off", "account.two-factor-on", "application.eligibility", "calendar.year.load", "calendar.year.replace", "catalog.publish", "cluster.merge", "cluster.move",
        "cluster.update", "comment.approve", "comment.offline", "comment.outcome", "comment.reject", "consultation.open", "decision.create", "decision.issued",
        "document.save", "equivalence.confirm", "equivalence.dismiss", "event.create", "faq.add", "faq.remove", "faq.update", "live.answer", "live.approve", "live.block", "live.cohost", "live.create",
        "live.end", "live.hide", "live.merge", "live.pin", "live.poll.close", "live.poll.open", "meeting.attendance", "meeting.commit", "meeting.create", "meeting.draw",
        "meeting.freeze", "meeting.opinion", "meeting.result", "meeting.result-correct", "meeting.reveal", "message.publish", "message.reply", "message.triage", "message.unpublish", "poll.create", "registration.cancel",
        "report.publish", "seat.confirm", "seat.decline", "seat.lapse", "theme.decide", "topic.add", "topic.tag", "topic.update", "unit.create", "unit.update", "user.create-admin", "user.make-admin",
        "user.roles",
    ];

    public static AuditLine Describe(AuditEntry entry, IStringLocalizer text)
    {
        var what = Words(text, "Audit.Action." + entry.Action, entry.Action);
        var kind = Words(text, "Audit.Entity." + entry.EntityType, entry.EntityType);
        var item = entry.EntityType == "CalendarYear" ? string.Format(CultureInfo.CurrentCulture, kind, entry.EntityId) : $"{kind} {entry.EntityId}";
        return new AuditLine(entry, what, item.Trim(), LinkOf(entry), Changes(entry.Before, entry.After, text));
    }

    public static string? LinkOf(AuditEntry entry) => entry.EntityType switch
    {
        "Decision" or "DecisionDocument" or "AdoptionReport" => $"/decisions/{entry.EntityId}",
        "Meeting" => $"/meetings/{entry.EntityId}",
        "OpenEvent" => $"/events/{entry.EntityId}",
        "Message" => $"/staff/messages/{entry.EntityId}",
        "Unit" => $"/admin/units?edit={entry.EntityId}",
        "User" when Guid.TryParse(entry.EntityId, out _) => $"/admin/users/{entry.EntityId}",
        "CalendarYear" => "/admin/calendars",
        "DecisionCatalog" => "/decisions",
        _ => null,
    };

    /// <summary>The fields of the before and after snapshots, each once, those that differ; nested values as compact text.</summary>
    public static IReadOnlyList<AuditChange> Changes(string? before, string? after, IStringLocalizer text)
    {
        var old = Fields(before);
        var now = Fields(after);
        return old.Keys.Concat(now.Keys).Distinct()
            .Select(k => (Key: k, Before: old.GetValueOrDefault(k), After: now.GetValueOrDefault(k)))
            .Where(c => c.Before != c.After)
            .Select(c => new AuditChange(Words(text, "Audit.Field." + c.Key, c.Key), c.Before, c.After)).ToList();
    }

    private static Dictionary<string, string?> Fields(string? json)
    {
        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(json)) return fields;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                fields["value"] = Show(document.RootElement);
                return fields;
            }
            foreach (var property in document.RootElement.EnumerateObject()) fields[property.Name] = Show(property.Value);
        }
        catch (JsonException)
        {
            fields["value"] = json;
        }
        return fields;
    }

    private static string? Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "✓",
        JsonValueKind.False => "✗",
        JsonValueKind.Array => string.Join("、", value.EnumerateArray().Select(Show)),
        JsonValueKind.Object => string.Join("；", value.EnumerateObject().Select(p => $"{p.Name}: {Show(p.Value)}")),
        _ => value.GetRawText(),
    };

    private static string Words(IStringLocalizer text, string key, string fallback)
    {
        var words = text[key];
        return words.ResourceNotFound ? fallback : words.Value;
    }
}
