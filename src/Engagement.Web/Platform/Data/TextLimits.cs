using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Engagement.Web.Platform.Data;

/// <summary>A text longer than its column: the caller's 422 (what is too long, and the limit), never the database's 500.</summary>
public sealed class TextTooLongException(string entity, string property, int limit)
    : Exception($"{entity}.{property} is longer than its {limit} characters; nothing was saved.")
{
    public string Entity { get; } = entity;
    public string Property { get; } = property;
    public int Limit { get; } = limit;
}

/// <summary>
/// The last line behind every feature's own length checks (which give the person a message beside the field): before
/// anything is saved, every text is measured against its column's limit as the database counts (PostgreSQL counts
/// code points, so an emoji of two UTF-16 units is one), and the whole save is refused if one is over, so PostgreSQL
/// never answers a 500 and SQLite, which does not check, never keeps more than PostgreSQL would.
/// </summary>
public sealed class TextLimits : SaveChangesInterceptor
{
    public static readonly TextLimits Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Check(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Check(DbContext? context)
    {
        if (context is null) return;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is not string text || property.Metadata.GetMaxLength() is not { } limit) continue;
                if (text.Length > limit && CodePoints(text) > limit) throw new TextTooLongException(entry.Metadata.ClrType.Name, property.Metadata.Name, limit);
            }
        }
    }

    public static int CodePoints(string text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            count++;
        }
        return count;
    }
}
