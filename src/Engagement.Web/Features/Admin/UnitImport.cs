using System.Text.Json;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Admin;

public sealed record UnitRecord(int Line, string Name, string NameEn, UnitKind Kind);

public sealed record UnitImportResult(int Created, int Updated, int Unchanged);

/// <summary>
/// <c>import-units FILE</c>: the district's units from a CSV (<c>name,nameEn,kind</c> with that header) or a JSON
/// array of <c>{"name", "nameEn", "kind"}</c>. The kind is <c>DistrictOffice</c>, <c>Bureau</c>, <c>StreetOffice</c> or
/// <c>Town</c>, or the Chinese word an official would write (区政府办公室, 委办局, 街道, 镇). Idempotent: a unit is
/// matched by its Chinese name, so importing the same file twice changes nothing. Every row is checked first; one
/// bad row and nothing is imported.
/// </summary>
public static class UnitImport
{
    private static readonly Dictionary<string, UnitKind> ChineseKinds = new()
    {
        ["区政府办公室"] = UnitKind.DistrictOffice, ["办公室"] = UnitKind.DistrictOffice, ["区府办"] = UnitKind.DistrictOffice,
        ["委办局"] = UnitKind.Bureau, ["局"] = UnitKind.Bureau, ["委"] = UnitKind.Bureau, ["部门"] = UnitKind.Bureau,
        ["街道"] = UnitKind.StreetOffice, ["街道办事处"] = UnitKind.StreetOffice,
        ["镇"] = UnitKind.Town, ["镇政府"] = UnitKind.Town,
    };

    public static (IReadOnlyList<UnitRecord> Units, IReadOnlyList<string> Errors) Parse(string fileName, string content)
    {
        content = content.TrimStart('\uFEFF');
        var rows = content.TrimStart().StartsWith('[') ? JsonRows(content) : CsvRows(content);
        var errors = new List<string>();
        var units = new List<UnitRecord>();
        if (rows.Error is not null) return ([], [$"{fileName}: {rows.Error}"]);
        foreach (var (line, name, nameEn, kind) in rows.Rows)
        {
            var where = $"{fileName}:{line}";
            var n = name?.Trim() ?? "";
            var en = nameEn?.Trim() ?? "";
            if (n.Length == 0) { errors.Add($"{where}: the name is empty."); continue; }
            if (n.Length > 60) errors.Add($"{where}: the name is longer than 60 characters.");
            if (en.Length > 120) errors.Add($"{where}: the English name is longer than 120 characters.");
            if (!TryKind(kind, out var k))
            {
                errors.Add($"{where}: '{kind}' is not a kind of unit; use DistrictOffice, Bureau, StreetOffice or Town (or 区政府办公室, 委办局, 街道, 镇).");
                continue;
            }
            if (units.FirstOrDefault(u => u.Name == n) is { } twice) errors.Add($"{where}: {n} is already on line {twice.Line}.");
            units.Add(new UnitRecord(line, n, en, k));
        }
        if (units.Count == 0 && errors.Count == 0) errors.Add($"{fileName}: no units in the file.");
        return (errors.Count == 0 ? units : [], errors);
    }

    public static bool TryKind(string? value, out UnitKind kind)
    {
        value = value?.Trim() ?? "";
        if (Enum.TryParse(value, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !value.All(char.IsDigit)) return true;
        return ChineseKinds.TryGetValue(value, out kind);
    }

    /// <summary>Adds the new units and updates the English name and kind of existing ones, in one transaction with its audit rows.</summary>
    public static async Task<UnitImportResult> ApplyAsync(EngagementDbContext db, AuditWriter audit, IReadOnlyList<UnitRecord> units, DateTimeOffset now)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var names = units.Select(u => u.Name).ToList();
        var existing = await db.Units.Where(u => names.Contains(u.Name)).ToDictionaryAsync(u => u.Name);
        int created = 0, updated = 0, unchanged = 0;
        var added = new List<Unit>();
        foreach (var record in units)
        {
            if (existing.TryGetValue(record.Name, out var unit))
            {
                if (unit.Kind == record.Kind && (record.NameEn.Length == 0 || unit.NameEn == record.NameEn)) { unchanged++; continue; }
                var before = new { unit.Name, unit.NameEn, unit.Kind };
                unit.Kind = record.Kind;
                if (record.NameEn.Length > 0) unit.NameEn = record.NameEn;
                audit.Record("unit.update", nameof(Unit), unit.Id.ToString(), before, new { unit.Name, unit.NameEn, unit.Kind, Via = "import-units" });
                updated++;
            }
            else
            {
                added.Add(db.Units.Add(new Unit { Name = record.Name, NameEn = record.NameEn, Kind = record.Kind, CreatedAt = now }).Entity);
                created++;
            }
        }
        await db.SaveChangesAsync();
        foreach (var unit in added)
        {
            audit.Record("unit.create", nameof(Unit), unit.Id.ToString(), null, new { unit.Name, unit.NameEn, unit.Kind, Via = "import-units" });
        }
        // A new site's district office (general-board messages, the district government's meetings): the one unit of
        // that kind, until the admin chooses otherwise on the units page.
        if (!await db.Units.AnyAsync(u => u.IsDistrictOffice) && await db.Units.Where(u => u.Kind == UnitKind.DistrictOffice).ToListAsync() is [var office])
        {
            office.IsDistrictOffice = true;
            audit.Record("unit.update", nameof(Unit), office.Id.ToString(), null, new { office.IsDistrictOffice, Via = "import-units" });
        }
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return new UnitImportResult(created, updated, unchanged);
    }

    private sealed record ParsedRows(IReadOnlyList<(int Line, string? Name, string? NameEn, string? Kind)> Rows, string? Error);

    private static ParsedRows JsonRows(string content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var rows = new List<(int, string?, string?, string?)>();
            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                index++;
                if (item.ValueKind != JsonValueKind.Object) return new([], $"item {index} is not an object with name, nameEn and kind.");
                string? Field(string name) => item.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
                rows.Add((index, Field("name"), Field("nameEn"), Field("kind")));
            }
            return new(rows, null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return new([], $"the file is not a JSON array of units ({e.Message}).");
        }
    }

    private static ParsedRows CsvRows(string content)
    {
        var lines = content.Replace("\r\n", "\n").Split('\n');
        var header = Split(lines[0]).Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Column(string name) => header.IndexOf(name.ToLowerInvariant());
        var (name, nameEn, kind) = (Column("name"), Column("nameEn"), Column("kind"));
        if (name < 0 || kind < 0) return new([], "the first line must name the columns: name,nameEn,kind");
        var rows = new List<(int, string?, string?, string?)>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]) || lines[i].TrimStart().StartsWith('#')) continue;
            var cells = Split(lines[i]);
            string? Cell(int column) => column >= 0 && column < cells.Count ? cells[column] : null;
            rows.Add((i + 1, Cell(name), Cell(nameEn), Cell(kind)));
        }
        return new(rows, null);
    }

    /// <summary>One CSV line: commas (or Chinese commas, as spreadsheets typed in Chinese may hold), double-quoted cells with "" for a quote.</summary>
    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c is ',' or '，') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
